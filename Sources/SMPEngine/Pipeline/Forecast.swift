import Foundation
import ImageText
import PoissonDisk

/// The long forecast: fading, touch-ups and hair loss going on over the years after the plan
/// (`forecast.png`, and the forecast table of `smp plan`). Darkening is measured, year by
/// year, in the timeline's window (where the last session treated most fully), as the
/// outcome range measures it; a touch-up is due when it falls more than the scene's
/// `forecast.touchUpMargin` below the healed result's.
public struct Forecast: Sendable {
    /// One moment of the forecast.
    public struct Moment: Codable, Sendable, Equatable {
        public var years: Double
        /// Days after the plan's first session the moment shows: `years` on, or 42 days after a
        /// touch-up in the six weeks before (a fresh touch-up is red, not its result).
        public var day: Double
        public var touchUpsDone: Int
        /// 1 − mean linear luminance of the window / that of the same skin untreated.
        public var darkening: Double
        public var ofHealed: Double
        /// Bald scalp then that the sessions done by then leave untreated
        /// (`ForecastPlan.untreatedBaldCM2`), cm² per region.
        public var untreatedBaldCM2: [String: Double]
        public var untreatedBaldTotalCM2: Double { untreatedBaldCM2.values.reduce(0, +) }
    }

    public var plan: ForecastPlan
    public var window: MapView
    public var healedDarkening: Double
    public var margin: Double
    /// Every whole year from 0 (healed) to `forecast.years`.
    public var yearly: [Moment]
    /// Years after the plan when the darkening crosses (1 − margin) × healed, each counted
    /// from the last restore (linear between the yearly measurements).
    public var touchUpsDue: [Double]

    /// Measures the forecast of `rendering`'s scene as `preview` places its plan.
    public static func measure(_ rendering: SceneRendering, preview: ScenePreview, view: MapView,
                               threads: Int = 1) throws -> Forecast {
        let plan = ForecastPlan(rendering.scene)
        let map = preview.map, planDots = preview.dots
        let dots = try plan.dots(planDots: planDots, planMap: map)
        let window = rendering.timelineView(map: map, dots: planDots, view: view)
        let settings = rendering.scene.forecast
        let years = (0...Int(settings.years.rounded(.up))).map(Double.init)
        let moments = years.map { moment(plan, years: $0) }
        let surfaces = try plan.surfaces(afterYears: moments.map(\.years), preview: preview, view: window)
        let measured = PanelPixels.render(count: 2 * moments.count, threads: threads) { index in
            let moment = moments[index / 2]
            var staged = rendering
            staged.scene = plan.scene(afterYears: moment.years)
            return PanelPixels(staged.renderer(view: window, dots: dots, day: index % 2 == 0 ? nil : moment.day, surface: surfaces[index / 2]))
        }
        var yearly: [Moment] = []
        for (index, var moment) in moments.enumerated() {
            let untreated = max(measured[2 * index].meanLinearLuminance, .leastNormalMagnitude)
            moment.darkening = 1 - measured[2 * index + 1].meanLinearLuminance / untreated
            let areas = try plan.untreatedBaldCM2(afterYears: moment.years, planMap: map)
            moment.untreatedBaldCM2 = Dictionary(uniqueKeysWithValues: areas.map { ($0.key.rawValue, ($0.value * 10).rounded() / 10) })
            yearly.append(moment)
        }
        let healed = yearly.first?.darkening ?? 0
        for index in yearly.indices { yearly[index].ofHealed = healed > 0 ? yearly[index].darkening / healed : 1 }
        return Forecast(plan: plan, window: window, healedDarkening: healed, margin: settings.touchUpMargin, yearly: yearly,
                        touchUpsDue: dueYears(yearly, margin: settings.touchUpMargin))
    }

    /// The moment `years` after the plan (its darkening not yet measured).
    static func moment(_ plan: ForecastPlan, years: Double) -> Moment {
        var day = plan.day(afterYears: max(years, TreatmentTime.healedAfterDays / 365.25))
        let touchUpDays = plan.scene.sessions[plan.planSessions...].map(\.day)
        if let recent = touchUpDays.last(where: { $0 <= day && $0 > day - TreatmentTime.healedAfterDays }) {
            day = recent + TreatmentTime.healedAfterDays
        }
        return Moment(years: years, day: day, touchUpsDone: touchUpDays.filter { $0 <= day }.count, darkening: 0, ofHealed: 1,
                      untreatedBaldCM2: [:])
    }

    /// Where the measured darkening first falls below (1 − margin) of healed, and again after
    /// each rise back above it (a touch-up); a touch-up that leaves it below is due again at once.
    static func dueYears(_ yearly: [Moment], margin: Double) -> [Double] {
        var due: [Double] = []
        let threshold = 1 - margin
        for (a, b) in zip(yearly, yearly.dropFirst()) {
            if a.ofHealed >= threshold && b.ofHealed < threshold {
                due.append(a.years + (b.years - a.years) * (a.ofHealed - threshold) / (a.ofHealed - b.ofHealed))
            } else if b.touchUpsDone > a.touchUpsDone && b.ofHealed < threshold {
                due.append(b.years)
            }
        }
        return due
    }

    /// `forecast.png`: the whole view (or the scene's crop) at each of `forecast.milestonesYears`,
    /// at a scale that keeps each panel about 480 pixels wide at most, labelled with its year,
    /// the touch-ups done, its darkening and the bald scalp left untreated.
    public func image(_ rendering: SceneRendering, preview: ScenePreview, view: MapView, font: Font,
                      threads: Int = 1) throws -> ContactSheet {
        let (panels, pixelsPerMM) = try milestonePanels(rendering, preview: preview, view: view, threads: threads)
        let scene = plan.scene
        let progression = scene.hairLoss.progression.map { " · hair loss reaching \($0.to.rawValue) after \(OutcomeRange.yearsText($0.afterYears))" } ?? ""
        let touchUps = scene.forecast.touchUps.isEmpty ? "no touch-ups planned"
            : "touch-ups at " + scene.forecast.touchUps.map { OutcomeRange.yearsText($0.afterYears) }.joined(separator: ", ")
        let due = touchUpsDue.isEmpty ? "no touch-up due in \(OutcomeRange.yearsText(scene.forecast.years))"
            : "touch-up due (darkening \(Int((margin * 100).rounded())) % below healed) at year " + touchUpsDue.map { String(format: "%.1f", $0) }.joined(separator: ", ")
        return try ContactSheet(titleLines: ["\(scene.name) · simulation · the years after the plan (typical ageing)\(progression)",
                                             "\(touchUps); \(due)"],
                                panels: panels.map { ($0.labelLines, $0.pixels) }, columns: min(3, max(1, panels.count)),
                                pixelsPerMM: pixelsPerMM, font: font,
                                pixelSize: max(14, SceneRendering.timelineTextPixels(pixelsPerMM: 10) - 4), scaleBarMM: 50)
    }

    /// `forecast.png`'s panels with their labels, and their scale (px/mm).
    public func milestonePanels(_ rendering: SceneRendering, preview: ScenePreview, view: MapView,
                                threads: Int = 1) throws -> (panels: [LabelledPanel], pixelsPerMM: Double) {
        let scene = plan.scene, map = preview.map
        let dots = try plan.dots(planDots: preview.dots, planMap: map)
        let small = MapView(originXMM: view.originXMM, originYMM: view.originYMM, widthMM: view.widthMM, heightMM: view.heightMM,
                            pixelsPerMM: min(view.pixelsPerMM, 480 / max(view.widthMM, view.heightMM)))
        let milestones = scene.forecast.milestonesYears.map { Self.moment(plan, years: $0) }
        let surfaces = try plan.surfaces(afterYears: milestones.map(\.years), preview: preview, view: small)
        let pixels = PanelPixels.render(count: milestones.count, threads: threads) { index in
            var staged = rendering
            staged.scene = plan.scene(afterYears: milestones[index].years)
            return PanelPixels(staged.renderer(view: small, dots: dots, day: milestones[index].day, surface: surfaces[index]))
        }
        let panels = try zip(milestones, pixels).map { moment, pixels in
            let nearest = yearly.min { abs($0.years - moment.years) < abs($1.years - moment.years) }
            let untreated = try nearest.flatMap { $0.years == moment.years ? $0.untreatedBaldTotalCM2 : nil }
                ?? plan.untreatedBaldCM2(afterYears: moment.years, planMap: map).values.reduce(0, +)
            let year = moment.years == 0 ? "healed" : "year \(OutcomeRange.yearsText(moment.years).split(separator: " ")[0])"
            var lines = [year + (moment.touchUpsDone > 0 ? " · \(moment.touchUpsDone) touch-up\(moment.touchUpsDone == 1 ? "" : "s") done" : "")]
            if let nearest, nearest.years == moment.years {
                lines.append(String(format: "window %.0f %% of healed darkness", 100 * nearest.ofHealed))
            }
            lines.append(untreated >= 0.5 ? String(format: "untreated bald scalp %.0f cm²", untreated) : "no untreated bald scalp")
            return LabelledPanel(labelLines: lines, pixels: pixels)
        }
        return (panels, small.pixelsPerMM)
    }
}
