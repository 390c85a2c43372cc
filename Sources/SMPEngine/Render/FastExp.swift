/// e^x for four lanes at once: within 1.5 × 10⁻⁷ relative of the exact value for |x| ≤ 1, and
/// 4 × 10⁻⁶ over [−87, 88], where rounding x · log₂e to a Float dominates (measured in the
/// tests). Below −87 it returns e^−87 ≈ 1.6 × 10⁻³⁸, which is 0 for every use here; above 88
/// it is not defined. The renderer spends most of its arithmetic on Beer–Lambert
/// transmissions; libm's expf is one lane at a time and a call each. Plain float arithmetic
/// in a fixed order (no table, no libm), so it is the same on every machine and whatever the
/// thread count.
///
/// e^x = 2^n · 2^f with n = round(x · log₂e) and f = x · log₂e − n in [−½, ½]; 2^f from Cephes'
/// exp2f polynomial (Moshier, Cephes Mathematical Library, `exp2f.c`), 2^n by building the
/// float's exponent bits.
enum FastExp {
    @inline(__always)
    static func exp(_ x: SIMD4<Float>) -> SIMD4<Float> {
        // Only the low end is clamped: every argument here is ≤ 0 (a negative optical depth or
        // quadratic form), and up to 88 the result needs no clamp.
        var t = x * 1.442_695_04
        t = t.replacing(with: -126, where: t .< -126)
        // Adding 1.5 · 2²³ rounds to the nearest integer and leaves it in the low mantissa bits.
        let magic: Float = 12_582_912
        let shifted = t + magic
        let n = shifted - magic
        let f = t - n
        var p: SIMD4<Float> = SIMD4(repeating: 1.535_336_188_319_500e-4)
        p = p * f + 1.339_887_440_266_574e-3
        p = p * f + 9.618_437_357_674_640e-3
        p = p * f + 5.550_332_471_162_809e-2
        p = p * f + 2.402_264_791_363_012e-1
        p = p * f + 6.931_472_028_550_421e-1
        p = p * f + 1
        let integer = unsafeBitCast(shifted, to: SIMD4<Int32>.self) &- unsafeBitCast(SIMD4<Float>(repeating: magic), to: SIMD4<Int32>.self)
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: SIMD4<Float>.self)
        return p * scale
    }
}
