import ArgumentParser
import Foundation
import SMPEngine

/// `smp plan`: the session plan, what each session deposits and the density it builds.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "The session plan: day, needle, ink, new and cumulative dots, hours, cumulative density per region; then the forecast.")

    @Argument(help: "The scene file.")
    var scene: String

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @OptionGroup(title: "Overrides") var overrides: OverrideOptions

    @OptionGroup var output: ReportFormatOption

    @Flag(inversion: .prefixedNo, help: "The years after the plan: darkening, when a touch-up is due, bald scalp left untreated (renders a small window each year).")
    var forecast = true

    /// The JSON form with the forecast.
    struct Plan: Codable {
        var sessions: [SessionPlanRow]
        var forecast: RenderReport.ForecastReport
    }

    func rows() throws -> [SessionPlanRow] { try plan(withForecast: false).rows }

    func plan(withForecast: Bool) throws -> (rows: [SessionPlanRow], forecast: Forecast?) {
        let (scene, text) = try limits.checkedScene(self.scene, overrides: overrides.overrides)
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        var forecast: Forecast?
        if withForecast {
            let rendering = SceneRendering(scene: scene, sceneText: text)
            let preview = try ScenePreview(scene: scene, map: map, dots: dots, follicularUnits: FollicleLayout.units(for: scene, on: map))
            forecast = try Forecast.measure(rendering, preview: preview, view: rendering.view(of: map),
                                            threads: ProcessInfo.processInfo.activeProcessorCount)
        }
        let report = try DensityReport(scene: scene, map: map, dots: dots)
        return (SessionPlanRow.rows(scene: scene, dots: dots, report: report), forecast)
    }

    func run() throws {
        let (rows, forecast) = try plan(withForecast: self.forecast)
        var lines: [String] = []
        func emit(_ line: String) { lines.append(line) }   // written in one go at the end (StandardOutput)
        switch output.format {
        case .json:
            if let forecast {
                emit(try ReportFormatOption.json(Plan(sessions: rows, forecast: RenderReport.ForecastReport(forecast))))
            } else {
                emit(try ReportFormatOption.json(rows))
            }
        case .table:
            // The plan's regions (scars and patches among them), then each scar and patch
            // (`DensityReport.features`).
            let planRegions = PlanRegion.allCases.map(\.rawValue)
            let features = Set(rows.flatMap(\.dotsPerCM2.keys)).subtracting(planRegions).sorted()
            let regions = planRegions.filter { name in rows.contains { $0.dotsPerCM2[name] != nil } } + features
            emit("session  day  needle mm       ink      dilution  new dots  total dots  hours  " + regions.map { $0 + " /cm²" }.joined(separator: "  "))
            for row in rows {
                let needle = String(format: "%.2f %@", row.needleDiameterMM, row.needleConfiguration == "single" ? "1RL" : "3RL")
                var line = String(format: "%7d  %3.0f  %-14@  %@  %8.2f  %8d  %10d  %5.1f", row.session, row.day, needle, row.ink,
                                  row.dilution, row.newDots, row.cumulativeDots, row.estimatedHours)
                for region in regions {
                    line += "  " + String(format: "%.1f", row.dotsPerCM2[region] ?? 0).padding(toLength: region.count + 5, withPad: " ", startingAt: 0)
                }
                emit(line)
                // The regions the session works with another needle or dilution, under its row.
                for (region, tools) in (row.regions ?? [:]).sorted(by: { regionOrder($0.key) < regionOrder($1.key) }) {
                    emit("         in \(region): \(tools.text)")
                }
                // Where the session's impressions go (its time follows them).
                let parts = row.impressionsPerRegion.sorted { regionOrder($0.key) < regionOrder($1.key) }.map { "\($0.key) \($0.value)" }
                if !parts.isEmpty { emit("         impressions: " + parts.joined(separator: ", ")) }
            }
            if let forecast { lines += Self.forecastTable(forecast) }
        }
        try StandardOutput.write(lines: lines)
    }

    /// A region's place in the table: `PlanRegion.allCases` order.
    func regionOrder(_ name: String) -> Int { PlanRegion(rawValue: name)?.caseIndex ?? Int.max }

    /// The forecast as text: a line per year, and when touch-ups are due and planned.
    static func forecastTable(_ forecast: Forecast) -> [String] {
        let scene = forecast.plan.scene
        let side = Int(forecast.window.widthMM.rounded())
        var lines = ["", String(format: "forecast (typical ageing, a %d × %d mm window of the last session's area): healed %.1f %% darker than bare skin;",
                                side, side, 100 * forecast.healedDarkening),
                     String(format: "a touch-up is due when it falls %.0f %% below that", 100 * forecast.margin),
                     "year  darker  of healed  touch-ups done  bald scalp left untreated"]
        for moment in forecast.yearly {
            let untreated = moment.untreatedBaldCM2.filter { $0.value >= 0.5 }.sorted { $0.key < $1.key }
                .map { String(format: "%@ %.0f cm²", $0.key, $0.value) }.joined(separator: ", ")
            let due = moment.ofHealed < 1 - forecast.margin ? "  (below the margin)" : ""
            lines.append(String(format: "%4.0f  %5.1f %%  %7.0f %%  %14d  %@", moment.years, 100 * moment.darkening, 100 * moment.ofHealed,
                                moment.touchUpsDone, untreated.isEmpty ? "none" : untreated) + due)
        }
        let planned = scene.forecast.touchUps.map { touchUp in
            String(format: "year %g (%@, density ×%.2f)", touchUp.afterYears,
                   touchUp.regions.isEmpty ? "all regions" : touchUp.regions.map(\.rawValue).joined(separator: ", "), touchUp.densityFactor)
        }
        lines.append("touch-up due: " + (forecast.touchUpsDue.isEmpty ? "not within the forecast"
            : forecast.touchUpsDue.map { String(format: "year %.1f", $0) }.joined(separator: ", ")))
        lines.append("touch-ups planned (scene touchUps): " + (planned.isEmpty ? "none" : planned.joined(separator: "; ")))
        if let progression = scene.hairLoss.progression {
            lines.append(String(format: "hair loss reaches %@ after %g years (hairLoss.progression)", progression.to.rawValue, progression.afterYears))
        }
        return lines
    }
}
