import Foundation
import FreeTypeShim

/// A font file opened with FreeType: measures a line of text and renders it as an anti-aliased
/// coverage mask (`TextMask`), hinted to the pixel grid so that stems are crisp at small sizes.
///
/// A class because it owns FreeType's face; FreeType faces are not thread-safe, so every use
/// goes through a lock, and a `Font` can be shared between threads. Sizes are in pixels per em
/// (the height of the font's em square, about 1.4 × a capital letter's height for DejaVu Sans).
/// Rendering is deterministic: the same font file, FreeType version, text and size give the same
/// mask, byte for byte.
public final class Font: @unchecked Sendable {
    /// DejaVu Sans as Debian installs it.
    public static let dejaVuSansPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    /// The Debian package that installs DejaVu Sans.
    public static let dejaVuPackage = "fonts-dejavu-core"
    /// Sizes `measure` and `mask` accept, pixels per em: large enough for any label, small
    /// enough that a mask's size cannot overflow.
    public static let pixelSizes = 1...1024

    /// The file this font was read from.
    public let path: String
    /// Family and style as the file names them ("DejaVu Sans Book").
    public let name: String

    private let handle: OpaquePointer
    private let lock = NSLock()

    /// Opens the font at `path`. `package`, if given, is named in the error when the file is
    /// missing (the Debian package that installs it).
    public init(path: String, package: String? = nil) throws {
        var message = [CChar](repeating: 0, count: Int(FTSHIM_MESSAGE_CAPACITY))
        var font: OpaquePointer?
        let code = ftshim_font_open(path, &font, &message, message.count)
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard code == FTSHIM_OK, let font else {
            switch code {
            case FTSHIM_ERR_NOT_FOUND: throw TextError.fontMissing(path: path, package: package)
            case FTSHIM_ERR_UNREADABLE: throw TextError.fontUnreadable(path: path, reason: text)
            case FTSHIM_ERR_NOT_A_FONT: throw TextError.notAFont(path: path)
            case FTSHIM_ERR_NO_UNICODE: throw TextError.noUnicodeMap(path: path)
            default: throw TextError.freeType(path: path, message: text)
            }
        }
        self.path = path
        handle = font
        let family = String(cString: ftshim_font_family(font)), style = String(cString: ftshim_font_style(font))
        name = style.isEmpty ? family : "\(family) \(style)"
    }

    /// DejaVu Sans from `fonts-dejavu-core`; the error names the path and the package when it
    /// is not installed.
    public static func dejaVuSans() throws -> Font {
        try Font(path: dejaVuSansPath, package: dejaVuPackage)
    }

    deinit { ftshim_font_destroy(handle) }

    /// The box `mask` would fill for `text` at `pixelSize`, without drawing it.
    public func measure(_ text: String, pixelSize: Int) throws -> TextMetrics {
        try layout(text, pixelSize: pixelSize).metrics
    }

    /// `text` as one line of anti-aliased coverage: its box is `measure`'s, the pen starting at
    /// the box's left edge (further right only for a first glyph reaching left of its pen), the
    /// baseline `metrics.ascent` rows down. Control characters are skipped; a character the
    /// font lacks shows as its empty-box glyph.
    public func mask(_ text: String, pixelSize: Int) throws -> TextMask {
        let line = try layout(text, pixelSize: pixelSize)
        let metrics = line.metrics
        var coverage = [UInt8](repeating: 0, count: metrics.width * metrics.height)
        for glyph in line.glyphs {
            // Top-left of the glyph's bitmap in the box; rows and columns outside it are cut.
            let x0 = glyph.x - line.left, y0 = metrics.ascent - glyph.top
            for row in 0..<glyph.rows where (0..<metrics.height).contains(y0 + row) {
                for column in 0..<glyph.width where (0..<metrics.width).contains(x0 + column) {
                    let target = (y0 + row) * metrics.width + x0 + column
                    // Where glyphs overlap (kerned pairs), the larger coverage wins: adding
                    // would double-darken the shared edge.
                    coverage[target] = max(coverage[target], glyph.coverage[row * glyph.width + column])
                }
            }
        }
        return TextMask(metrics: metrics, coverage: coverage)
    }

    /// One rendered glyph, copied out of FreeType's slot.
    private struct PlacedGlyph {
        var x: Int, top: Int, width: Int, rows: Int
        var coverage: [UInt8]
    }

    private struct Line {
        var metrics: TextMetrics
        /// The box's left edge relative to the pen's start (0, or negative).
        var left: Int
        var glyphs: [PlacedGlyph]
    }

    private func layout(_ text: String, pixelSize: Int) throws -> Line {
        guard Font.pixelSizes.contains(pixelSize) else {
            throw TextError.outOfRange(name: "pixel size", value: String(pixelSize),
                                       allowed: "\(Font.pixelSizes.lowerBound)...\(Font.pixelSizes.upperBound) pixels per em")
        }
        lock.lock()
        defer { lock.unlock() }
        var message = [CChar](repeating: 0, count: Int(FTSHIM_MESSAGE_CAPACITY))
        func failure() -> TextError {
            .freeType(path: path, message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        var lineMetrics = ftshim_line_metrics()
        guard ftshim_font_set_pixel_size(handle, UInt32(pixelSize), &lineMetrics, &message, message.count) == FTSHIM_OK else {
            throw failure()
        }
        var glyphs: [PlacedGlyph] = []
        // The pen in 1/64 pixel; hinted advances and grid-fitted kerning keep it on whole pixels.
        var pen = 0, previous: UInt32 = 0
        var left = 0, right = 0
        for scalar in text.unicodeScalars where !Font.isControl(scalar) {
            var glyph = ftshim_glyph()
            guard ftshim_font_glyph(handle, scalar.value, previous, &glyph, &message, message.count) == FTSHIM_OK else {
                throw failure()
            }
            pen += Int(glyph.kerning_x)
            let x = Font.pixels(pen) + Int(glyph.left)
            let width = Int(glyph.width), rows = Int(glyph.rows)
            var coverage = [UInt8](repeating: 0, count: width * rows)
            if let buffer = glyph.buffer {
                for row in 0..<rows {
                    for column in 0..<width { coverage[row * width + column] = buffer[row * Int(glyph.pitch) + column] }
                }
                left = min(left, x)
                right = max(right, x + width)
            }
            glyphs.append(PlacedGlyph(x: x, top: Int(glyph.top), width: width, rows: rows, coverage: coverage))
            pen += Int(glyph.advance_x)
            previous = scalar.value
        }
        right = max(right, Font.pixels(pen))
        let metrics = TextMetrics(width: right - left, ascent: Int(lineMetrics.ascender), descent: Int(lineMetrics.descender))
        return Line(metrics: metrics, left: left, glyphs: glyphs)
    }

    /// 26.6 fixed point to whole pixels, rounding halves up (the same on every platform).
    private static func pixels(_ fixed: Int) -> Int { (fixed + 32) >> 6 }

    /// C0 and C1 control characters (newline, tab...): not drawn, no advance.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }
}

/// The box of a line of text, in pixels: `width` from the leftmost ink or the pen's start to
/// the rightmost ink or the pen's end, and the font's line height (`ascent` above the baseline,
/// `descent` below), the same for every string at a size so that labels line up.
public struct TextMetrics: Sendable, Equatable {
    public var width: Int
    public var ascent: Int
    public var descent: Int
    public var height: Int { ascent + descent }

    public init(width: Int, ascent: Int, descent: Int) {
        self.width = width
        self.ascent = ascent
        self.descent = descent
    }
}

/// A line of text rendered as coverage, row by row (0: no ink, 255: fully covered), filling
/// the box `metrics` describes: what `RGB8Image.draw(_:x:y:color:)` blends into an image.
public struct TextMask: Sendable, Equatable {
    public let metrics: TextMetrics
    /// `metrics.width × metrics.height` values, rows top to bottom.
    public let coverage: [UInt8]

    public var width: Int { metrics.width }
    public var height: Int { metrics.height }
}
