import Foundation

extension HeadModel {
    /// Where a ray is within a bound of each part, as distances along it. For the reach of each
    /// part but the cranium (`reachBounds`): outside every such stretch only the vault shapes
    /// the surface, and a ray that does not cross the vault there meets nothing. For every
    /// part's surface bound (`surfaceBounds`): outside every stretch there is no surface.
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

        /// The parts among `parts` whose reach holds `t` (bit i; the cranium's, bit 0, is kept
        /// as it is: it has no stretch), the nearest `t` beyond it at which a reach starts or
        /// ends, and the nearest start.
        func holding(_ t: Double, among parts: UInt32) -> (parts: UInt32, until: Double, nextEnter: Double) {
            var held = parts & 1, until = Double.infinity, next = Double.infinity
            var bits = parts & ~1
            while bits != 0 {
                let index = bits.trailingZeroBitCount
                bits &= bits - 1
                let (e, x) = (enter[index], exit[index])
                if e <= t && t <= x {
                    held |= 1 << UInt32(index)
                    until = min(until, x)
                } else if e > t {
                    until = min(until, e)
                    next = min(next, e)
                }
            }
            return (held, until, next)
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
    /// across) are much wider than the samples' spacing, at most a ninth of the ray's chord
    /// through the ellipsoid of the vault's largest σ (outside it the ray cannot cross). A start
    /// inside the vault (below its cut) counts as a crossing at `start`.
    func vaultShell(origin: SIMD3<Double>, direction: SIMD3<Double>, from start: Double, to end: Double)
        -> (crossing: Double?, closest: (t: Double, distanceMM: Double)?) {
        guard end > start else { return (nil, nil) }
        let r = craniumInverseRadii
        // The vault lies inside the ellipsoid of its largest σ: only where the ray is inside that
        // can it cross (in the ellipsoid's unit coordinates, |o + t·d|² ≤ σ², a quadratic in t).
        // A ray that stays outside it passes the vault closest about where it comes nearest the
        // centre.
        let o = origin * r, d = direction * r
        let a = (d * d).sum(), b = (o * d).sum()
        let reach = b * b - a * ((o * o).sum() - cranium.largestFactor * cranium.largestFactor)
        let lower = reach >= 0 ? max(start, (-b - reach.squareRoot()) / a) : .infinity
        let upper = reach >= 0 ? min(end, (-b + reach.squareRoot()) / a) : -.infinity
        guard upper > lower else {
            let t = min(max(-b / a, start), end)
            return (nil, (t, cranium.distance(origin + direction * t, inverseRadii: r, inverseRadiiSquared: craniumInverseRadiiSquared)))
        }
        return vaultShellSamples(origin: origin, direction: direction, from: lower, to: upper)
    }

    /// `vaultShell` between `start` and `end`, where the ray is inside the ellipsoid of the
    /// vault's largest σ.
    private func vaultShellSamples(origin: SIMD3<Double>, direction: SIMD3<Double>, from start: Double, to end: Double)
        -> (crossing: Double?, closest: (t: Double, distanceMM: Double)?) {
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
            // A hundredth of a millimetre: the closest pass only decides an edge.
            if min(fc, fd) <= 0 || b - a < 0.01 { break }
        }
        let (t, e) = fc < fd ? (c, fc) : (d, fd)
        if e <= 0 {
            let before = start + step * Double(max(lowestIndex - 1, 0))
            return (cranium.crossing(origin: origin, direction: direction, outside: before, inside: t, inverseRadii: r), nil)
        }
        let point = origin + direction * t
        return (nil, (t, cranium.distance(point, inverseRadii: r, inverseRadiiSquared: craniumInverseRadiiSquared)))
    }

    /// Where a ray that misses the ellipsoid inside the vault first crosses the vault between
    /// `start` (outside it) and `end`, nil if it is not found so: the ray's point nearest the
    /// vault's centre (in the ellipsoid's unit coordinates) inside the vault brackets the crossing
    /// for regula falsi, and the vault's excess, positive at five points before it, says no
    /// earlier crossing was stepped over. Rays that pass outside (most of them miss) are
    /// left to marching.
    func vaultCrossing(origin: SIMD3<Double>, direction: SIMD3<Double>, from start: Double, to end: Double) -> Double? {
        let o = origin * craniumInverseRadii, d = direction * craniumInverseRadii
        let nearest = -(o * d).sum() / (d * d).sum()
        guard nearest > start,
              cranium.excess(origin + direction * nearest, inverseRadii: craniumInverseRadii) < 0 else { return nil }
        let t = cranium.crossing(origin: origin, direction: direction, outside: start, inside: nearest, inverseRadii: craniumInverseRadii)
        guard t <= end else { return nil }
        for k in 0..<5 where cranium.excess(origin + direction * (start + (t - start) * Double(k) / 5), inverseRadii: craniumInverseRadii) <= 0 {
            return nil
        }
        return t
    }
}
