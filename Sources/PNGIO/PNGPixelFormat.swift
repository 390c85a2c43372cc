/// The layout of the pixel rows handed to ``PNGWriter``: 8 bits per channel, channels
/// interleaved, rows top to bottom with no padding.
public enum PNGPixelFormat: String, Sendable, CaseIterable, Equatable {
    /// One byte per pixel: grey (PNG colour type 0).
    case gray8
    /// Three bytes per pixel: red, green, blue (PNG colour type 2).
    case rgb8
    /// Four bytes per pixel: red, green, blue, straight (not premultiplied) alpha (PNG colour type 6).
    case rgba8

    /// Bytes (and channels) per pixel.
    public var channels: Int {
        switch self {
        case .gray8: 1
        case .rgb8: 3
        case .rgba8: 4
        }
    }

    /// Bytes in one row of `width` pixels.
    public func bytesPerRow(width: Int) -> Int {
        width * channels
    }
}
