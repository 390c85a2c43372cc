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
    public var yearsAfter: [Patch]
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

    /// A session: when, what it builds, and its patch healing.
    public struct SessionHealing: Sendable {
        public var number: Int
        /// Days after the first session.
        public var day: Double
        /// Cumulative density after it as a fraction of the design.
        public var densityFactor: Double
        public var needle: String
        public var dilution: Double
        public var patches: [Patch]
    }

    /// The sections' anchors, in page order: what the tests look for.
    public static let sectionIDs = ["before-after", "close-up", "sessions", "aftercare", "plan", "simulation"]

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
            <li><a href="#before-after">Before and after</a></li>
            <li><a href="#close-up">Close up</a></li>
            <li><a href="#sessions">Your sessions and healing</a></li>
            <li><a href="#aftercare">Aftercare</a></li>
            <li><a href="#plan">The plan in numbers</a></li>
            <li><a href="#simulation">What varies between people</a></li>
            </ol></nav>
            </header>

            """
        page += beforeAfterSection + closeUpSection + sessionsSection + Self.aftercareSection + planSection + Self.simulationSection
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
                <p>Builds the density to \(Int((session.densityFactor * 100).rounded())) % of the design; needle \
                \(escape(session.needle)), ink diluted \(Int((session.dilution * 100).rounded())) %.</p>
                \(patches(session.patches, alt: "after session \(session.number)"))
                </div>

                """
        }
        if !yearsAfter.isEmpty {
            section += """
                <div class="block">
                <h3>The years after</h3>
                <p>Pigment slowly fades and softens, and black drifts towards blue-grey; sun speeds it. Clinics plan \
                a touch-up every 3 to 6 years.</p>
                \(patches(yearsAfter, alt: "years after the last session"))
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
            follicle groups per cm²), and the dots each session adds.</p>
            <div class="table-wrap"><table>
            <thead><tr><th>region</th><th>area cm²</th>
            """
        for session in sessions { section += "<th>after session \(session.number)</th>" }
        section += "</tr></thead>\n<tbody>\n"
        for region in density.regions {
            section += "<tr><td>\(escape(Self.regionWords(region.region)))</td><td>\(Self.decimal(region.areaCM2))</td>"
            for figures in region.sessions { section += "<td>\(Self.decimal(figures.achievedDotsPerCM2))</td>" }
            section += "</tr>\n"
        }
        section += "<tr class=\"total\"><td>new dots</td><td></td>"
        for index in sessions.indices {
            let new = density.regions.reduce(0) { $0 + ($1.sessions.count > index ? $1.sessions[index].newDots : 0) }
            section += "<td>\(Self.grouped(new))</td>"
        }
        return section + """
            </tr>
            </tbody></table></div>
            <p>In all, \(Self.grouped(density.totalDots)) dots over \(Self.decimal(density.scalpAreaCM2)) cm² of scalp.</p>
            </section>

            """
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
    static func regionWords(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase { out += " " + character.lowercased() } else { out.append(character) }
        }
        return out
    }
}
