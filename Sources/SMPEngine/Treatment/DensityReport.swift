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
    /// Scars and alopecia patches, each as a region of its own (they overlap the regions above):
    /// `scar K (kind, treatment)` for the cells it covers a quarter or more, `patch K` for those
    /// inside the patch's radius.
    public var features: [RegionFigures]?
    public var totalDots: Int

    /// The figures of `plan` for the scene named `sceneName`.
    /// `scalp`, when given, adds its scars and alopecia patches as `features`.
    public init(sceneName: String, plan: SessionPlan, map: ScalpMap, dots: [PoissonDot], scalp: ScalpParameters? = nil) throws {
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
        let features = try scalp.map { try Self.features(scalp: $0, plan: plan, map: map, dots: dots) } ?? []
        self.features = features.isEmpty ? nil : features
    }

    /// The figures of each scar and alopecia patch of the scene (`features`).
    static func features(scalp: ScalpParameters, plan: SessionPlan, map: ScalpMap, dots: [PoissonDot]) throws -> [RegionFigures] {
        var masks: [(name: String, cells: [Bool])] = []
        let origin = SIMD2(map.bounds.minXMM, map.bounds.minYMM)
        for (index, scar) in scalp.scars.enumerated() {
            var coverage = [Float](repeating: 0, count: map.columns * map.rows)
            // Placed as the map places it: the same seed stream, so FUE dots fall where the map has them.
            PlacedScar(scar, on: map.chart, seed: SplitMix64.derive(scalp.seed, stream: RandomStream.scars.rawValue &+ UInt64(index)))
                .stamp(into: &coverage, columns: map.columns, rows: map.rows, origin: origin, cellMM: map.cellMM)
            let kind = switch scar.kind {
            case .strip: "strip"
            case .fue: "FUE"
            case .linear: "linear"
            }
            masks.append(("scar \(index + 1) (\(kind), \(scar.treatment.rawValue))", coverage.map { $0 >= 0.25 }))
        }
        for (index, patch) in scalp.hairLoss.patches.enumerated() {
            var cells = [Bool](repeating: false, count: map.columns * map.rows)
            for row in 0..<map.rows {
                for column in 0..<map.columns {
                    let x = origin.x + (Double(column) + 0.5) * map.cellMM - patch.xMM, y = origin.y + (Double(row) + 0.5) * map.cellMM - patch.yMM
                    cells[row * map.columns + column] = x * x + y * y <= patch.radiusMM * patch.radiusMM && map.region[row * map.columns + column] != nil
                }
            }
            masks.append((String(format: "patch %d (radius %.0f mm)", index + 1, patch.radiusMM), cells))
        }
        guard !masks.isEmpty else { return [] }
        let cellArea = map.cellMM * map.cellMM / 100
        let rasters = try plan.sessions.map { try map.density(after: $0, design: plan.design) }
        return masks.compactMap { name, cells in
            let area = Double(cells.filter { $0 }.count) * cellArea
            guard area > 0 else { return nil }
            var counts = [Int](repeating: 0, count: plan.sessions.count)
            for dot in dots {
                let column = Int(((dot.xMM - origin.x) / map.cellMM).rounded(.down)), row = Int(((dot.yMM - origin.y) / map.cellMM).rounded(.down))
                guard (0..<map.columns).contains(column), (0..<map.rows).contains(row), cells[row * map.columns + column] else { continue }
                counts[dot.layer - 1] += 1
            }
            var cumulative = 0
            let sessions = plan.sessions.enumerated().map { index, session in
                let target = zip(cells, rasters[index].dotsPerCM2).reduce(0.0) { $0 + ($1.0 ? Double($1.1) * cellArea : 0) }
                cumulative += counts[index]
                return SessionFigures(session: index + 1, day: session.day, targetDotsPerCM2: target / area,
                                      achievedDotsPerCM2: Double(cumulative) / area, newDots: counts[index], cumulativeDots: cumulative)
            }
            return RegionFigures(region: name, areaCM2: area, sessions: sessions)
        }
    }
}
