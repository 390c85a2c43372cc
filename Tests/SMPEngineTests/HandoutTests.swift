import Foundation
import Testing
@testable import SMPEngine

@Suite("The patient's handout: one self-contained page")
struct HandoutTests {
    /// A whole Norwood 7 plan in three sessions at a small scale and tiny head views: quick, and
    /// every section of the page has something to show.
    static let scene = """
        name: handout-test
        seed: 5
        notes: "A <test> & its notes"
        hairLoss: { pattern: norwood7 }
        design: { dotsPerCM2: 40 }
        render: { pixelsPerMM: 4, viewPixels: 96 }
        """

    static func document(threads: Int) throws -> HandoutDocument {
        let scene = try Scene.load(yaml: Self.scene, file: "handout-test.yaml")
        return try Handout(rendering: SceneRendering(scene: scene, sceneText: Self.scene, threads: threads)).document()
    }

    /// Every value of `attribute` in the page, in order.
    static func values(of attribute: String, in html: String) -> [Substring] {
        html.components(separatedBy: " \(attribute)=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
    }

    @Test("the page needs no network and no other file: every image a PNG data: URI, no URL, no script")
    func selfContained() throws {
        let document = try Self.document(threads: 2)
        let html = document.html
        #expect(!html.localizedCaseInsensitiveContains("http://"))
        #expect(!html.localizedCaseInsensitiveContains("https://"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        let sources = Self.values(of: "src", in: html)
        let imageTags = html.components(separatedBy: "<img ").count - 1
        // Three views before and after, the close-up's two, four patches per session, and each
        // strip's panels on their own: the outcome range's 3 × 3, the distance strip's 4 and the
        // forecast's 6 milestones.
        #expect(imageTags == 6 + 2 + 3 * 4 + 9 + 4 + 6)
        #expect(sources.count == imageTags)
        for source in sources {
            #expect(source.hasPrefix("data:image/png;base64,"))
            let bytes = Data(base64Encoded: String(source.dropFirst("data:image/png;base64,".count)))
            #expect(bytes?.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) == true)
        }
        // Links only to the page's own sections.
        for link in Self.values(of: "href", in: html) { #expect(link.hasPrefix("#")) }
    }

    @Test("the strips' labels are the page's text, not only pixels: each panel captioned with its numbers")
    func stripCaptions() throws {
        let html = try Self.document(threads: 2).html
        #expect(html.contains("<div class=\"strip\" style=\"--columns: 3\">") && html.contains("<div class=\"strip\" style=\"--columns: 4\">"))
        #expect(html.contains("<div class=\"milestones\">"))
        #expect(html.contains("<figcaption>typical, 3 years · darker "))
        #expect(html.contains("<figcaption>seen from 2 m · local contrast "))
        #expect(html.contains("<figcaption>healed"))
    }

    @Test("every section is there, in order, with the simulation statement and the aftercare phases")
    func sections() throws {
        let document = try Self.document(threads: 2)
        #expect(document.sectionIDs == HandoutDocument.sections.map(\.id))
        let html = document.html
        let positions = document.sectionIDs.map { html.range(of: "<section id=\"\($0)\">")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(html.contains("This is a simulation, not a promise"))
        for words in ["Skin type", "Healing.", "Sun.", "Hair loss going on", "The technician"] { #expect(html.contains(words)) }
        for phase in ["Days 0 to 3", "Days 4 to 7", "Weeks 2 to 4"] { #expect(html.contains(phase)) }
        for words in ["light", "typical", "heavy", "Mannos and Sakrison", "from 2 m", "impressions, roughly", "Touch-ups planned",
                      "The plan has no touch-ups yet", "bald scalp left untreated"] {
            #expect(html.contains(words) == (words != "Touch-ups planned"), "\(words)")
        }
        for session in 1...3 { #expect(html.contains("Session \(session):")) }
        #expect(html.contains("<meta name=\"viewport\""))
        #expect(html.contains("@media print"))
        #expect(html.contains("max-width: 100%"))
    }

    @Test("the scene's own text is escaped, never markup")
    func escaped() throws {
        let html = try Self.document(threads: 2).html
        #expect(html.contains("A &lt;test&gt; &amp; its notes"))
        #expect(!html.contains("<test>"))
    }

    @Test("the plan table lists each region's density after each session, growing")
    func planTable() throws {
        let document = try Self.document(threads: 2)
        #expect(!document.density.regions.isEmpty)
        let html = document.html
        for region in document.density.regions {
            #expect(html.contains("<td>\(HandoutDocument.regionWords(region.region))</td>"))
            let densities = region.sessions.map(\.achievedDotsPerCM2)
            #expect(densities == densities.sorted())
        }
        #expect(html.contains("after session 3"))
    }

    @Test("same scene and seed, same bytes, for one thread and for three")
    func sameBytes() throws {
        let one = try Self.document(threads: 1).html
        let three = try Self.document(threads: 3).html
        #expect(one.utf8.count > 10_000)
        // Compared, not printed: each page is megabytes of base64.
        let same = one == three
        #expect(same, "the page differs between 1 and 3 threads")
    }

    @Test("a PNG's size is read from its header")
    func imageSize() {
        var header: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        header += [0, 0, 0x03, 0x20, 0, 0, 0x01, 0x2C]
        let image = HandoutImage(png: Data(header))
        #expect(image.widthPixels == 800 && image.heightPixels == 300)
        #expect(HandoutImage(png: Data([1, 2, 3])).widthPixels == 0)
    }

    @Test("numbers in words", arguments: [(28068, "28,068"), (999, "999"), (1000, "1,000"), (0, "0")])
    func grouped(value: Int, text: String) {
        #expect(HandoutDocument.grouped(value) == text)
    }

    @Test("healing moments: just after, day 3, day 7, then healed before the next session or settled")
    func healingMoments() throws {
        let scene = try Scene.load(yaml: Self.scene, file: "handout-test.yaml")
        let handout = Handout(rendering: SceneRendering(scene: scene, sceneText: Self.scene))
        let first = handout.healingMoments(afterSession: 0)
        #expect(first.map(\.day) == [scene.sessions[0].day, scene.sessions[0].day + 3, scene.sessions[0].day + 7,
                                     scene.sessions[1].day - 1])
        let last = handout.healingMoments(afterSession: scene.sessions.count - 1)
        #expect(last.last?.day == scene.sessions[scene.sessions.count - 1].day + TreatmentTime.healedAfterDays)
        #expect(last.last?.label.contains("settled") == true)
    }
}
