import PoissonDisk

/// Places the scene's dots session by session: each session's cumulative target density comes
/// from the scalp map, and the sampler adds only what the earlier sessions have not placed, in
/// between their dots. A dot's `layer` is its session (1-based), its `zone` the plan region it
/// lies in (`PlanRegion.zone`: its scar's or patch's, else its scalp region) and its
/// `diameterMM` the impression diameter of the needle its session uses in that region.
public enum DotPlacement {
    /// All dots of all sessions, the same for the same plan and seed (and any `threads`).
    public static func dots(for plan: SessionPlan, on map: ScalpMap, threads: Int = 1) throws -> [PoissonDot] {
        try dots(for: plan, densities: plan.sessions.map { try map.density(after: $0, design: plan.design) }, on: map,
                 threads: threads)
    }

    /// The plan's sessions (needles, seeds, order) placing `densities`, one cumulative target per
    /// session, instead of the map's: a treatment area drawn elsewhere (a photo's painted mask).
    /// The map still names each dot's region (its needle and dilution).
    public static func dots(for plan: SessionPlan, densities: [DensityRaster], on map: ScalpMap,
                            threads: Int = 1) throws -> [PoissonDot] {
        precondition(densities.count == plan.sessions.count, "one density raster per session")
        // One pattern for the whole plan (`PoissonDiskMethod.tiled`): every session's dots are
        // points of it, and a later session adds the ranks between the earlier ones.
        let planPeak = densities.map(\.maximumDotsPerCM2).max() ?? 0
        var dots: [PoissonDot] = []
        for (index, session) in plan.sessions.enumerated() {
            let request = PoissonDiskRequest(
                bounds: map.bounds, density: densities[index],
                regularity: plan.design.regularity, seed: SplitMix64.derive(plan.seed, stream: RandomStream.sampling.rawValue),
                layer: index + 1, diameterMM: session.needle.impressionDiameterMM,
                method: .tiled, patternPeakDotsPerCM2: planPeak > 0 ? planPeak : nil)
            let first = dots.count
            dots += try PoissonDiskSampler.sample(request, existing: dots, threads: threads)
            label(&dots[first...], session: session, map: map)
        }
        return dots
    }

    /// Gives each of `dots`, placed by `session`, its plan region's zone and the impression of
    /// the needle the session uses there.
    public static func label(_ dots: inout ArraySlice<PoissonDot>, session: Session, map: ScalpMap) {
        let needles = session.resolvedByZone.map(\.needle.impressionDiameterMM)
        for index in dots.indices {
            let zone = map.planRegion(atXMM: dots[index].xMM, yMM: dots[index].yMM)?.zone ?? 0
            dots[index].zone = zone
            dots[index].diameterMM = needles[Int(zone)]
        }
    }
}
