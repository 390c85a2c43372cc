/// The colour type a PNG file was stored with (IHDR), before the reader expanded it to RGBA.
public enum PNGColorType: String, Sendable, CaseIterable, Equatable {
    /// Grey (colour type 0), 1, 2, 4, 8 or 16 bits.
    case gray
    /// RGB (colour type 2), 8 or 16 bits per channel.
    case rgb
    /// Palette indices (colour type 3), 1, 2, 4 or 8 bits.
    case palette
    /// Grey and alpha (colour type 4), 8 or 16 bits per channel.
    case grayAlpha
    /// RGB and alpha (colour type 6), 8 or 16 bits per channel.
    case rgba

    /// The type for a PNG colour-type number, or nil if PNG defines none.
    init?(pngValue: Int) {
        switch pngValue {
        case 0: self = .gray
        case 2: self = .rgb
        case 3: self = .palette
        case 4: self = .grayAlpha
        case 6: self = .rgba
        default: return nil
        }
    }
}
