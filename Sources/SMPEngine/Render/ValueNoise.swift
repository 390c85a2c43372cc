import PoissonDisk

/// Smooth random field on the chart: a value in −1…1 drawn per lattice point (pitch
/// `pitchMM`) from a hash of the seed and the point, interpolated with a C¹ smoothstep. Used
/// only at construction time to fill per-cell rasters, never per pixel.
struct ValueNoise: Sendable {
    let seed: UInt64
    let pitchMM: Double

    /// The lattice value at (i, j), uniform in −1…1: a pure function of seed and point.
    func latticeValue(_ i: Int, _ j: Int) -> Double {
        let key = seed ^ (UInt64(bitPattern: Int64(i)) &* 0x9E37_79B9_7F4A_7C15)
            ^ (UInt64(bitPattern: Int64(j)) &* 0xC2B2_AE3D_27D4_EB4F)
        return Double(SplitMix64.mix(key) >> 11) * 0x1p-52 - 1
    }

    func value(xMM: Double, yMM: Double) -> Double {
        let u = xMM / pitchMM, v = yMM / pitchMM
        let i = Int(u.rounded(.down)), j = Int(v.rounded(.down))
        let fx = u - Double(i), fy = v - Double(j)
        let sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy)
        let top = latticeValue(i, j) + (latticeValue(i + 1, j) - latticeValue(i, j)) * sx
        let bottom = latticeValue(i, j + 1) + (latticeValue(i + 1, j + 1) - latticeValue(i, j + 1)) * sx
        return top + (bottom - top) * sy
    }
}
