import Foundation

// The dome's geometry: what the chart and the head views compute from the scene's dimensions.
extension HeadShape {
    /// The point at polar angle θ from the top and parametric azimuth φ (0 = patient's right,
    /// π/2 = back, −π/2 = front).
    public func point(polar theta: Double, azimuth phi: Double) -> SIMD3<Double> {
        SIMD3(sideToSideMM * sin(theta) * cos(phi), frontToBackMM * sin(theta) * sin(phi), earToTopMM * cos(theta))
    }

    /// Surface area per unit θ per unit φ at (θ, φ): |∂P/∂θ × ∂P/∂φ|.
    func areaDensity(polar theta: Double, azimuth phi: Double) -> Double {
        areaDensity(sinPolar: sin(theta), cosPolar: cos(theta), lateral: lateral(azimuth: phi))
    }

    /// `areaDensity` from sin θ, cos θ and `lateral(azimuth: φ)`: the chart's table takes each
    /// from a row or a column instead of four libm calls per entry.
    func areaDensity(sinPolar s: Double, cosPolar co: Double, lateral: Double) -> Double {
        let a = frontToBackMM, b = sideToSideMM, c = earToTopMM
        return s * (c * c * s * s * lateral + a * a * b * b * co * co).squareRoot()
    }

    /// The azimuth's part of `areaDensity`: a² cos² φ + b² sin² φ.
    func lateral(azimuth phi: Double) -> Double {
        let a = frontToBackMM, b = sideToSideMM
        return a * a * cos(phi) * cos(phi) + b * b * sin(phi) * sin(phi)
    }
}
