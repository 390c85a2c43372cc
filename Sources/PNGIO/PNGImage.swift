/// A decoded PNG in the one in-memory format every PNG is read into: 8-bit RGBA,
/// straight alpha, rows top to bottom, no padding (`pixels.count == width * height * 4`).
///
/// Grey becomes R = G = B; palettes and 1/2/4-bit grey are expanded; a tRNS chunk becomes
/// alpha, otherwise alpha is 255; 16-bit samples are scaled to 8 bits with rounding.
/// Sample values are as stored: no gamma or colour-profile conversion.
public struct PNGImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// RGBA bytes, `width * height * 4`, row-major from the top-left pixel.
    public var pixels: [UInt8]
    /// The colour type the file stored.
    public let sourceColorType: PNGColorType
    /// The bit depth the file stored per sample (1, 2, 4, 8 or 16).
    public let sourceBitDepth: Int
    /// Physical scale from the pHYs chunk, in pixels per millimetre; nil when the file has
    /// no pHYs, its unit is not the metre, or its pixels are not square.
    public let pixelsPerMM: Double?
    /// The text chunks (tEXt, zTXt, iTXt) in file order.
    public let text: [PNGTextChunk]

    /// An image from its parts; `pixels` must hold exactly `width * height * 4` bytes.
    public init(width: Int, height: Int, pixels: [UInt8], sourceColorType: PNGColorType = .rgba,
                sourceBitDepth: Int = 8, pixelsPerMM: Double? = nil, text: [PNGTextChunk] = []) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 4,
                     "PNGImage needs width * height * 4 bytes of RGBA")
        self.width = width
        self.height = height
        self.pixels = pixels
        self.sourceColorType = sourceColorType
        self.sourceBitDepth = sourceBitDepth
        self.pixelsPerMM = pixelsPerMM
        self.text = text
    }

    /// The RGBA value of the pixel at column `x`, row `y` (0 at the top).
    public func pixel(x: Int, y: Int) -> SIMD4<UInt8> {
        precondition((0..<width).contains(x) && (0..<height).contains(y), "pixel (\(x), \(y)) is outside the image")
        let offset = (y * width + x) * 4
        return SIMD4(pixels[offset], pixels[offset + 1], pixels[offset + 2], pixels[offset + 3])
    }

    /// The value of the first text chunk with `key`, if any.
    public func text(forKey key: String) -> String? {
        text.first { $0.key == key }?.value
    }
}
