/// A small RGB8 image (sRGB, 3 bytes a pixel, rows top to bottom, no padding) to draw labels
/// into: filled rectangles, text and scale bars, each clipped to the image and blended in
/// linear light. Labels are drawn into one of these once and then copied into the rows of a
/// larger image (`copyRow`), so the larger image can be rendered in any bands on any thread.
public struct RGB8Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var pixels: [UInt8]

    /// An image filled with `background`; a negative size counts as 0.
    public init(width: Int, height: Int, background: RGB8Color = .white) {
        self.width = max(0, width)
        self.height = max(0, height)
        pixels = [UInt8](repeating: 0, count: self.width * self.height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = background.red
            pixels[i + 1] = background.green
            pixels[i + 2] = background.blue
        }
    }

    /// The pixel at (x, y); nil outside the image.
    public func pixel(x: Int, y: Int) -> RGB8Color? {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return nil }
        let i = (y * width + x) * 3
        return RGB8Color(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2])
    }

    /// Fills the rectangle with top-left (x, y) with `color` at `opacity` (0...1, 1 paints
    /// over), clipped to the image.
    public mutating func fill(x: Int, y: Int, width: Int, height: Int, color: RGB8Color, opacity: Float = 1) {
        let columns = Self.clip(x, width, to: self.width), rows = Self.clip(y, height, to: self.height)
        guard !columns.isEmpty, !rows.isEmpty else { return }
        let alpha = min(1, max(0, opacity.isNaN ? 0 : opacity))
        let imageWidth = self.width
        SRGBBlending.decodeTable.withUnsafeBufferPointer { table in
            pixels.withUnsafeMutableBufferPointer { pixels in
                for row in rows {
                    for column in columns {
                        Self.blend(color, alpha: alpha, into: pixels, at: (row * imageWidth + column) * 3, table: table)
                    }
                }
            }
        }
    }

    /// Blends `mask` in `color` with the mask's top-left corner at (x, y), clipped to the image:
    /// only pixels inside the mask's box can change.
    public mutating func draw(_ mask: TextMask, x: Int, y: Int, color: RGB8Color) {
        let columns = Self.clip(x, mask.width, to: width), rows = Self.clip(y, mask.height, to: height)
        guard !columns.isEmpty, !rows.isEmpty else { return }
        let imageWidth = width
        SRGBBlending.decodeTable.withUnsafeBufferPointer { table in
            pixels.withUnsafeMutableBufferPointer { pixels in
                for row in rows {
                    for column in columns {
                        let coverage = mask.coverage[(row - y) * mask.width + (column - x)]
                        guard coverage > 0 else { continue }
                        Self.blend(color, alpha: Float(coverage) / 255, into: pixels, at: (row * imageWidth + column) * 3, table: table)
                    }
                }
            }
        }
    }

    /// Draws `text` with its box's top-left corner at (x, y); returns the box's metrics.
    @discardableResult
    public mutating func draw(_ text: String, font: Font, pixelSize: Int, x: Int, y: Int, color: RGB8Color) throws -> TextMetrics {
        let mask = try font.mask(text, pixelSize: pixelSize)
        draw(mask, x: x, y: y, color: color)
        return mask.metrics
    }

    /// Copies row `row` of this image into `output` (at least `width × 3` bytes), which is how a
    /// banded image takes a pre-drawn strip. A row outside the image copies nothing.
    public func copyRow(_ row: Int, into output: UnsafeMutableRawBufferPointer) {
        guard (0..<height).contains(row), width > 0, output.count >= width * 3 else { return }
        pixels.withUnsafeBytes { bytes in
            guard let source = bytes.baseAddress else { return }
            output.baseAddress?.copyMemory(from: source + row * width * 3, byteCount: width * 3)
        }
    }

    /// The part of `start ..< start + length` inside `0 ..< limit`, without overflowing for any
    /// start or length (a label placed far outside simply draws nothing).
    static func clip(_ start: Int, _ length: Int, to limit: Int) -> Range<Int> {
        guard length > 0, limit > 0, start < limit else { return 0..<0 }
        if start >= 0 { return start..<(start + min(length, limit - start)) }
        // start < 0: start + length cannot overflow.
        let end = start + length
        return end <= 0 ? 0..<0 : 0..<min(end, limit)
    }

    @inline(__always)
    private static func blend(_ color: RGB8Color, alpha: Float, into pixels: UnsafeMutableBufferPointer<UInt8>, at i: Int,
                              table: UnsafeBufferPointer<Float>) {
        pixels[i] = SRGBBlending.blend(color.red, over: pixels[i], alpha: alpha, table: table)
        pixels[i + 1] = SRGBBlending.blend(color.green, over: pixels[i + 1], alpha: alpha, table: table)
        pixels[i + 2] = SRGBBlending.blend(color.blue, over: pixels[i + 2], alpha: alpha, table: table)
    }
}
