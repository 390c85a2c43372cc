import Foundation

/// One Gaussian component of a dot as the renderer draws it: `amount` of ink (integrated over
/// the skin, so spreading alone conserves it) with width σ; its optical depth per channel at
/// distance r is amount / (2πσ²) · exp(−r² / 2σ²) · absorbance. Dermal ink sits under a thin
/// scattering layer (the renderer's veil); surface components (fresh ink and crust, redness)
/// are on top of the skin.
public struct InkDot: Sendable, Equatable {
    public enum Layer: Sendable, Equatable { case dermal, surface }

    public var xMM: Double
    public var yMM: Double
    public var sigmaMM: Double
    public var amount: Double
    public var absorbance: LinearRGB
    public var layer: Layer
    /// Oval dots: σ along `axis` is σ·√e and across it σ/√e, e = `elongation` ≥ 1, so the
    /// area σ_major·σ_minor = σ² (and the peak for a given amount) is unchanged.
    public var elongation: Double
    /// Unit vector of the long axis (x, y).
    public var axis: SIMD2<Double>

    public init(xMM: Double, yMM: Double, sigmaMM: Double, amount: Double, absorbance: LinearRGB, layer: Layer,
                elongation: Double = 1, axis: SIMD2<Double> = SIMD2(1, 0)) {
        self.xMM = xMM
        self.yMM = yMM
        self.sigmaMM = sigmaMM
        self.amount = amount
        self.absorbance = absorbance
        self.layer = layer
        self.elongation = elongation
        self.axis = axis
    }

    /// Optical depth at the centre.
    public var peakDepth: LinearRGB { absorbance * Float(amount / (2 * Double.pi * sigmaMM * sigmaMM)) }

    /// How far a component is drawn, in σ along its long axis: to where its optical depth in
    /// the most absorbed channel falls below `negligibleDepth`, and at least 2.5 σ (94 % of its
    /// ink). A fixed 3 σ cut 1.1 % of the peak, which under a dense healed core (peak depth 3–8)
    /// left a visible step of up to 3 sRGB levels at the footprint's edge; faint halos need less.
    public var footprintSigmas: Double {
        let peak = Double(peakDepth.max())
        return peak > InkDot.negligibleDepth ? max(2.5, (2 * log(peak / InkDot.negligibleDepth)).squareRoot()) : 2.5
    }

    /// Optical depth whose loss changes a transmission by under 0.4 %: about half an sRGB level.
    static let negligibleDepth = 0.004
}
