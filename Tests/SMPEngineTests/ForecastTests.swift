import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("The long forecast: fading, touch-ups and hair loss going on")
struct ForecastTests {
    static let base = SceneRenderingTests.scene + "\nforecast: { years: 6, milestonesYears: [0, 3, 6] }\n"

    static func forecast(_ text: String) throws -> Forecast {
        let scene = try Scene.load(yaml: text, file: "small.yaml")
        let rendering = SceneRendering(scene: scene, sceneText: text, threads: 2)
        let preview = try ScenePreview(scene: scene, threads: 2)
        return try Forecast.measure(rendering, preview: preview, view: rendering.view(of: preview.map), threads: 2)
    }

    @Test("without touch-ups the darkening falls every year and a touch-up falls due where it crosses the margin")
    func fadingAndDue() throws {
        let forecast = try Self.forecast(Self.base)
        let darkening = forecast.yearly.map(\.darkening)
        #expect(darkening.count == 7 && forecast.healedDarkening > 0.05)
        #expect(zip(darkening, darkening.dropFirst()).allSatisfy { $0 > $1 }, "\(darkening)")
        let threshold = 1 - forecast.margin
        #expect(forecast.touchUpsDue.count == 1)
        let due = try #require(forecast.touchUpsDue.first)
        #expect(forecast.yearly.filter { $0.years < due }.allSatisfy { $0.ofHealed >= threshold })
        #expect(forecast.yearly.filter { $0.years > due }.allSatisfy { $0.ofHealed < threshold })
    }

    @Test("a touch-up restores the darkening to within the margin of the healed result, with its own dots on their own day")
    func touchUpRestores() throws {
        let forecast = try Self.forecast(Self.base + "\ntouchUps: [{ afterYears: 3, densityFactor: 1.5 }]\n")
        let before = try #require(forecast.yearly.first { $0.years == 2 }), after = try #require(forecast.yearly.first { $0.years == 3 })
        #expect(after.touchUpsDone == 1 && before.touchUpsDone == 0)
        // Year 3 is shown healed: 42 days after the touch-up, not on its red first day.
        #expect(abs(after.day - (forecast.plan.day(afterYears: 3) + TreatmentTime.healedAfterDays)) < 1e-9)
        #expect(after.ofHealed >= 1 - forecast.margin, "after the touch-up \(after.ofHealed) of healed")
        #expect(after.darkening > before.darkening)
        #expect(forecast.plan.scene.sessions.count == 4 && forecast.plan.planSessions == 3)
    }

    @Test("a touch-up in some regions leaves the others' cumulative target where it was")
    func touchUpRegions() throws {
        let scene = try Scene.load(yaml: Self.base + "\ntouchUps: [{ afterYears: 3, densityFactor: 1.5, regions: [crown] }]\n", file: "s.yaml")
        let plan = ForecastPlan(scene)
        let last = scene.sessions[2], touchUp = plan.scene.sessions[3]
        for region in ScalpRegion.allCases {
            let before = last.densityFactor * (last.regionFactors[region] ?? 1)
            let after = touchUp.densityFactor * (touchUp.regionFactors[region] ?? 1)
            if region == .crown { #expect(abs(after - 1.5) < 1e-9) } else { #expect(abs(after - before) < 1e-9) }
        }
    }

    @Test("hair loss going on leaves bald scalp untreated beside the treated area until a touch-up reaches it")
    func progression() throws {
        let text = """
            name: progress
            seed: 11
            hairLoss: { pattern: norwood3, progression: { to: norwood5, afterYears: 4 } }
            render: { pixelsPerMM: 2 }
            forecast: { years: 4, milestonesYears: [0, 4] }
            """
        let scene = try Scene.load(yaml: text, file: "p.yaml")
        let plan = ForecastPlan(scene)
        let map = ScalpMap(scene: scene)
        #expect(try plan.untreatedBaldCM2(afterYears: 0, planMap: map).values.reduce(0, +) < 1)
        let later = try plan.untreatedBaldCM2(afterYears: 4, planMap: map)
        #expect(later.values.reduce(0, +) > 20, "\(later)")
        #expect(later[.crown] ?? 0 > 5)
        let treated = try Scene.load(yaml: text + "\ntouchUps: [{ afterYears: 4, densityFactor: 1.2 }]\n", file: "t.yaml")
        #expect(try ForecastPlan(treated).untreatedBaldCM2(afterYears: 4, planMap: map).values.reduce(0, +) < 1)
        // The pattern moves steadily and stops at the target.
        let half = scene.hairLoss.advanced(byYears: 2), full = scene.hairLoss.advanced(byYears: 9)
        #expect(half.crownRadiusMM > scene.hairLoss.crownRadiusMM && half.crownRadiusMM < full.crownRadiusMM)
        #expect(full.crownRadiusMM == HairLossPattern.preset(.norwood5).crownRadiusMM)
    }

    @Test("progression and touch-up keys: required values and their order are checked with key paths")
    func keys() throws {
        #expect(throws: SceneError.self) { try Scene.load(yaml: Self.base + "\ntouchUps: [{ densityFactor: 1.2 }]\n", file: "a.yaml") }
        do {
            _ = try Scene.load(yaml: Self.base + "\ntouchUps: [{ afterYears: 5, densityFactor: 1.2 }, { afterYears: 3, densityFactor: 1.4 }]\n",
                               file: "b.yaml")
            Issue.record("touch-ups out of order were accepted")
        } catch {
            #expect("\(error)".contains("touchUps[1].afterYears"))
        }
        do {
            _ = try Scene.load(yaml: "name: c\nhairLoss: { pattern: norwood3, progression: { to: norwood9, afterYears: 3 } }\n", file: "c.yaml")
            Issue.record("an unknown preset was accepted")
        } catch {
            #expect("\(error)".contains("hairLoss.progression.to"))
        }
    }
}
