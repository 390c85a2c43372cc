import Foundation

/// How each view is placed and framed, for the camera.
extension HeadViewName {
    /// From the target to the camera, in `HeadShape`'s frame (X right, Y back, Z up), and the
    /// direction that is up in the image.
    var placement: (toCamera: SIMD3<Double>, up: SIMD3<Double>) {
        switch self {
        case .front: (SIMD3(0, -1, 0), SIMD3(0, 0, 1))
        case .threeQuarter: (SIMD3(0.68, -0.70, 0.2), SIMD3(0, 0, 1))
        case .top: (SIMD3(0, 0, 1), SIMD3(0, -1, 0))
        case .left: (SIMD3(-1, 0, 0), SIMD3(0, 0, 1))
        case .right: (SIMD3(1, 0, 0), SIMD3(0, 0, 1))
        case .back: (SIMD3(0, 1, 0), SIMD3(0, 0, 1))
        case .crown: (SIMD3(0, 0.62, 0.78), SIMD3(0, 0, 1))
        }
    }

    /// The point the camera looks at and the radius (mm) of the sphere around it the image
    /// must hold, for a head of `shape`: the head and some neck from the sides, the dome from
    /// above.
    func framing(_ shape: HeadShape) -> (target: SIMD3<Double>, radiusMM: Double) {
        let s = (shape.frontToBackMM / 100 + shape.sideToSideMM / 77 + shape.earToTopMM / 131) / 3
        switch self {
        case .top: return (SIMD3(0, 0, 0.5 * shape.earToTopMM), 128 * s)
        case .crown: return (SIMD3(0, 0.15 * shape.frontToBackMM, 0.45 * shape.earToTopMM), 150 * s)
        default: return (SIMD3(0, 0, -18 * s), 178 * s)
        }
    }
}

/// A perspective camera on the head: pinhole at `eye`, looking along `forward`, `pixels` square
/// pixels on a side, `focalPixels` the distance to the image plane in pixels. Pixel (c, r)
/// spans [c, c+1) × [r, r+1), r down. The image is what a camera sees, not a mirror: from the
/// front the patient's right is on the image's left, from behind on its right.
public struct HeadCamera: Sendable, Equatable {
    public var eye: SIMD3<Double>
    public var forward: SIMD3<Double>
    public var right: SIMD3<Double>
    public var up: SIMD3<Double>
    public var widthPixels: Int
    public var heightPixels: Int
    public var focalPixels: Double
    /// Distance from the eye to the point looked at, mm.
    public var distanceMM: Double

    /// The camera of view `name` at `distanceMM` from its target (the default 600 mm is a
    /// consultation's distance), `pixels` on a side, framing `shape`'s head.
    public init(view name: HeadViewName, shape: HeadShape, distanceMM: Double, pixels: Int) {
        let (toCamera, upHint) = name.placement
        let (target, radius) = name.framing(shape)
        let back = toCamera / (toCamera * toCamera).sum().squareRoot()
        eye = target + back * distanceMM
        forward = -back
        (right, up) = Self.imageAxes(forward: forward, upHint: upHint)
        widthPixels = pixels
        heightPixels = pixels
        // The framing sphere fills the image's half-width with a small margin.
        let halfAngle = asin(min(radius / distanceMM, 0.95)) * 1.04
        focalPixels = 0.5 * Double(pixels) / tan(halfAngle)
        self.distanceMM = distanceMM
    }

    /// A camera at `eye` looking along `forward` (any length) with `up` (made perpendicular to
    /// it) up in the image; the principal point is the image's centre. `distanceMM` is the
    /// distance to the point looked at (the scale bar's).
    public init(eye: SIMD3<Double>, forward: SIMD3<Double>, up upHint: SIMD3<Double>, widthPixels: Int, heightPixels: Int,
                focalPixels: Double, distanceMM: Double) {
        self.eye = eye
        let f = forward / (forward * forward).sum().squareRoot()
        self.forward = f
        (right, up) = Self.imageAxes(forward: f, upHint: upHint)
        self.widthPixels = widthPixels
        self.heightPixels = heightPixels
        self.focalPixels = focalPixels
        self.distanceMM = distanceMM
    }

    /// The image's right and up for a camera looking along unit `forward` with `upHint` up.
    /// `HeadShape`'s frame (X to the patient's right, Y back, Z up) is left-handed, so the right
    /// a camera sees is up × forward in its coordinates (forward × up would draw the head as a
    /// mirror does: the patient's right on the image's right in a front view).
    static func imageAxes(forward f: SIMD3<Double>, upHint u: SIMD3<Double>) -> (right: SIMD3<Double>, up: SIMD3<Double>) {
        var r = SIMD3(u.y * f.z - u.z * f.y, u.z * f.x - u.x * f.z, u.x * f.y - u.y * f.x)
        r /= (r * r).sum().squareRoot()
        return (r, SIMD3(f.y * r.z - f.z * r.y, f.z * r.x - f.x * r.z, f.x * r.y - f.y * r.x))
    }

    /// The unit ray through image point (x, y) in pixels.
    @inline(__always)
    public func ray(x: Double, y: Double) -> SIMD3<Double> {
        let d = forward * focalPixels + right * (x - 0.5 * Double(widthPixels)) - up * (y - 0.5 * Double(heightPixels))
        return d / (d * d).sum().squareRoot()
    }

    /// The image point (pixels) of a point in head coordinates, nil behind the camera.
    public func project(_ point: SIMD3<Double>) -> SIMD2<Double>? {
        let v = point - eye
        let depth = (v * forward).sum()
        guard depth > 0 else { return nil }
        return SIMD2(0.5 * Double(widthPixels) + focalPixels * (v * right).sum() / depth,
                     0.5 * Double(heightPixels) - focalPixels * (v * up).sum() / depth)
    }

    /// Pixels per mm on a plane facing the camera at its target: the scale bar's scale.
    public var pixelsPerMMAtTarget: Double { focalPixels / distanceMM }
}
