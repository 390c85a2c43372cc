import PoissonDisk

/// Per region and session: the area, the target and achieved cumulative density, and the dot
/// counts. What `smp stats` prints and report.json carries; a stable, Codable format.
public struct DensityReport: Sendable, Codable, Equatable {
    public struct SessionFigures: Sendable, Codable, Equatable {
        public var session: Int
        public var day: Double
        /// Mean cumulative target over the region, dots per cm².
        public var targetDotsPerCM2: Double
        /// Dots of all sessions so far whose centre is in the region, per cm².
        public var achievedDotsPerCM2: Double
        public var newDots: Int
        public var cumulativeDots: Int
    }

    public struct RegionFigures: Sendable, Codable, Equatable {
        public var region: String
        public var areaCM2: Double
        public var sessions: [SessionFigures]
    }

    public var scene: String
    public var scalpAreaCM2: Double
    public var regions: [RegionFigures]
    public var totalDots: Int

    /// The figures of `plan` for the scene named `sceneName`.
    public init(sceneName: String, plan: SessionPlan, map: ScalpMap, dots: [PoissonDot]) throws {
        scene = sceneName
        scalpAreaCM2 = map.scalpAreaCM2
        totalDots = dots.count
        let areas = map.areaPerRegionCM2
        let cellArea = map.cellMM * map.cellMM / 100
        // Per-region figures in arrays indexed by `ScalpRegion.caseIndex`: a dictionary hashed the
        // region's name for every cell and dot, most of the report's work.
        let regionCount = ScalpRegion.allCases.count
        // Mean target per region: the target raster summed over the region's cells.
        var targets: [[Double]] = []
        for session in plan.sessions {
            let raster = try map.density(after: session, design: plan.design)
            var sums = [Double](repeating: 0, count: regionCount)
            for (index, label) in map.region.enumerated() {
                guard let label else { continue }
                sums[label.caseIndex] += Double(raster.dotsPerCM2[index]) * cellArea
            }
            targets.append(sums)
        }
        // Dots per region and session, row-major by region.
        let sessionCount = plan.sessions.count
        var counts = [Int](repeating: 0, count: regionCount * sessionCount)
        for dot in dots {
            guard let label = map.region(atXMM: dot.xMM, yMM: dot.yMM) else { continue }
            counts[label.caseIndex * sessionCount + dot.layer - 1] += 1
        }
        regions = ScalpRegion.allCases.compactMap { label in
            let area = areas[label.caseIndex]
            guard area > 0 else { return nil }
            var cumulative = 0
            let sessions = plan.sessions.enumerated().map { index, session in
                let new = counts[label.caseIndex * sessionCount + index]
                cumulative += new
                return SessionFigures(session: index + 1, day: session.day,
                                      targetDotsPerCM2: targets[index][label.caseIndex] / area,
                                      achievedDotsPerCM2: Double(cumulative) / area, newDots: new, cumulativeDots: cumulative)
            }
            return RegionFigures(region: label.rawValue, areaCM2: area, sessions: sessions)
        }
    }
}
