import ArgumentParser
import Foundation
import SMPEngine

/// `smp stats`: per region, area and density per session, target against achieved.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Per-region areas, target and achieved densities, and dot counts per session.")

    @Argument(help: "The scene file.")
    var scene: String

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @OptionGroup(title: "Overrides") var overrides: OverrideOptions

    @OptionGroup var output: ReportFormatOption

    func run() throws {
        let (scene, _) = try limits.checkedScene(self.scene, overrides: overrides.overrides)
        let map = ScalpMap(scene: scene)
        let report = try DensityReport(scene: scene, map: map, dots: DotPlacement.dots(for: scene, on: map))
        var lines: [String] = []
        func emit(_ line: String) { lines.append(line) }   // written in one go at the end (StandardOutput)
        switch output.format {
        case .json:
            emit(try ReportFormatOption.json(report))
        case .table:
            emit(String(format: "%@: scalp %.0f cm², %d dots in %d session(s)", report.scene, report.scalpAreaCM2,
                         report.totalDots, scene.sessions.count))
            emit("region            area cm²  session  day   target /cm²  achieved /cm²  new dots  total dots")
            for region in report.regions {
                for figures in region.sessions {
                    let name = figures.session == 1 ? region.region.padding(toLength: 16, withPad: " ", startingAt: 0) : String(repeating: " ", count: 16)
                    let area = figures.session == 1 ? String(format: "%8.1f", region.areaCM2) : String(repeating: " ", count: 8)
                    emit(String(format: "%@  %@  %7d  %4.0f  %11.1f  %13.1f  %8d  %10d", name, area, figures.session, figures.day,
                                 figures.targetDotsPerCM2, figures.achievedDotsPerCM2, figures.newDots, figures.cumulativeDots))
                }
            }
        }
        try StandardOutput.write(lines: lines)
    }
}
