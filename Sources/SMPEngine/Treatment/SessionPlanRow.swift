import PoissonDisk

/// One session of the plan as `smp plan` prints it and the live page shows it: the needle and
/// ink, the dots it adds and the cumulative density it builds per region.
public struct SessionPlanRow: Sendable, Codable, Equatable {
    public var session: Int
    public var day: Double
    public var needleDiameterMM: Double
    public var needleConfiguration: String
    public var impressionDiameterMM: Double
    public var ink: String
    public var dilution: Double
    public var depthMM: Double
    public var newDots: Int
    public var cumulativeDots: Int
    /// Needle impressions: one per dot, whatever the grouping.
    public var impressions: Int
    /// The impressions in each plan region (`PlanRegion`, scars and patches apart from the
    /// region they lie in; `outside` for dots off every region), adding up to `impressions`.
    public var impressionsPerRegion: [String: Int]
    /// Estimated session time at the scene's `sessionRate`, set-up included.
    public var estimatedHours: Double
    /// Achieved cumulative density per region, and per scar and patch, after this session,
    /// dots per cm².
    public var dotsPerCM2: [String: Double]
    /// The needle and dilution in the regions (scars and patches too) where the session sets
    /// them apart (`regionOverrides`), each resolved; nil when it sets none.
    public var regions: [String: RegionTools]?

    /// A session's needle and dilution in one region.
    public struct RegionTools: Sendable, Codable, Equatable {
        public var needleDiameterMM: Double
        public var needleConfiguration: String
        public var impressionDiameterMM: Double
        public var dilution: Double

        public init(_ session: Session) {
            needleDiameterMM = session.needle.diameterMM
            needleConfiguration = session.needle.configuration.rawValue
            impressionDiameterMM = session.needle.impressionDiameterMM
            dilution = session.dilution
        }

        /// "0.25 mm 1RL, dilution 0.60": the needle by its diameter and grouping.
        public var text: String {
            String(format: "%.2f mm %@, dilution %.2f", needleDiameterMM, needleConfiguration == "single" ? "1RL" : "3RL", dilution)
        }
    }

    /// The resolved needle and dilution of each region `session` overrides, nil for none.
    public static func regionTools(_ session: Session) -> [String: RegionTools]? {
        guard !session.regionOverrides.isEmpty else { return nil }
        return Dictionary(uniqueKeysWithValues: session.regionOverrides.keys.map { ($0.rawValue, RegionTools(session.resolved(in: $0))) })
    }

    /// The rows of `scene`'s plan, from its placed `dots` and their `report`.
    public static func rows(scene: Scene, dots: [PoissonDot], report: DensityReport) -> [SessionPlanRow] {
        var newDots = [Int](repeating: 0, count: scene.sessions.count)
        // Per session, the dots of each zone (`PlanRegion.zone`, 0 outside every region).
        let zones = PlanRegion.allCases.count + 1
        var perZone = [Int](repeating: 0, count: scene.sessions.count * zones)
        for dot in dots where (1...scene.sessions.count).contains(dot.layer) {
            newDots[dot.layer - 1] += 1
            perZone[(dot.layer - 1) * zones + (Int(dot.zone) < zones ? Int(dot.zone) : 0)] += 1
        }
        func impressionsPerRegion(_ index: Int) -> [String: Int] {
            var result: [String: Int] = [:]
            for zone in 0..<zones where perZone[index * zones + zone] > 0 {
                result[PlanRegion(zone: UInt8(zone))?.rawValue ?? "outside"] = perZone[index * zones + zone]
            }
            return result
        }
        var cumulative = 0
        return scene.sessions.enumerated().map { index, session in
            cumulative += newDots[index]
            var densities: [String: Double] = [:]
            for region in report.regions + (report.features ?? []) { densities[region.region] = region.sessions[index].achievedDotsPerCM2 }
            return SessionPlanRow(session: index + 1, day: session.day, needleDiameterMM: session.needle.diameterMM,
                                  needleConfiguration: session.needle.configuration.rawValue,
                                  impressionDiameterMM: session.needle.impressionDiameterMM, ink: session.ink.description,
                                  dilution: session.dilution, depthMM: session.depthMM, newDots: newDots[index],
                                  cumulativeDots: cumulative, impressions: newDots[index],
                                  impressionsPerRegion: impressionsPerRegion(index), estimatedHours: scene.sessionRate.hours(impressions: newDots[index]), dotsPerCM2: densities,
                                  regions: regionTools(session))
        }
    }
}
