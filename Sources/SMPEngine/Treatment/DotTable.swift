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

    /// Micrometre precision, no exponent: what a CSV reader anywhere parses.
    static func number(_ value: Double) -> String { String(format: "%.4f", value) }
}
