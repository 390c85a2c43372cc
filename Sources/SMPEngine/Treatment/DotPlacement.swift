import PoissonDisk

/// Places the scene's dots session by session: each session's cumulative target density comes
/// from the scalp map, and the sampler adds only what the earlier sessions have not placed, in
/// between their dots. A dot's `layer` is its session (1-based) and its `diameterMM` the
/// needle's impression diameter.
public enum DotPlacement {
    /// All dots of all sessions, the same for the same scene and seed.
    public static func dots(for scene: Scene, on map: ScalpMap) throws -> [PoissonDot] {
        let densities = try scene.sessions.map { try map.density(after: $0, design: scene.design) }
        // One pattern for the whole plan (`PoissonDiskMethod.tiled`): every session's dots are
        // points of it, and a later session adds the ranks between the earlier ones.
        let planPeak = densities.map(\.maximumDotsPerCM2).max() ?? 0
        var dots: [PoissonDot] = []
        for (index, session) in scene.sessions.enumerated() {
            let request = PoissonDiskRequest(
                bounds: map.bounds, density: densities[index],
                regularity: scene.design.regularity, seed: SplitMix64.derive(scene.seed, stream: RandomStream.sampling.rawValue),
                layer: index + 1, diameterMM: session.needle.impressionDiameterMM,
                method: .tiled, patternPeakDotsPerCM2: planPeak > 0 ? planPeak : nil)
            dots += try PoissonDiskSampler.sample(request, existing: dots)
        }
        return dots
    }
}

/// One seeded generator per purpose, all derived from the scene seed (DESIGN.md): changing
/// how one purpose draws never shifts another's numbers.
public enum RandomStream: UInt64, Sendable {
    case sampling = 1
    case skinTexture = 2
    case hairline = 4
    /// How the edges of bald areas wander (ScalpMap).
    case hairLossEdges = 8
    case scars = 0x100
    /// The existing hair shaved to stubble: follicular units and their hairs (ScalpSurface).
    case existingHair = 0x200
    /// The touch-ups of the forecast (`ForecastPlan`), one stream per session.
    case touchUps = 0x400
}
