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
    /// The plan's regions (`PlanRegion`): the scalp's regions without their scars and patches,
    /// then `scars` and `alopeciaPatches` when the scene has them. They share the scalp out: a
    /// dot counts in one of them, the one whose needle and dilution it gets.
    public var regions: [RegionFigures]
    /// Scars and alopecia patches, each on its own (parts of `scars` and `alopeciaPatches` above):
    /// `scar K (kind, treatment)`, `patch K (radius R mm)`, their cells as `ScalpMap.featureNumber`
    /// has them.
    public var features: [RegionFigures]?
    public var totalDots: Int

    /// The figures of `plan` for the scene named `sceneName`.
    /// `scalp`, when given, adds its scars and alopecia patches one by one as `features`.
    public init(sceneName: String, plan: SessionPlan, map: ScalpMap, dots: [PoissonDot], scalp: ScalpParameters? = nil) throws {
        scene = sceneName
        scalpAreaCM2 = map.scalpAreaCM2
        totalDots = dots.count
        let rasters = try plan.sessions.map { try map.density(after: $0, design: plan.design) }
        // Per-region figures in arrays indexed by `PlanRegion.caseIndex`: a dictionary hashed the
        // region's name for every cell and dot, most of the report's work.
        let labels = map.region.indices.map { map.planRegion(atIndex: $0)?.caseIndex ?? -1 }
        let regionCount = PlanRegion.allCases.count
        regions = Self.figures(groups: regionCount, cellGroup: labels, plan: plan, map: map, rasters: rasters, dots: dots) { dot in
            map.planRegion(atXMM: dot.xMM, yMM: dot.yMM)?.caseIndex ?? -1
        }.enumerated().compactMap { index, figures in
            figures.map { RegionFigures(region: PlanRegion.allCases[index].rawValue, areaCM2: $0.areaCM2, sessions: $0.sessions) }
        }
        guard let scalp, map.scarCount + map.patchCount > 0 else {
            features = nil
            return
        }
        let names = scalp.scars.enumerated().map { index, scar in
            let kind = switch scar.kind {
            case .strip: "strip"
            case .fue: "FUE"
            case .linear: "linear"
            }
            return "scar \(index + 1) (\(kind), \(scar.treatment.rawValue))"
        } + scalp.hairLoss.patches.enumerated().map { String(format: "patch %d (radius %.0f mm)", $0 + 1, $1.radiusMM) }
        let featureOfCell = map.featureNumber.map { Int($0) - 1 }
        let features = Self.figures(groups: names.count, cellGroup: featureOfCell, plan: plan, map: map, rasters: rasters, dots: dots) { dot in
            let column = Int(((dot.xMM - map.bounds.minXMM) / map.cellMM).rounded(.down))
            let row = Int(((dot.yMM - map.bounds.minYMM) / map.cellMM).rounded(.down))
            guard (0..<map.columns).contains(column), (0..<map.rows).contains(row) else { return -1 }
            return featureOfCell[row * map.columns + column]
        }.enumerated().compactMap { index, figures in
            figures.map { RegionFigures(region: names[index], areaCM2: $0.areaCM2, sessions: $0.sessions) }
        }
        self.features = features.isEmpty ? nil : features
    }

    /// Per group of cells (`cellGroup`: a cell's group, −1 for none): its area and its figures
    /// per session, nil for a group without area; `dotGroup` gives a dot's group.
    static func figures(groups: Int, cellGroup: [Int], plan: SessionPlan, map: ScalpMap, rasters: [DensityRaster], dots: [PoissonDot],
                        dotGroup: (PoissonDot) -> Int) -> [(areaCM2: Double, sessions: [SessionFigures])?] {
        let cellArea = map.cellMM * map.cellMM / 100
        var areas = [Double](repeating: 0, count: groups)
        for group in cellGroup where group >= 0 { areas[group] += cellArea }
        // Mean target per group: the target raster summed over the group's cells.
        let targets = rasters.map { raster in
            var sums = [Double](repeating: 0, count: groups)
            for (index, group) in cellGroup.enumerated() where group >= 0 { sums[group] += Double(raster.dotsPerCM2[index]) * cellArea }
            return sums
        }
        // Dots per group and session, row-major by group.
        let sessionCount = plan.sessions.count
        var counts = [Int](repeating: 0, count: groups * sessionCount)
        for dot in dots {
            let group = dotGroup(dot)
            guard group >= 0, (1...sessionCount).contains(dot.layer) else { continue }
            counts[group * sessionCount + dot.layer - 1] += 1
        }
        return (0..<groups).map { group in
            let area = areas[group]
            guard area > 0 else { return nil }
            var cumulative = 0
            let sessions = plan.sessions.enumerated().map { index, session in
                let new = counts[group * sessionCount + index]
                cumulative += new
                return SessionFigures(session: index + 1, day: session.day, targetDotsPerCM2: targets[index][group] / area,
                                      achievedDotsPerCM2: Double(cumulative) / area, newDots: new, cumulativeDots: cumulative)
            }
            return (area, sessions)
        }
    }
}
