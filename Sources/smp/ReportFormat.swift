import ArgumentParser

/// `--format table|json`, shared by the commands that print a report.
struct ReportFormatOption: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "table or json.")
    var format = Format.table
}
