import Foundation
import ImageText
import PoissonDisk

/// `outcome-range.png`: the same patch of treated scalp aged three ways (the scene's `ageing`
/// light, typical and heavy, one row each) at the same years after the last session (one
/// column each), with what each panel measures: a range of outcomes, never one image that reads
/// like a promise. `table` holds the numbers the handout and report print beside it.
public struct OutcomeRange: Sendable {
    /// One panel's ageing and what it measured.
    public struct Cell: Codable, Sendable, Equatable {
        public var variant: String
        public var years: Double
        /// The half-life after the sun's share, years.
        public var halfLifeYears: Double
        /// Ink left in the skin as a fraction of the healed result's.
        public var inkOfHealed: Double
        /// The ink cloud's width (σ) as a multiple of the healed one's.
        public var widthOfHealed: Double
        /// 1 − mean linear luminance of the panel / that of the same skin untreated.
        public var darkening: Double
    }

    /// The chart window every panel shows (`SceneRendering.timelineView`).
    public var window: MapView
    /// The darkening of the same window healed (42 days after the last session).
    public var healedDarkening: Double
    /// Row by row (variants), column by column (years).
    public var table: [Cell]
    public var image: ContactSheet
    /// The sheet's aged panels, row by row, with their labels: the handout lays them out itself.
    public var panels: [LabelledPanel] = []

    /// Renders the range for `rendering`'s scene as `preview` places it, the panels `threads` at
    /// a time (the pixels do not depend on it).
    public static func render(_ rendering: SceneRendering, preview: ScenePreview, view: MapView, font: Font,
                              threads: Int = 1) throws -> OutcomeRange {
        let scene = rendering.scene, dots = preview.dots
        let window = rendering.timelineView(map: preview.map, dots: dots, view: view)
        let surface = preview.surface(view: window)
        let lastDay = scene.sessions.last?.day ?? 0
        let healedDay = lastDay + TreatmentTime.healedAfterDays
        let variants = scene.ageing.variants, years = scene.ageing.years
        // Panel 0 the untreated skin, 1 the healed result, then the grid row by row.
        let jobs: [(model: PigmentModel, day: Double?)] = [(scene.pigment, nil), (scene.pigment, healedDay)]
            + variants.flatMap { variant in years.map { (scene.pigment.ageing(variant), lastDay + $0 * 365.25) } }
        let pixels = PanelPixels.render(count: jobs.count, threads: threads) { index in
            var aged = rendering
            aged.scene.pigment = jobs[index].model
            return PanelPixels(aged.renderer(view: window, dots: dots, day: jobs[index].day, surface: surface))
        }
        let untreated = max(pixels[0].meanLinearLuminance, .leastNormalMagnitude)
        func darkening(_ panel: PanelPixels) -> Double { 1 - panel.meanLinearLuminance / untreated }
        let healedAge = healedDay - lastDay
        var table: [Cell] = []
        var panels: [(labelLines: [String], pixels: PanelPixels)] = []
        for (row, variant) in variants.enumerated() {
            let model = scene.pigment.ageing(variant)
            for (column, year) in years.enumerated() {
                let age = year * 365.25
                let cell = Cell(variant: variant.name, years: year, halfLifeYears: model.effectiveHalfLifeYears,
                                inkOfHealed: model.retainedInkFraction(ageDays: age) / model.retainedInkFraction(ageDays: healedAge),
                                widthOfHealed: model.spreadFactor(ageDays: age) / model.spreadFactor(ageDays: healedAge),
                                darkening: darkening(pixels[2 + row * years.count + column]))
                table.append(cell)
                panels.append((["\(variant.name), \(Self.yearsText(year))",
                                 String(format: "darker %.0f %% · ink %.0f %% · width %.0f %%",
                                        100 * cell.darkening, 100 * cell.inkOfHealed, 100 * cell.widthOfHealed)],
                               pixels[2 + row * years.count + column]))
            }
        }
        let healedDarkening = darkening(pixels[1])
        let halfLives = variants.map { String(format: "%.1f", scene.pigment.ageing($0).effectiveHalfLifeYears) }.joined(separator: " / ")
        let side = Int(window.widthMM.rounded())
        let titleLines = [
            "\(scene.name) · simulation · how the result may age: a range, not a promise",
            "rows: \(variants.map(\.name).joined(separator: " / ")) ageing (ink half-life \(halfLives) years with sun, spread, blowout)",
            String(format: "%d × %d mm at 1:1; healed it is %.0f %% darker than bare skin; %% of ink and dot width are of the healed result's",
                   side, side, 100 * healedDarkening),
        ]
        let image = try ContactSheet(titleLines: titleLines, panels: panels, columns: years.count, pixelsPerMM: window.pixelsPerMM,
                                     font: font, pixelSize: SceneRendering.timelineTextPixels(pixelsPerMM: window.pixelsPerMM),
                                     scaleBarMM: 5)
        return OutcomeRange(window: window, healedDarkening: healedDarkening, table: table, image: image,
                            panels: panels.map { LabelledPanel(labelLines: $0.labelLines, pixels: $0.pixels) })
    }

    static func yearsText(_ years: Double) -> String {
        let number = years == years.rounded() ? String(Int(years)) : String(format: "%.1f", years)
        return years == 1 ? "1 year" : "\(number) years"
    }
}

/// A panel of a strip and the lines of its label, for a page that sets the labels as text (the
/// handout: text in an image shrinks with it on a phone, the page's own does not).
public struct LabelledPanel: Sendable {
    public var labelLines: [String]
    public var pixels: PanelPixels
}

extension PanelPixels {
    /// `count` panels made by `make`, `threads` at a time, each on one thread: the same pixels
    /// for any thread count.
    static func render(count: Int, threads: Int, _ make: @Sendable (Int) -> PanelPixels) -> [PanelPixels] {
        ParallelWork.map(count: count, threads: threads, make).map { $0! }
    }
}
