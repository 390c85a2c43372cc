import Foundation

extension HeadModel {
    /// Where a ray is within the reach of each part but the cranium (`reachBounds`), as
    /// distances along it: outside every such stretch only the vault shapes the surface, and a
    /// ray that does not cross the vault there meets nothing.
    struct ReachStretches {
        private var enter = SIMD16<Double>(repeating: .infinity)
        private var exit = SIMD16<Double>(repeating: -.infinity)
        /// False past 16 parts, which the stretches cannot hold: every point then counts as in reach.
        private(set) var canSkip = true

        mutating func add(_ index: Int, enter: Double, exit: Double) {
            guard index < 16 else {
                canSkip = false
                return
            }
            self.enter[index] = enter
            self.exit[index] = exit
        }

        /// Is the ray's point at `t` within some part's reach?
        func contains(_ t: Double) -> Bool {
            let t = SIMD16<Double>(repeating: t)
            return any((enter .<= t) .& (t .<= exit))
        }

        /// The nearest reach the ray enters after `t` (infinity: none).
        func nextEnter(after t: Double) -> Double {
            enter.replacing(with: .infinity, where: enter .<= SIMD16(repeating: t)).min()
        }
    }

    /// The vault along the ray `origin + t·direction` between `start` and `end` (the ray's exit
    /// from the vault's surface bound): its first crossing, and when it has none, the ray's
    /// closest pass by it (distance along the ray and the vault's distance there, mm), for the
    /// edge test. Ten samples of the vault's excess find a sign change (regula falsi then
    /// finds the crossing) or bracket the excess's smallest value (golden-section search then
    /// finds it, and a crossing if it is negative); the vault's features (bumps some 60 mm
    /// across) are much wider than the samples' spacing, at most a ninth of the bound's breadth.
    /// A start inside the vault (below its cut) counts as a crossing at `start`.
    func vaultShell(origin: SIMD3<Double>, direction: SIMD3<Double>, from start: Double, to end: Double)
        -> (crossing: Double?, closest: (t: Double, distanceMM: Double)?) {
        guard end > start else { return (nil, nil) }
        let r = craniumInverseRadii
        func excess(_ t: Double) -> Double { cranium.excess(origin + direction * t, inverseRadii: r) }
        let samples = 10
        let step = (end - start) / Double(samples - 1)
        let first = excess(start)
        guard first > 0 else { return (start, nil) }
        var lowest = first, lowestIndex = 0
        for k in 1..<samples {
            let t = start + step * Double(k)
            let e = excess(t)
            if e <= 0 {
                return (cranium.crossing(origin: origin, direction: direction, outside: t - step, inside: t, inverseRadii: r), nil)
            }
            if e < lowest { (lowest, lowestIndex) = (e, k) }
        }
        // Golden-section search for the smallest excess between the lowest sample's neighbours.
        var a = start + step * Double(max(lowestIndex - 1, 0)), b = start + step * Double(min(lowestIndex + 1, samples - 1))
        let ratio = (5.0.squareRoot() - 1) / 2
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = excess(c), fd = excess(d)
        for _ in 0..<12 {
            if fc < fd {
                (b, d, fd) = (d, c, fc)
                c = b - ratio * (b - a)
                fc = excess(c)
            } else {
                (a, c, fc) = (c, d, fd)
                d = a + ratio * (b - a)
                fd = excess(d)
            }
            if min(fc, fd) <= 0 { break }
        }
        let (t, e) = fc < fd ? (c, fc) : (d, fd)
        if e <= 0 {
            let before = start + step * Double(max(lowestIndex - 1, 0))
            return (cranium.crossing(origin: origin, direction: direction, outside: before, inside: t, inverseRadii: r), nil)
        }
        let point = origin + direction * t
        return (nil, (t, cranium.distance(point, inverseRadii: r, inverseRadiiSquared: craniumInverseRadiiSquared)))
    }
}
