/// A photo as the renderer uses it: 8-bit sRGB, 3 bytes a pixel, rows top to bottom, turned
/// the right way up (the JPEG's EXIF orientation already applied).
public struct Photo: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes, row-major from the top-left pixel.
    public var pixels: [UInt8]
    /// The file's format as read ("JPEG", "PNG"), for messages and reports.
    public let format: String
    /// The EXIF orientation (1 to 8) applied; 1 when the file had none.
    public let orientation: Int
    /// The lens's focal length in 35 mm film terms from the JPEG's EXIF (FocalLengthIn35mmFilm),
    /// mm; nil when the file does not say.
    public var focalLength35mm: Double?

    public init(width: Int, height: Int, pixels: [UInt8], format: String = "RGB", orientation: Int = 1, focalLength35mm: Double? = nil) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 3, "Photo needs width * height * 3 bytes of RGB")
        self.width = width
        self.height = height
        self.pixels = pixels
        self.format = format
        self.orientation = orientation
        self.focalLength35mm = focalLength35mm
    }

    /// The RGB value of the pixel at column `x`, row `y` (0 at the top).
    public func pixel(x: Int, y: Int) -> SIMD3<UInt8> {
        let offset = (y * width + x) * 3
        return SIMD3(pixels[offset], pixels[offset + 1], pixels[offset + 2])
    }

    /// The photo as stored with EXIF `orientation` (1 to 8, TIFF's tag 0x0112) turned upright:
    /// 2 mirrored, 3 turned 180°, 4 flipped upside down, 5 transposed, 6 stored turned 90°
    /// anticlockwise (shown after turning it 90° clockwise), 7 transversed, 8 stored turned 90°
    /// clockwise. Any other value leaves the pixels as they are.
    public func upright(fromOrientation orientation: Int) -> Photo {
        guard (2...8).contains(orientation) else { return self }
        let swaps = orientation >= 5
        let outWidth = swaps ? height : width, outHeight = swaps ? width : height
        var out = [UInt8](repeating: 0, count: pixels.count)
        let w = width, h = height
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        // The stored pixel shown at (x, y).
                        let (sx, sy): (Int, Int)
                        switch orientation {
                        case 2: (sx, sy) = (w - 1 - x, y)
                        case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case 4: (sx, sy) = (x, h - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, h - 1 - x)
                        case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                        default: (sx, sy) = (w - 1 - y, x)   // 8
                        }
                        let s = (sy * w + sx) * 3, t = (y * outWidth + x) * 3
                        target[t] = source[s]
                        target[t + 1] = source[s + 1]
                        target[t + 2] = source[s + 2]
                    }
                }
            }
        }
        return Photo(width: outWidth, height: outHeight, pixels: out, format: format, orientation: orientation, focalLength35mm: focalLength35mm)
    }
}
