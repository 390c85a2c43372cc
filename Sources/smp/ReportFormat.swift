import ArgumentParser
import Foundation

/// `--format table|json`, shared by the commands that print a report.
struct ReportFormatOption: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "table or json.")
    var format = Format.table

    /// `value` as the `json` format prints it: pretty, keys sorted, so the output diffs well.
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
