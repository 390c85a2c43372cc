import Foundation

/// Linear-light RGB reflectance or radiance, each channel 0…1. All shading happens here; sRGB
/// appears only when a scene colour comes in and when a pixel goes out.
public typealias LinearRGB = SIMD3<Float>

extension SRGBColor {
    /// The colour in linear light (IEC 61966-2-1 transfer function).
    public var linear: LinearRGB {
        LinearRGB(SRGBTransfer.decode(red), SRGBTransfer.decode(green), SRGBTransfer.decode(blue))
    }
}

/// The sRGB transfer function both ways. Encoding uses a 4096-step table over [0, 1]: a pixel
/// costs a lookup, not a `pow`.
public enum SRGBTransfer {
    public static func decode(_ value: UInt8) -> Float {
        let c = Double(value) / 255
        return Float(c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4))
    }

    static let tableSize = 4096
    static let encodeTable: [UInt8] = (0...tableSize).map { step in
        let c = Double(step) / Double(tableSize)
        let encoded = c <= 0.003_130_8 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
        return UInt8((encoded * 255).rounded())
    }

    /// One value, rounded exactly as the four-lane `encode` the renderer uses.
    public static func encode(_ linear: Float, table: UnsafeBufferPointer<UInt8>) -> UInt8 {
        encode(SIMD4(repeating: linear), table: table).0
    }

    /// All four lanes encoded at once. The table index is rounded by adding 2²³ and reading the
    /// float's low bits, which skips the range checks of a float-to-integer conversion (a tenth
    /// of the pixel loop); ties round to even instead of up. The index is clamped to the table
    /// (the values to [0, 1]) after the scaling, which gives the same bits as clamping before
    /// (the scaling is monotone, and exact at both ends) in one instruction per end (maxps,
    /// minps). Clamping the values first took compares and blends, which the optimiser kept
    /// even where it could have used those two: the renderer's pixel loop went from 30 to 24
    /// instructions a pixel (measured 2026-12-03). A NaN fails both comparisons and goes to
    /// the lower end, 0 (black), rather than trapping. Four lanes though a pixel has three:
    /// given a lane it does not use, the optimiser split the vector into scalar and two-lane
    /// pieces, twice the instructions (measured with callgrind, 2026-11-25).
    @inline(__always)
    static func encode(_ linear: SIMD4<Float>, table: UnsafeBufferPointer<UInt8>) -> (UInt8, UInt8, UInt8, UInt8) {
        let zero: Float = 8_388_608, one = zero + Float(tableSize)
        let scaled = linear * Float(tableSize) + zero
        // Written as the instructions' own comparisons (x > low ? x : low, x < high ? x : high),
        // so that the optimiser can use them.
        var index = scaled.replacing(with: zero, where: .!(scaled .> zero))
        index = index.replacing(with: one, where: .!(index .< one))
        // The index (at most 4096) is the low half of each lane's low 16-bit word: read as
        // 16-bit lanes, one instruction extracts it (pextrw), where a 32-bit lane took a shuffle
        // and a move, and no mask is needed.
        let words = unsafeBitCast(index, to: SIMD8<UInt16>.self)
        return (table[Int(words[0])], table[Int(words[2])], table[Int(words[4])], table[Int(words[6])])
    }
}
