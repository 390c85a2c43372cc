import ArgumentParser
import Foundation
import SMPEngine

/// `smp plan`: the session plan, what each session deposits and the density it builds.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "The session plan: day, needle, ink, new and cumulative dots, cumulative density per region.")

    @Argument(help: "The scene file.")
    var scene: String

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @OptionGroup(title: "Overrides") var overrides: OverrideOptions

    @OptionGroup var output: ReportFormatOption

    func rows() throws -> [SessionPlanRow] {
        let (scene, _) = try limits.checkedScene(self.scene, overrides: overrides.overrides)
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        return SessionPlanRow.rows(scene: scene, dots: dots, report: try DensityReport(scene: scene, map: map, dots: dots))
    }

    func run() throws {
        let rows = try rows()
        var lines: [String] = []
        func emit(_ line: String) { lines.append(line) }   // written in one go at the end (StandardOutput)
        switch output.format {
        case .json:
            emit(try ReportFormatOption.json(rows))
        case .table:
            let regions = ScalpRegion.allCases.map(\.rawValue).filter { name in rows.contains { $0.dotsPerCM2[name] != nil } }
            emit("session  day  needle mm       ink      dilution  new dots  total dots  " + regions.map { $0 + " /cm²" }.joined(separator: "  "))
            for row in rows {
                let needle = String(format: "%.2f %@", row.needleDiameterMM, row.needleConfiguration == "single" ? "1RL" : "3RL")
                var line = String(format: "%7d  %3.0f  %-14@  %@  %8.2f  %8d  %10d", row.session, row.day, needle, row.ink, row.dilution,
                                  row.newDots, row.cumulativeDots)
                for region in regions {
                    line += "  " + String(format: "%.1f", row.dotsPerCM2[region] ?? 0).padding(toLength: region.count + 5, withPad: " ", startingAt: 0)
                }
                emit(line)
            }
        }
        try StandardOutput.write(lines: lines)
    }
}
