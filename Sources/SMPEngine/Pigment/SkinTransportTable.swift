/// How buried ink darkens the skin above it, tabulated from `SkinTransportSimulation` at a few
/// depths (the generated `SkinTransportTable+Data.swift`) and interpolated between them.
///
/// For a thin sheet of ink at depth d that absorbs a fraction α(y) of the light crossing it,
/// the skin's transmission seen at the surface is, per channel,
///
///     T(x) = V + (1 − V) · exp(−L(x) / (1 − V)),    L(x) = Σₖ wₖ · (gσₖ ∗ α)(x)
///
/// with gσ the unit 2-D Gaussian of width σ. To first order in α this is the simulation's
/// ΔR/R∞ = K ∗ α exactly; an opaque sheet everywhere leaves V, the light scattered back before
/// reaching the ink. Between a sparse stipple and a solid tattoo the exponential is a closure
/// (our choice), checked in the tests against DOMAIN.md's independent Monte-Carlo of opaque
/// discs: 15–27 % more loss than it found (`InkDiscLatticeTests`).
public enum SkinTransportTable {
    /// Depths of the table's rows, mm: the epidermis to the deep dermis where blow-outs sit.
    public static let depthsMM: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5]

    /// The kernel at `depthMM` (clamped to the table): wₖ for each σₖ, and V.
    public static func kernel(depthMM: Double) -> (weights: [SIMD3<Double>], veil: SIMD3<Double>) {
        let depths = depthsMM
        let d = min(max(depthMM, depths[0]), depths[depths.count - 1])
        var upper = 1
        while upper < depths.count - 1 && depths[upper] < d { upper += 1 }
        let lower = upper - 1
        let t = (d - depths[lower]) / (depths[upper] - depths[lower])
        let weights = zip(weightTable[lower], weightTable[upper]).map { $0 + ($1 - $0) * t }
        let veil = veilTable[lower] + (veilTable[upper] - veilTable[lower]) * t
        return (weights, veil)
    }
}
