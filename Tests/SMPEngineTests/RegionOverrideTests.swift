import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("Needle and dilution per region, and touch-ups that re-ink the old dots")
struct RegionOverrideTests {
    /// The default plan with the last session's hairline worked finer and paler, its crown with
    /// a three-point grouping.
    static let overrides = """
        name: regions
        seed: 5
        hairLoss: { pattern: norwood6 }
        render: { pixelsPerMM: 4 }
        sessions:
          - { day: 0, densityFactor: 0.4 }
          - { day: 14, densityFactor: 0.75 }
          - day: 28
            densityFactor: 1
            needle: { diameterMM: 0.25, configuration: single }
            dilution: 0.3
            regionOverrides:
              frontalHairline: { needle: { diameterMM: 0.20 }, dilution: 0.6 }
              crown: { needle: { configuration: threePoint } }
        """

    @Test("a region's dots get its needle and its dilution; the other regions' dots the session's")
    func regionDots() throws {
        let scene = try Scene.load(yaml: Self.overrides, file: "regions.yaml")
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene.sessionPlan, on: map)
        let last = scene.sessions[2]
        let hairline = Needle(diameterMM: 0.20, configuration: .single).impressionDiameterMM
        let crown = Needle(diameterMM: 0.25, configuration: .threePoint).impressionDiameterMM
        var counts: [ScalpRegion: Int] = [:]
        for dot in dots where dot.layer == 3 {
            let region = map.region(atXMM: dot.xMM, yMM: dot.yMM)
            #expect(dot.zone == (region?.zone ?? 0))
            let expected = region == .frontalHairline ? hairline : region == .crown ? crown : last.needle.impressionDiameterMM
            #expect(dot.diameterMM == expected, "\(region?.rawValue ?? "none") dot of \(dot.diameterMM) mm")
            if let region { counts[region, default: 0] += 1 }
        }
        #expect(counts[.frontalHairline] ?? 0 > 50 && counts[.crown] ?? 0 > 50 && counts[.midScalp] ?? 0 > 50, "\(counts)")
        // The earlier sessions set nothing apart: their hairline dots keep the session's needle.
        #expect(dots.filter { $0.layer == 1 && $0.zone == ScalpRegion.frontalHairline.zone }
            .allSatisfy { $0.diameterMM == scene.sessions[0].needle.impressionDiameterMM })

        // The same dot drawn in the hairline and in the mid scalp: the hairline's ink is
        // (1 − 0.6) / (1 − 0.3) of the other's, at the same width.
        let model = scene.pigment
        var dot = PoissonDot(xMM: 0, yMM: 0, spacingMM: 1, layer: 3, diameterMM: 0.25, variationSeed: 99)
        dot.zone = ScalpRegion.frontalHairline.zone
        let inHairline = model.components(of: [dot], sessions: scene.sessions, atDay: 28 + 60)
        dot.zone = ScalpRegion.midScalp.zone
        let inMidScalp = model.components(of: [dot], sessions: scene.sessions, atDay: 28 + 60)
        let hairlineSession = scene.sessions[2].resolved(in: .frontalHairline), midSession = scene.sessions[2].resolved(in: .midScalp)
        #expect(hairlineSession.dilution == 0.6 && midSession.dilution == 0.3)
        let drawn = model.components(of: dot, session: hairlineSession, ageDays: 60)
        #expect(inHairline.map(\.amount) == drawn.map(\.amount) && inHairline.map(\.sigmaMM) == drawn.map(\.sigmaMM))
        #expect(inMidScalp.map(\.amount) == model.components(of: dot, session: midSession, ageDays: 60).map(\.amount))
        let hairlineInk = try #require(model.cloud(of: dot, session: hairlineSession, ageDays: 60)).inkMG
        let midInk = try #require(model.cloud(of: dot, session: midSession, ageDays: 60)).inkMG
        #expect(abs(hairlineInk / midInk - 0.4 / 0.7) < 1e-9, "ink ratio \(hairlineInk / midInk)")
    }

    @Test("the plan rows name each region's needle and dilution; a session without overrides has none")
    func planRows() throws {
        let scene = try Scene.load(yaml: Self.overrides, file: "regions.yaml")
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene.sessionPlan, on: map)
        let rows = SessionPlanRow.rows(scene: scene, dots: dots, report: try DensityReport(scene: scene, map: map, dots: dots))
        #expect(rows[0].regions == nil && rows[1].regions == nil)
        let regions = try #require(rows[2].regions)
        #expect(Set(regions.keys) == ["frontalHairline", "crown"])
        #expect(regions["frontalHairline"]?.dilution == 0.6 && regions["frontalHairline"]?.needleDiameterMM == 0.20)
        #expect(regions["crown"]?.dilution == 0.3 && regions["crown"]?.needleConfiguration == "threePoint")
        #expect(regions["frontalHairline"]?.text == "0.20 mm 1RL, dilution 0.60")
    }

    @Test("region overrides are checked with key paths and allowed values")
    func keys() throws {
        func problems(_ overrides: String) -> String {
            do {
                _ = try Scene.load(yaml: "name: k\nsessions:\n  - day: 0\n    regionOverrides: \(overrides)\n", file: "k.yaml")
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(problems("{ crwn: { dilution: 0.2 } }").contains("sessions[0].regionOverrides.crwn: unknown key; did you mean `crown`?"))
        #expect(problems("{ crown: { dilution: 1.2 } }").contains("sessions[0].regionOverrides.crown.dilution: 1.2 is out of range; allowed: 0 to 0.95"))
        #expect(problems("{ crown: { needle: { diameterMM: 2 } } }").contains("sessions[0].regionOverrides.crown.needle.diameterMM"))
        #expect(problems("{ crown: {} }").contains("sessions[0].regionOverrides.crown: empty"))
        #expect(problems("{ crown: { needle: { configuration: threePoint } } }").isEmpty)
    }

    static let touchUpBase = SceneRenderingTests.scene + "\nforecast: { years: 10, milestonesYears: [0, 5, 10] }\n"

    @Test("a touch-up that re-inks the old dots brings the darkening back to within the margin and moves the next due date out")
    func reinking() throws {
        // Re-inking alone (no new density) against the same touch-up re-inking nothing.
        let reinked = try ForecastTests.forecast(Self.touchUpBase + "\ntouchUps: [{ afterYears: 4, densityFactor: 1 }]\n")
        let none = try ForecastTests.forecast(Self.touchUpBase + "\ntouchUps: [{ afterYears: 4, densityFactor: 1, reink: 0 }]\n")
        let margin = reinked.margin
        let before = try #require(reinked.yearly.first { $0.years == 3 }), after = try #require(reinked.yearly.first { $0.years == 4 })
        #expect(before.ofHealed < after.ofHealed)
        #expect(abs(after.ofHealed - 1) <= margin, "after re-inking \(after.ofHealed) of healed")
        let unreinked = try #require(none.yearly.first { $0.years == 4 })
        #expect(unreinked.ofHealed < after.ofHealed - 0.2, "without re-inking \(unreinked.ofHealed), with \(after.ofHealed)")
        // Both are due once before the touch-up; the re-inked plan's next due date lies years
        // later (the one without re-inking is due again at once).
        let firstDue = try #require(reinked.touchUpsDue.first)
        #expect(firstDue < 4 && none.touchUpsDue.first == firstDue)
        let nextReinked = reinked.touchUpsDue.dropFirst().first ?? 99, nextNone = try #require(none.touchUpsDue.dropFirst().first)
        #expect(nextNone <= 4.001 && nextReinked > 4 + 2, "next due: re-inked \(nextReinked), not \(nextNone)")
    }

    @Test("a touch-up re-inks its share of the dots in its regions only, each at its old place with the touch-up's needle")
    func reinkedDots() throws {
        let scene = try Scene.load(yaml: Self.overrides + "\ntouchUps: [{ afterYears: 4, densityFactor: 1, regions: [crown], reink: 0.5 }]\n",
                                   file: "r.yaml")
        let map = ScalpMap(scene: scene)
        let planDots = try DotPlacement.dots(for: scene.sessionPlan, on: map)
        let plan = ForecastPlan(scene)
        var inked = planDots.map { scene.sessions[$0.layer - 1].day }
        let fresh = plan.reinkedDots(of: planDots, inkedDay: &inked, session: 3, map: map)
        let crownDots = planDots.filter { $0.zone == ScalpRegion.crown.zone }
        #expect(fresh.allSatisfy { $0.zone == ScalpRegion.crown.zone && $0.layer == 4 })
        let share = Double(fresh.count) / Double(crownDots.count)
        #expect(abs(share - 0.5) < 0.05, "re-inked \(share) of the crown's dots")
        let places = Set(crownDots.map { SIMD2($0.xMM, $0.yMM) })
        #expect(fresh.allSatisfy { places.contains(SIMD2($0.xMM, $0.yMM)) })
        // The last session's crown needle (three-point) carries over to the touch-up.
        #expect(fresh.allSatisfy { $0.diameterMM == Needle(diameterMM: 0.25, configuration: .threePoint).impressionDiameterMM })
        // Each tops its impression up by what faded in the four years: 1 − 2^(−4 / 5) of a deposit.
        let faded = 1 - pow(2, -(4 * 365.25 + 28 - 28) / (5 * 365.25))
        #expect(fresh.allSatisfy { abs(Double($0.inkFactor) - faded) < 0.01 }, "\(fresh.first?.inkFactor ?? 0) against \(faded)")
    }
}
