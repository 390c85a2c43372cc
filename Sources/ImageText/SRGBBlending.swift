import Foundation

/// Mixing two sRGB colours in linear light: text edges and translucent fills blended in sRGB
/// bytes come out too dark (a 50 % edge of white on black would read as 22 % light instead of
/// 50 %). The transfer function is IEC 61966-2-1's, computed exactly (no table steps), so the
/// same inputs always give the same byte.
enum SRGBBlending {
    /// sRGB byte → linear light, for all 256 bytes.
    static let decodeTable: [Float] = (0...255).map { value in
        let c = Double(value) / 255
        return Float(c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4))
    }

    static func encode(_ linear: Float) -> UInt8 {
        let c = Double(min(1, max(0, linear)))
        let encoded = c <= 0.003_130_8 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
        return UInt8((encoded * 255).rounded())
    }

    /// `alpha` of `top` over `bottom` (alpha 0...1), in linear light.
    @inline(__always)
    static func blend(_ top: UInt8, over bottom: UInt8, alpha: Float, table: UnsafeBufferPointer<Float>) -> UInt8 {
        if alpha >= 1 { return top }
        if alpha <= 0 || top == bottom { return bottom }
        return encode(alpha * table[Int(top)] + (1 - alpha) * table[Int(bottom)])
    }
}
