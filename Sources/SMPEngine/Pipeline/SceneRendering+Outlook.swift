import ImageText
import PoissonDisk

/// The outputs that look past the healed result: `outcome-range.png` (how it may age) and
/// `distance.png` (how it reads from a normal distance), `forecast.png` (the years after the plan), and
/// the technician's `stencil.png` / `stencil.pdf`.
extension SceneRendering {
    /// What the outlook outputs measured, for report.json.
    public struct Outlook: Sendable {
        public var outcomeRange: OutcomeRange?
        public var viewingDistance: ViewingDistance?
        public var forecast: Forecast?
        /// Written as `stencil.pdf` beside `stencil.png`.
        public var stencil: HairlineStencil?
    }

    /// The outlook images `selected` asks for, built now (a missing font is reported before any
    /// file is written), with what they measured.
    func outlookJobs(_ preview: ScenePreview, view: MapView, selected: [String]?) throws -> (jobs: [ImageJob], outlook: Outlook) {
        var jobs: [ImageJob] = []
        var outlook = Outlook()
        if OutputSelection.includes(selected, "outcome-range") {
            let range = try OutcomeRange.render(self, preview: preview, view: view, font: Font.dejaVuSans(), threads: threads)
            let years = scene.ageing.years.map { OutcomeRange.yearsText($0) }.joined(separator: ", ")
            jobs.append(ImageJob(name: "outcome-range", day: nil, moment: "\(years) after session \(scene.sessions.count)") { range.image })
            outlook.outcomeRange = range
        }
        if OutputSelection.includes(selected, "distance") {
            let strip = try ViewingDistance.render(self, preview: preview, view: view, font: Font.dejaVuSans())
            jobs.append(ImageJob(name: "distance", day: nil, moment: "healed, seen from 1:1, 30 cm, 1 m, 2 m") { strip.image })
            outlook.viewingDistance = strip
        }
        if OutputSelection.includes(selected, "forecast") {
            let forecast = try Forecast.measure(self, preview: preview, view: view, threads: threads)
            let sheet = try forecast.image(self, preview: preview, view: view, font: Font.dejaVuSans(), threads: threads)
            let years = scene.forecast.milestonesYears.map { OutcomeRange.yearsText($0) }.joined(separator: ", ")
            jobs.append(ImageJob(name: "forecast", day: nil, moment: "\(years) after session \(scene.sessions.count)") { sheet })
            outlook.forecast = forecast
        }
        if OutputSelection.includes(selected, "stencil") {
            let stencil = HairlineStencil(scene: scene, map: preview.map)
            let image = try stencil.image(pixelsPerMM: max(10, scene.render.pixelsPerMM), font: Font.dejaVuSans())
            jobs.append(ImageJob(name: "stencil", day: nil, moment: "the designed hairline, 1:1") { image })
            outlook.stencil = stencil
        }
        return (jobs, outlook)
    }
}
