/// Which of the head's parts the ray through an image point can meet, for one camera: each
/// part's bounds (`HeadModel.boundCorners`) projected once into the image as boxes, so that a
/// ray tries only the parts whose box holds its pixel, and a pixel outside every surface box is
/// background without a ray. A perspective image of a box lies within the box of its corners'
/// images (all in front of the camera); a part with a corner behind the camera is tried
/// everywhere.
struct HeadViewCull: Sendable {
    /// Per part, in pixels: (min x, min y, max x, max y) of its reach bound's image, and of
    /// its surface bound's.
    let reachBoxes: [SIMD4<Double>]
    let surfaceBoxes: [SIMD4<Double>]

    /// A pixel of slack on each side, for the rounding between a ray and a projection.
    static let marginPixels = 1.0

    init(camera: HeadCamera, head: HeadModel) {
        let corners = head.boundCorners
        reachBoxes = corners.reach.map { Self.box(of: $0, camera: camera) }
        surfaceBoxes = corners.surface.map { Self.box(of: $0, camera: camera) }
    }

    /// The image box (min x, min y, max x, max y, pixels, with the margin) of a box's
    /// `corners`: everywhere if one is behind the camera.
    static func box(of corners: [SIMD3<Double>], camera: HeadCamera) -> SIMD4<Double> {
        var low = SIMD2(Double.infinity, .infinity), high = -low
        for corner in corners {
            guard let p = camera.project(corner) else { return SIMD4(-.infinity, -.infinity, .infinity, .infinity) }
            low = pointwiseMin(low, p)
            high = pointwiseMax(high, p)
        }
        let m = marginPixels
        return SIMD4(low.x - m, low.y - m, high.x + m, high.y + m)
    }

    /// The parts whose reach box holds image point (x, y) (bit i: `parts[i]`); 0 when no
    /// part's surface box holds it, where the ray meets nothing.
    @inline(__always)
    func candidates(x: Double, y: Double) -> UInt32 {
        var reach: UInt32 = 0, surface = false
        for index in reachBoxes.indices {
            let r = reachBoxes[index]
            guard x >= r.x, y >= r.y, x <= r.z, y <= r.w else { continue }
            reach |= 1 << UInt32(index)
            let s = surfaceBoxes[index]
            if x >= s.x, y >= s.y, x <= s.z, y <= s.w { surface = true }
        }
        return surface ? reach : 0
    }
}
