import Foundation

// The pixel form of an ink component belongs to the renderer: the pigment model speaks mm.
extension InkDot {
    /// The Gaussian's exponent is −(A·dx² + 2B·dx·dy + C·dy²), dx, dy in pixels at `scale`.
    func quadraticForm(pixelsPerMM scale: Double) -> SIMD3<Float> {
        let major = sigmaMM * elongation.squareRoot() * scale, minor = sigmaMM / elongation.squareRoot() * scale
        let c = axis.x, s = axis.y
        let a = 1 / (2 * major * major), b = 1 / (2 * minor * minor)
        return SIMD3(Float(c * c * a + s * s * b), Float(c * s * (a - b)), Float(s * s * a + c * c * b))
    }
}
