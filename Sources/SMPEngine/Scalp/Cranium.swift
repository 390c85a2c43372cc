import Foundation

/// The cranium a head view shows: `HeadShape`'s ellipsoid reshaped into an adult skull's vault,
/// in millimetres, in the shape's frame. The ellipsoid is widest at the ear line, egg-tall and
/// narrow from the front; a real vault (DOMAIN.md, "The scalp") is widest around the parietal
/// eminences, above and behind the ears, flatter on top, narrower across the temples and the
/// forehead than across the parietals (an egg from above, wide end at the back), its forehead
/// sloping back into the top, its occiput full at brow level and receding to the nape.
///
/// The surface is the ellipsoid scaled along each ray from its centre by a smooth factor
/// σ(u) of the ray's direction u (in the ellipsoid's unit coordinates), so the point at chart
/// angles (θ, φ) is σ · `HeadShape.point(θ, φ)` on rescaled axes: head length, breadth and
/// ear-to-vertex height stay the shape's (the ANSUR measures are the vault's extremes). Its
/// own equal-area chart (`chart`) takes the map's chart coordinates to it, so a region of the
/// map has the same area, and the same dots per cm², on this surface as on the ellipsoid the
/// map is drawn for; shapes move by a few millimetres between the two.
///
/// σ is polynomial (compact bumps, no exponentials): a view evaluates it at every step of
/// every marched ray.
public struct Cranium: Sendable {
    public let shape: HeadShape
    /// The axes σ scales, mm: the shape's, corrected so that the reshaped vault keeps its extremes.
    public let radii: SIMD3<Double>
    /// The largest and smallest σ: the vault lies between the ellipsoids of `radii` times these.
    public let largestFactor: Double
    public let smallestFactor: Double
    /// The vault's equal-area chart, laid out as the map's (`ScalpChart`).
    public let chart: ScalpChart

    public init(shape: HeadShape) {
        self.shape = shape
        let axes = SIMD3(shape.sideToSideMM, shape.frontToBackMM, shape.earToTopMM)
        // The reshaped vault's extremes on the plain axes, to correct the axes by.
        var largestX = 0.0, largestY = -Double.infinity, smallestY = Double.infinity, largestZ = 0.0, largest = 0.0
        var smallest = Double.infinity
        for i in 0...120 {
            let theta = Double(i) / 120 * 2 * Double.pi / 3
            for j in 0..<240 {
                let phi = Double(j) / 240 * 2 * Double.pi
                let u = SIMD3(sin(theta) * cos(phi), sin(theta) * sin(phi), cos(theta))
                let factor = Self.factor(u)
                let p = axes * u * factor
                largestX = max(largestX, p.x)
                largestY = max(largestY, p.y)
                smallestY = min(smallestY, p.y)
                largestZ = max(largestZ, p.z)
                largest = max(largest, factor)
                smallest = min(smallest, factor)
            }
        }
        let radii = axes * SIMD3(shape.sideToSideMM / largestX, 2 * shape.frontToBackMM / (largestY - smallestY),
                                 shape.earToTopMM / largestZ)
        self.radii = radii
        // The grid's largest σ, with room for what lies between its points.
        largestFactor = largest * 1.01
        smallestFactor = smallest * 0.99
        chart = ScalpChart(head: shape) { theta, phi in
            let u = SIMD3(sin(theta) * cos(phi), sin(theta) * sin(phi), cos(theta))
            return radii * u * Self.factor(u)
        }
    }

    /// The vault's point at chart angles (θ from the top, parametric φ, as `HeadShape.point`).
    public func point(polar theta: Double, azimuth phi: Double) -> SIMD3<Double> {
        let u = SIMD3(sin(theta) * cos(phi), sin(theta) * sin(phi), cos(theta))
        return radii * u * Self.factor(u)
    }

    /// The point of the vault under a chart position (mm, the map's chart coordinates), nil
    /// past its rim: where a map dot lies on this head.
    public func point(chartX x: Double, chartY y: Double) -> SIMD3<Double>? {
        guard let angles = chart.surfaceAngles(chartX: x, chartY: y) else { return nil }
        return point(polar: angles.polar, azimuth: angles.azimuth)
    }

    /// Signed distance estimate to the vault (negative inside): the ellipsoid bound of
    /// `HeadModel` on the point shrunk by σ of its direction, grown back by σ. Exact on the
    /// surface; near it, off by about σ's relative change across the distance, a few per cent.
    func distance(_ q: SIMD3<Double>, inverseRadii: SIMD3<Double>, inverseRadiiSquared: SIMD3<Double>) -> Double {
        let v = q * inverseRadii
        let length = (v * v).sum().squareRoot()
        guard length > 0 else { return -radii.min() }
        let factor = Self.factor(v / length)
        let b = q * inverseRadiiSquared
        let k0 = length / factor, k1 = (b * b).sum().squareRoot() / factor
        return k0 * (k0 - 1) / k1 * factor
    }

    /// How far outside the vault `q` is along its ray from the centre, in the ellipsoid's unit
    /// coordinates: |v| − σ(v/|v|), v = q / radii; 0 on the surface, negative inside.
    @inline(__always)
    func excess(_ q: SIMD3<Double>, inverseRadii: SIMD3<Double>) -> Double {
        let v = q * inverseRadii
        let length = (v * v).sum().squareRoot()
        guard length > 0 else { return -1 }
        return length - Self.factor(v / length)
    }

    /// The first crossing of the vault by the ray `origin + t·direction` between `outside`
    /// (a distance at which the ray is outside the vault) and `inside` (inside it), by regula
    /// falsi (the Illinois variant) to a hundredth of a micrometre.
    func crossing(origin: SIMD3<Double>, direction: SIMD3<Double>, outside: Double, inside: Double,
                  inverseRadii: SIMD3<Double>) -> Double {
        var a = outside, b = inside
        var fa = excess(origin + direction * a, inverseRadii: inverseRadii)
        var fb = excess(origin + direction * b, inverseRadii: inverseRadii)
        var side = 0
        for _ in 0..<60 {
            guard fa > 0, fb < 0 else { break }
            let t = (a * fb - b * fa) / (fb - fa)
            let ft = excess(origin + direction * t, inverseRadii: inverseRadii)
            if abs(ft) < 1e-9 || b - a < 1e-5 { return t }
            if ft > 0 {
                a = t
                fa = ft
                if side == 1 { fb *= 0.5 }
                side = 1
            } else {
                b = t
                fb = ft
                if side == -1 { fa *= 0.5 }
                side = -1
            }
        }
        return fa <= 0 ? a : b
    }

    /// σ for the unit direction u (X right, Y back, Z up, in the ellipsoid's unit coordinates).
    /// The weights are ours, tuned against the outlines of adult heads from the front, the side
    /// and above (head breadth at the ear line about 0.92 of the greatest, which lies some 55 mm
    /// above it; the top about 8 % fuller than an ellipse at 45°, less over the forehead).
    @inline(__always)
    static func factor(_ u: SIMD3<Double>) -> Double {
        let x2 = u.x * u.x, front = smoothstep(0, 0.9, -u.y)
        // A flatter top: fuller halfway between the top and the sides, less so over the forehead.
        let up = max(u.z, 0)
        var s = 1 + (0.34 - 0.22 * front) * (1 - up * up) * up * up
        // Parietal eminences, above and behind the ears.
        let dz = u.z - 0.45, dy = u.y - 0.3
        s += 0.07 * bump(min((u.x - 0.75) * (u.x - 0.75), (u.x + 0.75) * (u.x + 0.75)) + dy * dy + dz * dz, 0.55)
        // Flatter temples at the ear line, and narrower in front: an egg from above.
        s *= 1 - 0.09 * x2 * bump((u.z + 0.05) * (u.z + 0.05), 0.45) - 0.06 * x2 * front
        // The occiput full and broad at brow level (round from above), receding below it to the nape.
        let oy = u.y - 0.95, oz = u.z - 0.2
        s += 0.04 * bump(0.5 * x2 + oy * oy + oz * oz, 0.5)
        s *= 1 - 0.08 * smoothstep(0, 0.6, u.y) * smoothstep(0, 0.5, -u.z)
        return s
    }

    /// (1 − d²/r²)³ inside r, 0 outside: a smooth bump of compact support.
    @inline(__always)
    static func bump(_ distanceSquared: Double, _ radiusSquared: Double) -> Double {
        let t = max(1 - distanceSquared / radiusSquared, 0)
        return t * t * t
    }

    @inline(__always)
    static func smoothstep(_ edge0: Double, _ edge1: Double, _ x: Double) -> Double {
        let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
        return t * t * (3 - 2 * t)
    }
}
