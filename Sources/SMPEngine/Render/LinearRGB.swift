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
    /// of the pixel loop); ties round to even instead of up. Clamped to [0, 1] first, the index
    /// cannot pass the table's end; a NaN, which fails both comparisons, is clamped to 0
    /// (black) rather than trapping. Four lanes though a pixel has three: given a lane it
    /// does not use, the optimiser split the vector into scalar and two-lane pieces, twice the
    /// instructions (measured with callgrind, 2026-11-25).
    @inline(__always)
    static func encode(_ linear: SIMD4<Float>, table: UnsafeBufferPointer<UInt8>) -> (UInt8, UInt8, UInt8, UInt8) {
        var c = linear.replacing(with: 0, where: .!(linear .>= 0))
        c = c.replacing(with: 1, where: c .> 1)
        // The index (at most 4096) is the low half of each lane's low 16-bit word: read as
        // 16-bit lanes, one instruction extracts it (pextrw), where a 32-bit lane took a shuffle
        // and a move, and no mask is needed.
        let index = unsafeBitCast(c * Float(tableSize) + 8_388_608, to: SIMD8<UInt16>.self)
        return (table[Int(index[0])], table[Int(index[2])], table[Int(index[4])], table[Int(index[6])])
    }
}
