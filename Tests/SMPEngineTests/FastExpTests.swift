import Foundation
import Testing
@testable import SMPEngine

@Suite("The renderer's four-lane exponential")
struct FastExpTests {
    /// Its stated accuracy, against the double-precision exponential, in 2 × 10⁵ steps with
    /// offsets across the lanes (so each lane sees every part of the range): near 0 that of
    /// the polynomial, over the whole range with the error of rounding x · log₂e to a Float.
    @Test(arguments: [(-1.0, 1.0, 3.5e-6), (-87.0, 88.0, 7e-6)])
    func relativeError(from lowest: Double, to highest: Double, below bound: Double) {
        var worst = 0.0
        let steps = 200_000
        for step in 0...steps {
            let x = lowest + (highest - lowest) * Double(step) / Double(steps)
            let lanes = SIMD4<Float>(Float(x), Float(x - 1e-3), Float(x + 0.0037), Float(x - 0.0061))
            let fast = FastExp.exp(lanes)
            for lane in 0..<4 where Double(lanes[lane]) >= lowest && Double(lanes[lane]) <= highest {
                let exact = Foundation.exp(Double(lanes[lane]))
                worst = max(worst, abs(Double(fast[lane]) - exact) / exact)
            }
        }
        #expect(worst < bound, "worst relative error \(worst)")
        #expect(worst > 1e-9, "compared against a different function than it claims to be")
    }

    /// Below the range the result is tiny and positive, never garbage from a wrapped exponent.
    @Test func farBelowTheRangeIsNearlyZero() {
        let fast = FastExp.exp(SIMD4(-200, -1000, -88, -1e30))
        for lane in 0..<4 { #expect(fast[lane] >= 0 && fast[lane] < 1e-37) }
    }
}

extension FastExpTests {
    /// e^0 is exactly 1: a pixel with no ink keeps its colour to the bit.
    @Test func zeroGivesExactlyOne() {
        #expect(FastExp.exp(SIMD4(repeating: 0)) == SIMD4(repeating: 1))
        #expect(FastExp.exp(SIMD4(repeating: -0.0)) == SIMD4(repeating: 1))
    }
}
