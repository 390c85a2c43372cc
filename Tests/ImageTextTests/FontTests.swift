import Foundation
import ImageText
import Testing

@Suite("Loading a font, measuring and rendering a line of text")
struct FontTests {
    /// DejaVu Sans, opened per use: a missing font then fails each test with its message
    /// instead of stopping the test run.
    static func font() throws -> Font { try Font.dejaVuSans() }

    @Test("DejaVu Sans loads from Debian's path and says what it is")
    func loads() throws {
        let font = try Self.font()
        #expect(font.path == Font.dejaVuSansPath)
        #expect(font.name.hasPrefix("DejaVu Sans"))
    }

    @Test("a measure is positive and grows with the text and with the size", arguments: [9, 14, 24, 60])
    func measureGrows(pixelSize: Int) throws {
        let short = try Self.font().measure("day", pixelSize: pixelSize)
        let longer = try Self.font().measure("day 30", pixelSize: pixelSize)
        let longest = try Self.font().measure("day 30, 5 years", pixelSize: pixelSize)
        #expect(short.width > 0 && short.ascent > 0 && short.descent > 0)
        #expect(short.width < longer.width && longer.width < longest.width)
        #expect(short.height == longest.height, "one line height for every string at a size")
        let bigger = try Self.font().measure("day", pixelSize: pixelSize * 2)
        #expect(bigger.width > short.width && bigger.height > short.height)
        // A line box about as tall as DejaVu's ascender + descender (1.164 em).
        #expect(abs(Double(short.height) - 1.164 * Double(pixelSize)) <= 2)
    }

    @Test("the mask fills the measured box, has ink, and nothing for an empty string")
    func maskMatchesMeasure() throws {
        let text = "Scalp 5 mm"
        let mask = try Self.font().mask(text, pixelSize: 20)
        #expect(mask.metrics == (try Self.font().measure(text, pixelSize: 20)))
        #expect(mask.coverage.count == mask.width * mask.height)
        #expect(mask.coverage.contains(255), "hinted stems reach full coverage")
        #expect(mask.coverage.contains { $0 > 0 && $0 < 255 }, "anti-aliased edges")
        let empty = try Self.font().mask("", pixelSize: 20)
        #expect(empty.width == 0 && empty.coverage.isEmpty)
        let spaces = try Self.font().mask("   ", pixelSize: 20)
        #expect(spaces.width > 0 && !spaces.coverage.contains { $0 != 0 })
    }

    @Test("Latin-1 letters have their own glyphs: accents and ligature-free symbols differ from the plain letters")
    func latin1() throws {
        let plain = try Self.font().mask("Ae e n u x", pixelSize: 24)
        let accented = try Self.font().mask("Æé ñ ü ×", pixelSize: 24)
        #expect(accented.coverage != plain.coverage)
        // Each Latin-1 letter has a real glyph: never the same as the .notdef box of a character
        // DejaVu lacks (U+E000, private use).
        let missing = try Self.font().mask("\u{E000}", pixelSize: 24)
        for letter in ["é", "ñ", "ü", "Å", "ß", "×", "µ", "°"] {
            let mask = try Self.font().mask(letter, pixelSize: 24)
            #expect(mask.coverage.contains { $0 > 0 }, "\(letter) has ink")
            #expect(mask != missing, "\(letter) is not the missing-glyph box")
        }
    }

    @Test("control characters are skipped, not drawn as boxes")
    func controls() throws {
        #expect(try Self.font().mask("a\tb\n", pixelSize: 18) == (try Self.font().mask("ab", pixelSize: 18)))
    }

    @Test("the same text renders to the same bytes, on one font and on two")
    func deterministic() throws {
        let font = try Self.font(), other = try Font(path: Font.dejaVuSansPath)
        let text = "demo · simulation · 1 year"
        let first = try font.mask(text, pixelSize: 17)
        _ = try font.mask("something else in between", pixelSize: 31)
        #expect(try font.mask(text, pixelSize: 17) == first)
        #expect(try other.mask(text, pixelSize: 17) == first)
    }

    @Test("masks rendered on several threads at once are those rendered alone")
    func concurrent() async throws {
        // One font shared by every task, at sizes that differ from task to task: its lock must
        // keep one task's size from leaking into another's glyphs.
        let font = try Self.font()
        let texts = (0..<16).map { "label \($0) · day \($0 * 3)" }
        let alone = try texts.enumerated().map { try font.mask($1, pixelSize: 12 + $0) }
        let together = try await withThrowingTaskGroup(of: (Int, TextMask).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, try font.mask(text, pixelSize: 12 + index)) }
            }
            var masks = [TextMask?](repeating: nil, count: texts.count)
            for try await (index, mask) in group { masks[index] = mask }
            return masks
        }
        #expect(together == alone.map(Optional.some))
    }

    @Test("a missing font file is a typed error naming the path and the package")
    func missingFont() {
        let path = "/nonexistent/fonts/DejaVuSans.ttf"
        #expect(throws: TextError.fontMissing(path: path, package: "fonts-dejavu-core")) {
            try Font(path: path, package: "fonts-dejavu-core")
        }
        let description = TextError.fontMissing(path: path, package: "fonts-dejavu-core").description
        #expect(description.contains(path) && description.contains("fonts-dejavu-core"))
    }

    @Test("a file that is not a font is refused as such")
    func notAFont() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-font-\(UUID().uuidString).ttf")
        try Data("this is not a font\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: TextError.notAFont(path: url.path)) { try Font(path: url.path) }
    }

    @Test("a pixel size outside 1...1024 is refused with the allowed range", arguments: [0, -3, 1025])
    func pixelSizeRange(pixelSize: Int) {
        #expect {
            try Self.font().measure("a", pixelSize: pixelSize)
        } throws: { error in
            guard case let .outOfRange(name, value, allowed) = error as? TextError else { return false }
            return name == "pixel size" && value == String(pixelSize) && allowed.contains("1...1024")
        }
    }
}
