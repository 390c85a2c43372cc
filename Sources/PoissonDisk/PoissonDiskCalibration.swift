/// How the regularity knob shapes the `.search` method's pattern, and the measured calibration
/// that turns a target density into a spacing so that the *achieved* density matches the
/// target. (The `.tiled` method needs none: its density is a count of ranks per tile area,
/// exact by construction; `ProgressiveTile.Shape` is its regularity knob.)
///
/// A maximal Poisson-disk fill with spacing s has a density of K / s² dots per mm², where K
/// depends only on the process (the annulus width, the jitter), not on s. So the sampler uses
/// s = √(K / n) for a target of n dots per mm². K is measured, not guessed: `smp-calibrate`
/// in `Benchmarks/` fills 40,000 mm² at a uniform target with eight seeds and reports
/// K = achieved dots per mm² × s² at each regularity; the table below holds its output.
/// Re-run it whenever the process changes (annulus, jitter, sweep), or the density drifts.
public enum PoissonDiskCalibration {
    /// The two process parameters behind one regularity value.
    public struct Shape: Sendable, Equatable {
        /// Candidates are drawn at distance [s, (1 + annulusWidth)·s] from the active dot.
        /// 1 is Bridson's classic annulus; near 0 packs dots at the edge: denser, more even.
        public var annulusWidth: Double
        /// Each dot's spacing is s·(1 + jitter·u), u uniform in [-1, 1): irregular, like follicles.
        public var spacingJitter: Double
    }

    public static func shape(regularity: Double) -> Shape {
        let r = min(max(regularity, 0), 1)
        return Shape(annulusWidth: 1 - 0.98 * r, spacingJitter: 0.3 * (1 - r) * (1 - r))
    }

    /// Regularity values at which K was measured, and K at each (dots per mm² × s²).
    /// Measured 2026-11-25 with `swift run -c release smp-calibrate` (Benchmarks/): 200 × 200 mm
    /// at 60 dots/cm², seeds 1–4, counted 5 mm inside the edges; the four seeds agreed within
    /// ±0.5 %, and a second run against this table gave K within ±0.2 % of it. Process: six
    /// candidates per active dot, the sweep's quadtree as in `SamplerState.fillEmptyCell`.
    /// ρ (relative radius) at each point, for the record:
    /// 0.584 0.613 0.639 0.663 0.691 0.724 0.753 0.781 0.807 0.830 0.852.
    /// Re-checked 2026-11-25 after the sweep stopped searching outside the domain (which
    /// changes its random draws along the edges, not what it fills): K within ±0.25 % of the
    /// table at every point, ρ within 0.002; the table stands.
    static let measuredRegularity: [Double] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]
    static let measuredK: [Double] = [0.7942, 0.7493, 0.7139, 0.6903, 0.6885, 0.7005, 0.7195, 0.7422, 0.7695, 0.8011, 0.8365]

    /// K at `regularity`, linear between the measured points.
    public static func dotsTimesSpacingSquared(regularity: Double) -> Double {
        let r = min(max(regularity, 0), 1)
        guard let upper = measuredRegularity.firstIndex(where: { $0 >= r }), upper > 0 else { return measuredK[0] }
        let lower = upper - 1
        let t = (r - measuredRegularity[lower]) / (measuredRegularity[upper] - measuredRegularity[lower])
        return measuredK[lower] + t * (measuredK[upper] - measuredK[lower])
    }

    /// The nominal spacing, in mm, for a target density in dots per cm².
    public static func spacingMM(dotsPerCM2: Double, regularity: Double) -> Double {
        (100 * dotsTimesSpacingSquared(regularity: regularity) / dotsPerCM2).squareRoot()
    }

    /// Layering: a maximal fill laid over an earlier maximal fill does not pack like a fresh one
    /// (a few earlier dots leave holes too small for a newcomer; many leave a pattern the
    /// newcomers pack around more tightly), so the cumulative density misses its target by a
    /// few per cent depending on q, the ratio of the new cumulative target to the earlier dots.
    /// The new layer's spacing is multiplied by a factor measured per q and regularity
    /// (`smp-calibrate layers`): a two-layer fill, 20 dots/cm² then 20·q, 200 × 200 mm, seeds
    /// 1–3, counted 10 mm inside the edges; found by fixed-point iteration (factor ×
    /// √(achieved / target); re-measured 2026-11-25 for the six-candidate process, three
    /// rounds from the previous table). Left after it: within ±0.5 % for regularity ≤ 0.35,
    /// within ±0.4 % at 0.7 and 1 (q < 1.25 at regularity 1 was the hardest to settle: an
    /// even earlier layer leaves holes too small for dots only slightly closer). Re-checked
    /// after the sweep stopped searching outside the domain: within ±0.6 % everywhere (the
    /// worst, −0.6 % at regularity 0 and q 1.1, within the seeds' spread), so the table stands.
    static let layerRatios: [Double] = [1, 1.1, 1.25, 1.5, 2, 3, 5, 10]
    static let layerRegularities: [Double] = [0, 0.35, 0.7, 1]
    /// Rows: regularity; columns: q. At q = 1 (no rise) the factor is 1 by definition: the
    /// earlier layer already is a fill at this spacing.
    static let layerFactors: [[Double]] = [
        [1, 1.0215, 0.9935, 0.9905, 1.0011, 1.0151, 1.0108, 1.0044],
        [1, 0.9869, 0.9849, 0.9929, 1.0093, 1.0176, 1.0067, 1.0045],
        [1, 0.9530, 0.9295, 0.9142, 0.9567, 0.9998, 0.9802, 0.9926],
        [1, 0.9384, 0.9065, 0.8886, 0.8862, 0.9724, 0.9696, 0.9789],
    ]

    /// The spacing factor for a layer that makes the area q times denser (q = ∞: no earlier
    /// dots, factor 1), bilinear in (q, regularity) over the measured table, clamped at its ends.
    public static func layerSpacingFactor(densityRatio q: Double, regularity: Double) -> Double {
        guard q.isFinite else { return 1 }
        func bracket(_ grid: [Double], _ value: Double) -> (Int, Int, Double) {
            let v = min(max(value, grid[0]), grid[grid.count - 1])
            let upper = grid.firstIndex { $0 >= v } ?? grid.count - 1
            guard upper > 0 else { return (0, 0, 0) }
            return (upper - 1, upper, (v - grid[upper - 1]) / (grid[upper] - grid[upper - 1]))
        }
        let (q0, q1, tq) = bracket(layerRatios, q)
        let (r0, r1, tr) = bracket(layerRegularities, regularity)
        func at(_ r: Int) -> Double { layerFactors[r][q0] * (1 - tq) + layerFactors[r][q1] * tq }
        return at(r0) * (1 - tr) + at(r1) * tr
    }
}
