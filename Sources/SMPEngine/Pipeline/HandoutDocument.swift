import Foundation

/// The handout page: everything `handout.html` shows, and the page itself (`html`). One
/// self-contained HTML file: images as `data:` URIs, the style inline, no script, no link that
/// needs a network, so that it opens the same on a phone without signal and in a printer's
/// queue. Phone first (one column, images never wider than the screen); printed, each section
/// starts a page. No date or machine in it: the same content, the same bytes.
public struct HandoutDocument: Sendable {
    public var sceneName: String
    public var notes: String
    /// The moment the "after" images show (`TreatmentTime` text: `healed`, `1y`...).
    public var afterMoment: String
    public var views: [ViewPair]
    public var closeUp: CloseUp
    /// The side of each healing patch, mm.
    public var patchSideMM: Double
    public var sessions: [SessionHealing]
    /// How the result may age, light to heavy (`OutcomeRange`); nil leaves the section out.
    public var outcomeRange: OutcomeRangeFigure?
    /// The healed patch as an eye sees it from a distance (`ViewingDistance`); nil leaves it out.
    public var viewingDistance: DistanceFigure?
    /// The years after the plan with hair loss going on and touch-ups (`Forecast`); nil leaves it out.
    public var forecast: ForecastFigure?
    public var density: DensityReport
    public var software: String
    public var sceneHash: String
    public var seed: String

    /// One head view before and after.
    public struct ViewPair: Sendable {
        public var name: String
        public var before: HandoutImage
        public var after: HandoutImage
    }

    /// The map's before and after over one window, at the map's scale.
    public struct CloseUp: Sendable {
        public var before: HandoutImage
        public var after: HandoutImage
        public var widthMM: Double
        public var heightMM: Double
    }

    /// One labelled moment of the healing patch.
    public struct Patch: Sendable {
        public var label: String
        public var image: HandoutImage
    }

    /// `outcome-range.png`'s panels, captioned, and what they measured.
    public struct OutcomeRangeFigure: Sendable {
        public var images: [Patch]
        /// 1 − luminance of the healed patch / bare skin's.
        public var healedDarkening: Double
        public var cells: [OutcomeRange.Cell]
    }

    /// `distance.png`'s panels, captioned, and each one's local contrast and mean tone.
    public struct DistanceFigure: Sendable {
        public var images: [Patch]
        public var panels: [ViewingDistance.Panel]
    }

    /// `forecast.png`'s panels, captioned, the yearly measurements, when touch-ups fall due and
    /// the scene's own.
    public struct ForecastFigure: Sendable {
        public var images: [Patch]
        public var years: [Forecast.Moment]
        /// Years after the plan when the darkening falls `margin` below the healed result's.
        public var touchUpsDue: [Double]
        public var margin: Double
        /// The scene's touch-ups in words ("after 4 years: crown").
        public var touchUps: [String]
    }

    /// A session: when, what it builds, and its patch healing.
    public struct SessionHealing: Sendable {
        public var number: Int
        /// Days after the first session.
        public var day: Double
        /// Cumulative density after it as a fraction of the design.
        public var densityFactor: Double
        public var needle: String
        public var dilution: Double
        /// The regions it works with another needle or dilution (`regionOverrides`).
        public var regionTools: [RegionTool] = []
        /// Needle impressions (one per dot) and the estimated time, set-up included.
        public var impressions: Int
        public var hours: Double
        /// The impressions into scars and into alopecia patches (`PlanRegion` names), said apart.
        public var scarAndPatchImpressions: [(region: String, impressions: Int)] = []
        public var patches: [Patch]
    }

    /// A session's needle and dilution in one region.
    public struct RegionTool: Sendable {
        /// The region's name as the scene has it (`frontalHairline`).
        public var region: String
        public var needle: String
        public var dilution: Double
    }

    /// The sections' anchors and titles, in page order.
    public static let sections = [
        (id: "before-after", title: "Before and after"), (id: "close-up", title: "Close up"),
        (id: "distance", title: "From a normal distance"), (id: "sessions", title: "Your sessions and healing"),
        (id: "aftercare", title: "Aftercare"), (id: "ageing", title: "The years after: a range"),
        (id: "forecast", title: "Ten years on: touch-ups and hair loss"),
        (id: "plan", title: "The plan in numbers"), (id: "simulation", title: "What varies between people"),
    ]

    /// The anchors of the sections this page has.
    public var sectionIDs: [String] {
        Self.sections.map(\.id).filter { id in
            switch id {
            case "distance": viewingDistance != nil
            case "ageing": outcomeRange != nil
            case "forecast": forecast != nil
            default: true
            }
        }
    }

    /// The page.
    public var html: String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape("Your SMP preview: \(sceneName)"))</title>
            <style>\(Self.style(closeUpWidthMM: closeUp.widthMM, patchSideMM: patchSideMM))</style>
            </head>
            <body>
            <header>
            <h1>Your scalp micropigmentation preview</h1>
            <p class="plan-name">Plan: <strong>\(escape(sceneName))</strong></p>

            """
        if !notes.isEmpty { page += "<p>\(escape(notes.trimmingCharacters(in: .whitespacesAndNewlines)))</p>\n" }
        page += """
            <p class="notice"><strong>A simulation, not a promise.</strong> These pictures are computed from a model \
            of your scalp and of how pigment usually heals and fades. Your own result will differ; \
            <a href="#simulation">what varies between people</a> is at the end.</p>
            <nav><ol>

            """
        for section in Self.sections where sectionIDs.contains(section.id) {
            page += "<li><a href=\"#\(section.id)\">\(section.title)</a></li>\n"
        }
        page += "</ol></nav>\n</header>\n"
        page += beforeAfterSection + closeUpSection + distanceSection + sessionsSection + Self.aftercareSection + ageingSection
            + forecastSection + planSection + Self.simulationSection
        page += """
            <footer><p>Made by \(escape(software)) from the plan “\(escape(sceneName))” (scene hash \(escape(sceneHash)), \
            seed \(escape(seed))). The head is a neutral model, not your face.</p></footer>
            </body>
            </html>

            """
        return page
    }

    var beforeAfterSection: String {
        var section = """
            <section id="before-after">
            <h2>Before and after</h2>
            <p>Your head from three sides, today and \(escape(Self.momentWords(afterMoment))). Seen from about \
            60 cm, as someone beside you would: the dots blend into a shadow like closely shaved hair.</p>

            """
        for pair in views {
            section += """
                <div class="pair">
                \(figure(pair.before, caption: "\(pair.name): today", alt: "The \(pair.name) of the head before treatment"))
                \(figure(pair.after, caption: "\(pair.name): after", alt: "The \(pair.name) of the head after treatment"))
                </div>

                """
        }
        return section + "</section>\n"
    }

    var closeUpSection: String {
        let size = "\(Self.millimetres(closeUp.widthMM)) × \(Self.millimetres(closeUp.heightMM)) mm"
        return """
            <section id="close-up">
            <h2>Close up</h2>
            <p>A \(size) patch of treated scalp, today and \(escape(Self.momentWords(afterMoment))), much closer \
            than anyone will see it: here the single dots show. Printed, these pictures are life size.</p>
            <div class="pair closeup">
            \(figure(closeUp.before, caption: "today", alt: "A \(size) patch of scalp before treatment"))
            \(figure(closeUp.after, caption: "after", alt: "The same patch after treatment"))
            </div>
            </section>

            """
    }

    var sessionsSection: String {
        let side = Self.millimetres(patchSideMM)
        var section = """
            <section id="sessions">
            <h2>Your sessions and healing</h2>
            <p>The plan has \(sessions.count) session\(sessions.count == 1 ? "" : "s"). Each builds on the one before: the \
            first lays a light base, the later ones fill between its dots and deepen the shade. Below, one \
            \(side) × \(side) mm patch of your scalp, life size when printed, as it heals after each session.</p>

            """
        for session in sessions {
            let when = session.day == 0 ? "the first day" : "day \(Self.number(session.day))"
            section += """
                <div class="block">
                <h3>Session \(session.number): \(when)</h3>
                <p>Builds the density to \(Int((session.densityFactor * 100).rounded())) % of the design: about \
                \(Self.grouped(session.impressions)) impressions\(Self.intoWords(session.scarAndPatchImpressions)), roughly \(Self.decimal(session.hours)) hours with set-up; needle \
                \(escape(session.needle)), ink diluted \(Int((session.dilution * 100).rounded())) %\(Self.regionToolsText(session.regionTools)).</p>
                \(patches(session.patches, alt: "after session \(session.number)"))
                </div>

                """
        }
        return section + "</section>\n"
    }

    var planSection: String {
        var section = """
            <section id="plan">
            <h2>The plan in numbers</h2>
            <p>Dots per cm² of scalp in each region after each session (a healthy scalp has 60 to 100 hair \
            follicle groups per cm²), the dots each session adds, and the needle and ink dilution it works \
            each region with\(scarsAndPatchesWords).</p>
            <div class="table-wrap"><table>
            <thead><tr><th>region</th><th>area cm²</th>
            """
        for session in sessions { section += "<th>after session \(session.number)</th>" }
        section += "<th>dots</th></tr></thead>\n<tbody>\n"
        for region in density.regions {
            section += "<tr><td>\(escape(Self.regionWords(region.region)))</td><td>\(Self.decimal(region.areaCM2))</td>"
            for figures in region.sessions { section += "<td>\(Self.decimal(figures.achievedDotsPerCM2))</td>" }
            section += "<td>\(Self.grouped(region.sessions.last?.cumulativeDots ?? 0))</td></tr>\n"
        }
        section += "<tr class=\"total\"><td>new dots</td><td></td>"
        for index in sessions.indices {
            let new = density.regions.reduce(0) { $0 + ($1.sessions.count > index ? $1.sessions[index].newDots : 0) }
            section += "<td>\(Self.grouped(new))</td>"
        }
        section += "<td>\(Self.grouped(density.regions.reduce(0) { $0 + ($1.sessions.last?.cumulativeDots ?? 0) }))</td>"
        section += "</tr>\n<tr class=\"tools\"><td>needle, dilution</td><td></td>"
        for session in sessions {
            let tools = ["\(session.needle), \(Self.percent(session.dilution))"]
                + session.regionTools.map { "\(Self.regionWords($0.region)): \($0.needle), \(Self.percent($0.dilution))" }
            section += "<td>\(tools.map(Self.escape).joined(separator: "<br>"))</td>"
        }
        return section + """
            <td></td></tr>
            </tbody></table></div>
            <p>In all, \(Self.grouped(density.totalDots)) dots over \(Self.decimal(density.scalpAreaCM2)) cm² of scalp.</p>
            </section>

            """
    }

    /// "; the scars are a region of their own, …": said when the table has scars or patches.
    var scarsAndPatchesWords: String {
        let names = density.regions.map(\.region)
        let own = [PlanRegion.scars, .alopeciaPatches].filter { names.contains($0.rawValue) }.map { "the " + Self.regionWords($0.rawValue) }
        guard !own.isEmpty else { return "" }
        return "; \(own.joined(separator: " and ")) \(own.count == 1 ? "are a region" : "are regions") of their own, apart from the region they lie in"
    }

    var distanceSection: String {
        guard let figure = viewingDistance else { return "" }
        let contrasts = figure.panels.map { panel in
            let name = panel.distanceMM.map { $0 < 1000 ? "from \(Self.number($0 / 10)) cm" : "from \(Self.number($0 / 1000)) m" }
            return "\(name ?? "close up") \(Self.number((100 * panel.contrast).rounded())) %"
        }
        return """
            <section id="distance">
            <h2>From a normal distance</h2>
            <p>The healed patch, first as a macro photo shows it (life size when printed), then as an eye sees it \
            from 30 cm, 1 m and 2 m. Up close the single dots show; from a conversation's distance they merge into \
            an even shadow, like shaved stubble. The shade stays the same; only the fine detail fades.</p>
            \(strip(figure.images, alt: "the healed patch", columns: figure.images.count))
            <p>Dot contrast: \(escape(contrasts.joined(separator: ", "))).</p>
            <p class="source">The eye's contrast sensitivity: Mannos and Sakrison, IEEE Transactions on Information \
            Theory 20(4), 1974.</p>
            </section>

            """
    }

    var ageingSection: String {
        guard let figure = outcomeRange else { return "" }
        let variants = figure.cells.reduce(into: [String]()) { if !$0.contains($1.variant) { $0.append($1.variant) } }
        let years = figure.cells.reduce(into: [Double]()) { if !$0.contains($1.years) { $0.append($1.years) } }
        var table = "<div class=\"table-wrap\"><table>\n<thead><tr><th>ageing</th>"
        for year in years { table += "<th>\(Self.number(year)) year\(year == 1 ? "" : "s")</th>" }
        table += "</tr></thead>\n<tbody>\n"
        for variant in variants {
            table += "<tr><td>\(escape(variant))</td>"
            for year in years {
                let cell = figure.cells.first { $0.variant == variant && $0.years == year }
                table += "<td>\(cell.map { "\(Self.number((100 * $0.darkening).rounded())) %" } ?? "")</td>"
            }
            table += "</tr>\n"
        }
        table += "</tbody></table></div>"
        return """
            <section id="ageing">
            <h2>The years after: a range</h2>
            <p>Pigment slowly fades and softens, and black drifts towards blue-grey. How fast differs from person to \
            person, so the same patch is shown ageing three ways: light, typical and heavy (faster fading with more \
            sun, wider spreading, more dots blurring), 1, 3 and 5 years after the last session. Your result will most \
            likely lie inside this range, not on one picture of it. Clinics plan a touch-up every 3 to 6 years.</p>
            \(strip(figure.images, alt: "the treated patch ageing", columns: years.count))
            <p>How much darker than bare skin the patch reads (healed: \(Self.number((100 * figure.healedDarkening).rounded())) %):</p>
            \(table)
            </section>

            """
    }

    var forecastSection: String {
        guard let figure = forecast else { return "" }
        let planned = figure.touchUps.isEmpty ? "The plan has no touch-ups yet." : "Touch-ups planned: \(figure.touchUps.joined(separator: "; "))."
        let due = figure.touchUpsDue.isEmpty
            ? "Over these years the shade stays within \(Self.number((100 * figure.margin).rounded())) % of the healed result."
            : "A touch-up is due when the shade has faded \(Self.number((100 * figure.margin).rounded())) % below the healed result: "
                + figure.touchUpsDue.map { "after about \(Self.decimal($0)) years" }.joined(separator: ", ") + "."
        var table = "<div class=\"table-wrap\"><table>\n<thead><tr><th>years after</th><th>touch-ups done</th>"
            + "<th>shade, % of healed</th><th>bald scalp left untreated, cm²</th></tr></thead>\n<tbody>\n"
        for moment in figure.years {
            table += "<tr><td>\(Self.number(moment.years))</td><td>\(moment.touchUpsDone)</td>"
                + "<td>\(Self.number((100 * moment.ofHealed).rounded()))</td><td>\(Self.decimal(moment.untreatedBaldTotalCM2))</td></tr>\n"
        }
        table += "</tbody></table></div>"
        return """
            <section id="forecast">
            <h2>Ten years on: touch-ups and hair loss</h2>
            <p>The whole scalp over the years after the last session, ageing the typical way, with your plan's \
            touch-ups and, if the plan expects it, hair loss going on: where thinning moves past the treated area, \
            untreated scalp shows beside it and the design may need extending. \(escape(planned)) \(escape(due))</p>
            <div class="milestones">
            \(figure.images.map { self.figure($0.image, caption: $0.label, alt: "The whole scalp, \($0.label)") }.joined(separator: "\n"))
            </div>
            \(table)
            </section>

            """
    }

    /// A strip's panels in a grid that wraps on a narrow screen (two to a row on a phone), each
    /// captioned in text under it; printed `columns` to a row, as the strip image has them.
    func strip(_ panels: [Patch], alt: String, columns: Int) -> String {
        "<div class=\"strip\" style=\"--columns: \(max(1, columns))\">\n" + panels.map { figure($0.image, caption: $0.label, alt: "\($0.label): \(alt)") }
            .joined(separator: "\n") + "\n</div>"
    }

    /// Patches in a grid that wraps on a narrow screen, each labelled under it.
    func patches(_ patches: [Patch], alt: String) -> String {
        "<div class=\"patches\">\n" + patches.map { figure($0.image, caption: $0.label, alt: "\($0.label) \(alt)") }
            .joined(separator: "\n") + "\n</div>"
    }

    func figure(_ image: HandoutImage, caption: String, alt: String) -> String {
        """
        <figure><img src="\(image.dataURI)" width="\(image.widthPixels)" height="\(image.heightPixels)" alt="\(escape(alt))">\
        <figcaption>\(escape(caption))</figcaption></figure>
        """
    }

    /// `text` safe inside an element or a quoted attribute.
    func escape(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func millimetres(_ value: Double) -> String { number(value) }

    static func decimal(_ value: Double) -> String { String(format: "%.1f", value) }

    /// 28068 → "28,068".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// The after moment in words: "healed" → "healed, 6 weeks after the last session".
    static func momentWords(_ moment: String) -> String {
        switch moment {
        case "healed": "healed, \(number(TreatmentTime.healedAfterDays / 7)) weeks after the last session"
        default: "at \(moment)"
        }
    }

    /// A region's report name in words: `frontalHairline` → "frontal hairline".
    /// "; in the frontal hairline 0.25 mm single (1RL), diluted 60 %" for each region tool.
    static func regionToolsText(_ tools: [RegionTool]) -> String {
        tools.map { "; in the \(escape(regionWords($0.region))) \(escape($0.needle)), diluted \(percent($0.dilution))" }.joined()
    }

    /// " (420 of them into the scars, 3,100 into the alopecia patches)", or nothing.
    static func intoWords(_ parts: [(region: String, impressions: Int)]) -> String {
        let shown = parts.filter { $0.impressions > 0 }
        guard !shown.isEmpty else { return "" }
        let words = shown.enumerated().map { index, part in
            "\(grouped(part.impressions))\(index == 0 ? " of them" : "") into the \(escape(regionWords(part.region)))"
        }
        return " (\(words.joined(separator: ", ")))"
    }

    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded())) %" }

    static func regionWords(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase { out += " " + character.lowercased() } else { out.append(character) }
        }
        return out
    }
}
