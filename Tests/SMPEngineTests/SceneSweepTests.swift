import Foundation
import PNGIO
import Testing
@testable import SMPEngine

@Suite("Sweeps and their contact sheet")
struct SceneSweepTests {
    /// A small scene, fully treated in the window the tests render (the scalp of Norwood 7).
    static let scene = """
        name: sweep
        seed: 11
        hairLoss: { pattern: norwood7 }
        design: { dotsPerCM2: 90 }
        render: { pixelsPerMM: 8 }
        """
    static let window = MapView(originXMM: -6, originYMM: -70, widthMM: 12, heightMM: 10, pixelsPerMM: 8)

    func variations(_ arguments: String...) throws -> [SweepVariation] {
        try arguments.map { try SweepVariation(parsing: $0) }
    }

    @Test("combinations run along the first variation first, then the second")
    func combinationOrder() throws {
        let sweep = try SceneSweep(sceneText: Self.scene, file: "sweep.yaml", variations: variations("a=1,2,3", "b=x,y", "c=p,q"))
        let combinations = sweep.combinations
        #expect(combinations.count == 12)
        #expect(combinations.prefix(4) == [[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0]])
        #expect(combinations.last == [2, 1, 1])
        #expect(Set(combinations).count == 12)
        #expect(sweep.columns == 3)
    }

    @Test("more combinations than the maximum are refused before any scene is read")
    func tooMany() throws {
        // Not even YAML: the count is refused first.
        let error = #expect(throws: SweepError.self) {
            try SceneSweep(sceneText: "{{{", file: "x.yaml", variations: variations("a=1,2,3,4,5,6,7", "b=1,2,3,4,5,6"))
        }
        #expect(error == .tooManyPanels(count: 42, maximum: SceneSweep.maximumPanels))
        #expect(error?.description.contains("at most 36 panels") == true)
        // The largest allowed count passes the check.
        #expect(throws: Never.self) { try SceneSweep.check(variations("a=1,2,3,4,5,6", "b=1,2,3,4,5,6")) }
        #expect(throws: SweepError.self) { try SceneSweep.check(variations("a=1,2", "a=3,4")) }
        #expect(throws: SweepError.self) { try SceneSweep.check([]) }
    }

    @Test("malformed --vary is refused", arguments: ["a", "a=", "a=1,,2", "a=1,1", "=1,2", "a..b=1"])
    func malformed(argument: String) {
        #expect(throws: SweepError.self) { try SweepVariation(parsing: argument) }
    }

    @Test("a bad value in a variation is the scene's error, as in the file, before anything is rendered")
    func badValue() throws {
        let sweep = try SceneSweep(sceneText: Self.scene, file: "sweep.yaml", variations: variations("design.dotsPerCM2=60,500"))
        let error = #expect(throws: SceneError.self) { try sweep.scenes() }
        #expect(error?.issues.map(\.keyPath) == ["design.dotsPerCM2"])
        #expect(error?.issues.first?.message.contains("allowed: 1 to 200") == true)
    }

    @Test("3 densities × 2 needles: a 3 × 2 sheet of 6 distinct panels, darker with density, the same bytes on 1 or 2 threads")
    func densitiesByNeedles() throws {
        let sweep = try SceneSweep(sceneText: Self.scene, file: "sweep.yaml",
                                   variations: variations("design.dotsPerCM2=60,90,120", "sessions[2].needle.diameterMM=0.2,0.3"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, _, panels) = try sweep.render(window: Self.window, threads: 2)
        let output = try sweep.write(into: folder, window: Self.window, threads: 2)
        let single = try sweep.write(into: folder.appendingPathComponent("one"), window: Self.window, threads: 1)
        #expect(try Data(contentsOf: output.files[0]) == Data(contentsOf: single.files[0]))
        #expect(try Data(contentsOf: output.files[1]) == Data(contentsOf: single.files[1]))

        // Six panels of the window's size, no two alike.
        #expect(panels.count == 6)
        #expect(panels.allSatisfy { $0.after.width == 96 && $0.after.height == 80 })
        #expect(Set(panels.map(\.after.bytes)).count == 6)

        // sweep.json: six entries in the sheet's order, darkening rising with density per needle,
        // and the measured density near the design's.
        let report = try JSONDecoder().decode(SweepReport.self, from: Data(contentsOf: folder.appendingPathComponent("sweep.json")))
        #expect(report == output.report)
        #expect(report.panels.count == 6)
        #expect(report.panels.map(\.column) == [0, 1, 2, 0, 1, 2] && report.panels.map(\.row) == [0, 0, 0, 1, 1, 1])
        #expect(report.panels.map { $0.values.map(\.value) } == [["60", "0.2"], ["90", "0.2"], ["120", "0.2"], ["60", "0.3"], ["90", "0.3"], ["120", "0.3"]])
        for row in 0..<2 {
            let darkening = report.panels.filter { $0.row == row }.map(\.darkening)
            #expect(darkening[0] > 0 && darkening[0] < darkening[1] && darkening[1] < darkening[2], "row \(row): \(darkening)")
            let density = report.panels.filter { $0.row == row }.map(\.dotsPerCM2)
            for (measured, designed) in zip(density, [60.0, 90, 120]) { #expect(abs(measured - designed) < 0.25 * designed, "\(density)") }
        }
        // The larger needle darkens more at every density.
        for column in 0..<3 { #expect(report.panels[column + 3].darkening > report.panels[column].darkening) }

        // sweep.png: wide and tall enough for the 3 × 2 grid, each panel found whole, columns left
        // to right and rows top to bottom.
        let sheet = try PNGReader.read(url: folder.appendingPathComponent("sweep.png"))
        #expect(sheet.width >= 3 * 96 && sheet.height >= 2 * 80)
        #expect(sheet.pixelsPerMM == 8)
        let origins = try panels.map { try #require(Self.locate($0.after, in: sheet)) }
        for index in panels.indices {
            let (column, row) = (index % 3, index / 3)
            if column > 0 { #expect(origins[index].x > origins[index - 1].x + 96 - 1 && origins[index].y == origins[index - 1].y) }
            if row > 0 { #expect(origins[index].y > origins[index - 3].y + 80 - 1 && origins[index].x == origins[index - 3].x) }
        }
        let text = Dictionary(sheet.text.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(text["Scene"] == "sweep" && text["Sweep"] == "design.dotsPerCM2=60,90,120 sessions[2].needle.diameterMM=0.2,0.3")
    }

    @Test("--view top: panels of the head seen from above, darker with density, on a sheet without a physical scale")
    func headViewPanels() throws {
        let sweep = try SceneSweep(sceneText: Self.scene, file: "sweep.yaml", variations: variations("design.dotsPerCM2=40,160"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-sweep-view-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try sweep.write(into: folder, window: Self.window, headView: .top, threads: 2)
        let report = output.report
        #expect(report.view == "top" && report.panels.count == 2)
        #expect(report.panels[0].darkening > 0 && report.panels[0].darkening < report.panels[1].darkening, "\(report.panels.map(\.darkening))")
        // The density is still the map window's.
        #expect(abs(report.panels[1].dotsPerCM2 - 160) < 40)
        let (_, _, panels) = try sweep.render(window: Self.window, headView: .top, threads: 1)
        #expect(panels.allSatisfy { $0.after.width == ViewSheet.panelPixels && $0.after.height == ViewSheet.panelPixels })
        let sheet = try PNGReader.read(url: output.files[0])
        #expect(sheet.pixelsPerMM == nil)
        #expect(sheet.width >= 2 * ViewSheet.panelPixels)
        #expect(Self.locate(panels[1].after, in: sheet) != nil)
    }

    /// Where `panel` sits in `sheet` (its top-left pixel), matching every pixel; nil if nowhere.
    static func locate(_ panel: PanelPixels, in sheet: PNGImage) -> (x: Int, y: Int)? {
        func matches(_ x: Int, _ y: Int) -> Bool {
            for row in 0..<panel.height {
                for column in 0..<panel.width {
                    let i = (row * panel.width + column) * 3
                    let pixel = sheet.pixel(x: x + column, y: y + row)
                    if pixel[0] != panel.bytes[i] || pixel[1] != panel.bytes[i + 1] || pixel[2] != panel.bytes[i + 2] { return false }
                }
            }
            return true
        }
        for y in 0...(sheet.height - panel.height) {
            for x in 0...(sheet.width - panel.width) {
                let pixel = sheet.pixel(x: x, y: y)
                if pixel[0] == panel.bytes[0], pixel[1] == panel.bytes[1], pixel[2] == panel.bytes[2], matches(x, y) { return (x, y) }
            }
        }
        return nil
    }

    @Test("labels name each variation by its last key, or more of its path when two end alike")
    func labelNames() throws {
        let sweep = try SceneSweep(sceneText: Self.scene, file: "s.yaml",
                                   variations: variations("design.dotsPerCM2=1,2", "sessions[0].needle.diameterMM=0.2", "sessions[1].needle.diameterMM=0.3"))
        #expect(sweep.labelNames == ["dotsPerCM2", "sessions[0].needle.diameterMM", "sessions[1].needle.diameterMM"])
    }
}
