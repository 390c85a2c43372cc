import Foundation
import Testing
import PoissonDisk
@testable import SMPEngine

@Suite("The dot table")
struct DotTableTests {
    /// The reference the fast formatter replaces.
    private func printf(_ value: Double) -> String { String(format: "%.4f", value) }

    @Test("numbers read exactly as printf's %.4f: random values, ties, signs, zeros")
    func numbersMatchPrintf() {
        var generator = Xoshiro256StarStar(seed: 42)
        var values: [Double] = [0, -0.0, 1e-9, -1e-9, 0.00005, -0.00005, 0.99995, 123.45675, 1e9, -1e9, 5e10]
        // Dyadic values include exact ties at the fourth decimal (1/32 = 0.03125 → 312.5).
        values += (-20_000...20_000).map { Double($0) / 64 }
        values += (-2_000...2_000).map { Double($0) / 1024 + 0.00005 }
        for _ in 0..<60_000 {
            let magnitude = [1.0, 10, 400, 1e4, 1e7][generator.nextIndex(below: 5)]
            values.append((generator.nextUnit() * 2 - 1) * magnitude)
        }
        var mismatches: [(Double, String, String)] = []
        for value in values where DotTable.number(value) != printf(value) {
            mismatches.append((value, DotTable.number(value), printf(value)))
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(values.count) differ, e.g. \(mismatches.prefix(3))")
    }

    @Test("beyond the exact range and for NaN the table falls back to printf")
    func fallback() {
        for value in [1e13, -3e14, Double.nan, Double.infinity] {
            #expect(DotTable.number(value) == printf(value))
        }
    }
}
