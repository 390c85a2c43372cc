import Foundation
import PoissonDisk

/// The dots as a table other tools read: `dots.csv` and `smp dots`. The CSV's first columns,
/// in this order, are a contract: session,x_mm,y_mm,spacing_mm,diameter_mm.
public enum DotTable {
    public enum Format: Sendable { case csv, json }

    public static let csvHeader = "session,x_mm,y_mm,spacing_mm,diameter_mm"

    public static func text(_ dots: [PoissonDot], format: Format) -> String {
        switch format {
        case .csv:
            var lines = [csvHeader]
            lines.reserveCapacity(dots.count + 1)
            for dot in dots {
                lines.append("\(dot.layer),\(number(dot.xMM)),\(number(dot.yMM)),\(number(dot.spacingMM)),\(number(dot.diameterMM))")
            }
            return lines.joined(separator: "\n") + "\n"
        case .json:
            let rows = dots.map { dot in
                "{\"session\":\(dot.layer),\"x_mm\":\(number(dot.xMM)),\"y_mm\":\(number(dot.yMM)),\"spacing_mm\":\(number(dot.spacingMM)),\"diameter_mm\":\(number(dot.diameterMM))}"
            }
            return "[\n" + rows.joined(separator: ",\n") + "\n]\n"
        }
    }

    /// Micrometre precision, no exponent: what a CSV reader anywhere parses. The same text as
    /// `String(format: "%.4f", value)`, which took half of `smp dots`.
    static func number(_ value: Double) -> String {
        guard let scaled = FixedPoint.tenThousandths(value) else { return String(format: "%.4f", value) }
        let fraction = String(scaled % 10_000)
        return (value.sign == .minus ? "-" : "") + String(scaled / 10_000) + "."
            + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}

/// Exact decimal rounding without a formatter.
enum FixedPoint {
    /// |value| × 10⁴ rounded to the nearest integer, ties to even, as printf rounds the exact
    /// binary value; nil past 2⁵⁰ / 10⁴ or for NaN and infinities.
    ///
    /// The product p = |value| × 10⁴ is rounded once; its error e = |value| × 10⁴ − p is exactly
    /// representable and a fused multiply-add gives it exactly. With p's fraction f (exact),
    /// the true value lies above or below the halfway point exactly as f does, because f is a
    /// multiple of p's ulp and |e| is at most half of it; only f = ½ needs e's sign, and e = 0
    /// there is a true tie.
    static func tenThousandths(_ value: Double) -> Int? {
        let magnitude = abs(value)
        guard magnitude.isFinite, magnitude < 0x1p50 / 10_000 else { return nil }
        let product = magnitude * 10_000
        let error = (-product).addingProduct(magnitude, 10_000)
        let whole = product.rounded(.down)
        let fraction = product - whole
        var rounded = Int(whole)
        if fraction > 0.5 || (fraction == 0.5 && (error > 0 || (error == 0 && rounded % 2 == 1))) {
            rounded += 1
        }
        return rounded
    }
}
