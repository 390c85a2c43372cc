import ArgumentParser
import Foundation
import PoissonDisk
import SMPEngine

/// `smp dots`: the scene's dots on standard output, for other tools.
struct DotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dots",
        abstract: "Write a scene's dots to standard output.",
        discussion: """
            CSV columns, a stable contract: session,x_mm,y_mm,spacing_mm,diameter_mm \
            (positions in the scalp chart's millimetres, origin top-left). JSON: an array of \
            objects with the same fields.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Argument(help: "The scene file.")
    var scene: String

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @OptionGroup(title: "Overrides") var overrides: OverrideOptions

    @Option(help: "Only the dots of this session (1-based).")
    var session: Int?

    @Option(help: "csv or json.")
    var format = Format.csv

    func run() throws {
        try StandardOutput.write(try csv())
    }

    /// The table as text (CSV or JSON, per `--format`).
    func csv() throws -> String {
        let (scene, _) = try limits.checkedScene(self.scene, overrides: overrides.overrides)
        let sessionCount = scene.sessions.count
        if let session, !(1...sessionCount).contains(session) {
            printError("--session \(session): \(self.scene) has \(sessionCount) session(s); allowed: 1 to \(sessionCount)")
            throw ExitCode.validationFailure
        }
        var dots = try DotPlacement.dots(for: scene, on: ScalpMap(scene: scene))
        if let session { dots = dots.filter { $0.layer == session } }
        return DotTable.text(dots, format: format == .csv ? .csv : .json)
    }
}
