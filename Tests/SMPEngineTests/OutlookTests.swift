import Foundation
import Testing
import PoissonDisk
@testable import SMPEngine

@Suite("The outlook: how the result ages (outcome range) and how it reads from a distance")
struct OutlookTests {
    static let sceneText = SceneRenderingTests.scene

    static func rendered() throws -> (rendering: SceneRendering, preview: ScenePreview, view: MapView) {
        let scene = try Scene.load(yaml: sceneText, file: "small.yaml")
        let rendering = SceneRendering(scene: scene, sceneText: sceneText, threads: 2)
        let preview = try ScenePreview(scene: scene, threads: 2)
        return (rendering, preview, rendering.view(of: preview.map))
    }

    @Test("ageing: the retained ink falls and the cloud widens with time, for every variant; heavy fades faster than light")
    func fadingLaws() throws {
        let scene = try Scene.load(yaml: Self.sceneText, file: "small.yaml")
        for variant in scene.ageing.variants {
            let model = scene.pigment.ageing(variant)
            let days = stride(from: 0.0, through: 10 * 365.25, by: 30).map { $0 }
            let ink = days.map { model.retainedInkFraction(ageDays: $0) }, width = days.map { model.spreadFactor(ageDays: $0) }
            #expect(zip(ink, ink.dropFirst()).allSatisfy { $0 > $1 }, "\(variant.name): ink must fall every month")
            #expect(zip(width, width.dropFirst()).allSatisfy { $0 < $1 }, "\(variant.name): clouds must widen every month")
        }
        let light = scene.pigment.ageing(AgeingRange.light), heavy = scene.pigment.ageing(AgeingRange.heavy)
        #expect(heavy.effectiveHalfLifeYears < scene.pigment.effectiveHalfLifeYears)
        #expect(scene.pigment.effectiveHalfLifeYears < light.effectiveHalfLifeYears)
    }

    @Test("outcome-range: darkening falls along each row; heavy is lighter and wider than light at every year; typical is the scene's own pigment")
    func outcomeRange() throws {
        let (rendering, preview, view) = try Self.rendered()
        let range = try OutcomeRange.render(rendering, preview: preview, view: view, font: .dejaVuSans(), threads: 2)
        let years = rendering.scene.ageing.years
        #expect(range.table.count == 3 * years.count)
        #expect(range.healedDarkening > 0.05)
        for row in 0..<3 {
            let cells = range.table[(row * years.count)..<((row + 1) * years.count)]
            let darkening = cells.map(\.darkening)
            #expect(zip(darkening, darkening.dropFirst()).allSatisfy { $0 > $1 }, "\(cells.first!.variant): \(darkening)")
            #expect(darkening.allSatisfy { $0 < range.healedDarkening + 0.005 })
        }
        for column in years.indices {
            let light = range.table[column], heavy = range.table[2 * years.count + column]
            #expect(heavy.darkening < light.darkening, "year \(years[column]): heavy \(heavy.darkening), light \(light.darkening)")
            #expect(heavy.widthOfHealed > light.widthOfHealed)
            #expect(heavy.inkOfHealed < light.inkOfHealed)
        }
        #expect(range.table[years.count].halfLifeYears == rendering.scene.pigment.fadeHalfLifeYears)
        // The sheet: 3 × 3 panels of the window, with their labels, wider than the panels.
        #expect(range.image.widthPixels > 3 * range.window.widthPixels)
        #expect(range.image.heightPixels > 3 * range.window.heightPixels)
    }

    @Test("distance: the 2 m view's local contrast is far below the close-up's, its mean tone the same within 1 %")
    func viewingDistance() throws {
        let (rendering, preview, view) = try Self.rendered()
        let strip = try ViewingDistance.render(rendering, preview: preview, view: view, font: .dejaVuSans())
        #expect(strip.panels.map(\.distanceMM) == [nil, 300, 1000, 2000])
        let closeUp = strip.panels[0], far = strip.panels[3]
        #expect(closeUp.contrast > 0.01)
        #expect(far.contrast < 0.35 * closeUp.contrast, "2 m \(far.contrast) vs 1:1 \(closeUp.contrast)")
        let contrasts = strip.panels.map(\.contrast)
        #expect(zip(contrasts, contrasts.dropFirst()).allSatisfy { $0 >= $1 - 1e-4 }, "contrast must fall with distance: \(contrasts)")
        for panel in strip.panels {
            #expect(abs(panel.meanLuminance / closeUp.meanLuminance - 1) < 0.01)
        }
    }

    @Test("the contrast sensitivity: 1 up to its peak (about 8 cycles/degree), falling beyond it, nearly nothing past 50")
    func sensitivity() {
        #expect(abs(ContrastSensitivity.peakCyclesPerDegree - 8) < 0.5)
        #expect(ContrastSensitivity.lowPass(cyclesPerDegree: 0) == 1)
        #expect(ContrastSensitivity.lowPass(cyclesPerDegree: 4) == 1)
        let falling = stride(from: 9.0, through: 60, by: 1).map { ContrastSensitivity.lowPass(cyclesPerDegree: $0) }
        #expect(zip(falling, falling.dropFirst()).allSatisfy { $0 > $1 })
        #expect(ContrastSensitivity.lowPass(cyclesPerDegree: 50) < 0.05)
    }

    @Test("the cosine transform is orthonormal: forward then inverse gives the data back")
    func cosineTransform() {
        let width = 7, height = 5
        let data = (0..<(width * height)).map { Double(($0 * 37) % 11) / 11 }
        let columns = CosineTransform(size: width), rows = CosineTransform(size: height)
        let back = CosineTransform.inverse2D(CosineTransform.forward2D(data, width: width, height: height, columns: columns, rows: rows),
                                             width: width, height: height, columns: columns, rows: rows)
        #expect(zip(data, back).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test("ageing: keys read from the scene, unknown ones and out-of-range values refused with their key path")
    func ageingKeys() throws {
        let text = Self.sceneText + "\nageing: { heavy: { fadeHalfLifeYears: 2, sunExposure: 1 }, years: [2, 4] }\n"
        let scene = try Scene.load(yaml: text, file: "a.yaml")
        #expect(scene.ageing.years == [2, 4])
        #expect(scene.ageing.variants[2].fadeHalfLifeYears == 2 && scene.ageing.variants[2].sunExposure == 1)
        #expect(scene.ageing.variants[2].spreadPer5Years == AgeingRange.heavy.spreadPer5Years)
        #expect(scene.ageing.variants[1] == AgeingRange.typical)
        #expect(throws: SceneError.self) { try Scene.load(yaml: Self.sceneText + "\nageing: { heavy: { fadeHalfLifeYears: 0 } }\n", file: "b.yaml") }
        do {
            _ = try Scene.load(yaml: Self.sceneText + "\nageing: { medium: {} }\n", file: "c.yaml")
            Issue.record("an unknown variant was accepted")
        } catch {
            #expect("\(error)".contains("ageing.medium"))
        }
    }
}
