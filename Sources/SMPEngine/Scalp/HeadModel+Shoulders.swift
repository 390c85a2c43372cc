import Foundation

extension HeadModel {
    /// The shoulders' ellipsoid along the ray `origin + t·direction` between `start` (where the
    /// march stands, outside the surface) and `end` (where the ray enters another part's reach),
    /// a stretch on which nothing but the shoulders shapes the surface: their first crossing and
    /// outward normal, exact; or, when the ray does not cross them there, its closest pass (the
    /// point nearest their centre in the ellipsoid's unit coordinates, clamped to the stretch,
    /// and the distance there), for the edge test. nil when the march stands inside the
    /// ellipsoid (a carved or blended surface it must find by marching).
    func shouldersAlone(origin: SIMD3<Double>, direction: SIMD3<Double>, from start: Double, to end: Double)
        -> (crossing: (t: Double, normal: SIMD3<Double>)?, closest: (t: Double, distanceMM: Double)?)? {
        let part = parts[shouldersIndex]
        let o = (origin - part.centre) * part.inverseRadii, d = direction * part.inverseRadii
        let a = (d * d).sum(), b = (o * d).sum(), c = (o * o).sum() - 1
        let disc = b * b - a * c
        if disc >= 0 {
            let root = disc.squareRoot()
            let enter = (-b - root) / a, exit = (-b + root) / a
            if enter < start && exit > start { return nil }
            if enter >= start && enter < end {
                let local = origin + direction * enter - part.centre
                var n = local * part.inverseRadiiSquared
                n /= (n * n).sum().squareRoot()
                return ((enter, n), nil)
            }
        }
        let t = min(max(-b / a, start), end)
        return (nil, (t, Self.distance(origin + direction * t, to: part)))
    }
}

extension HeadModel {
    /// How much the surface at `q` is the shoulders', 0…1 (a view dresses them: `HeadViewRenderer`):
    /// 1 where no other part among `active` comes within a quarter of the shoulders' blend
    /// radius of being as near, falling to 0 where one (the neck) takes over: a neckline.
    func shouldersWeight(at q: SIMD3<Double>, active: UInt32) -> Double {
        let own = UInt32(1) << UInt32(shouldersIndex)
        guard active & own != 0 else { return 0 }
        let shoulders = Self.distance(q, to: parts[shouldersIndex])
        let width = max(parts[shouldersIndex].blendMM / 4, 1)
        var weight = 1.0
        var bits = active & ~own
        while bits != 0 {
            let index = bits.trailingZeroBitCount
            bits &= bits - 1
            guard !parts[index].carves else { continue }
            let t = min(max((partDistance(q, index) - shoulders) / width, 0), 1)
            weight = min(weight, t * t * (3 - 2 * t))
        }
        return weight
    }
}
