import Foundation
import ImageText
import PNGIO
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("timeline.png: one region from the last session to five years on")
struct TimelineImageTests {
    static let sceneText = SceneRenderingTests.scene

    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("smp-timeline-\(UUID().uuidString)")
    }

    /// Pixels of `panel` rendered on its own, RGB8.
    func pixels(of image: some RowImage) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: image.widthPixels * image.heightPixels * 3)
        bytes.withUnsafeMutableBytes { image.renderRows(0..<image.heightPixels, into: $0, rowStride: image.widthPixels * 3) }
        return bytes
    }

    /// The RGB bytes of a rectangle of a PNG read back (RGBA8).
    func region(_ png: PNGImage, x: Int, y: Int, width: Int, height: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for row in y..<(y + height) {
            for column in x..<(x + width) {
                let pixel = png.pixel(x: column, y: row)
                bytes += [pixel.x, pixel.y, pixel.z]
            }
        }
        return bytes
    }

    @Test("--only timeline writes timeline.png alone: seven 20 mm panels at 1:1, labelled, the same bytes on 1 and 2 threads")
    func rendered() throws {
        let scene = try Scene.load(yaml: Self.sceneText, file: "small.yaml")
        var files: [Data] = []
        var image: PNGImage?
        for threads in [1, 2] {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try SceneRendering(scene: scene, sceneText: Self.sceneText, threads: threads).render(into: folder, only: ["timeline"])
            #expect(result.files.map(\.lastPathComponent) == ["timeline.png"])
            let url = folder.appendingPathComponent("timeline.png")
            files.append(try Data(contentsOf: url))
            image = try PNGReader.read(url: url)
        }
        #expect(files[0] == files[1])
        let png = try #require(image)

        // The expected layout at 10 px/mm: 20 px text, margins of 20 px, 10 px between 200 px
        // panels; the height is the title line, the panels, a label line and the scale bar.
        let font = try Font.dejaVuSans()
        let pixelSize = SceneRendering.timelineTextPixels(pixelsPerMM: 10)
        #expect(pixelSize == 20)
        let line = try font.measure("day 0", pixelSize: 20).height
        let titleLine = try font.measure("small", pixelSize: 25).height
        let bar = try ScaleBar(lengthMM: 5, pixelsPerMM: 10, pixelSize: 20).size(font: font)
        #expect(png.width == 2 * 20 + 7 * 200 + 6 * 10)
        #expect(png.height == (20 + titleLine + 10) + 200 + (5 + line) + (10 + bar.height + 20))
        #expect(png.pixelsPerMM == 10)
        let text = Dictionary(png.text.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(text["Image"] == "timeline" && text["Scene"] == "small")
        #expect(text["Moment"] == "day 0, day 3, day 7, day 14, day 30, 1 year, 5 years after session 3")
    }

    @Test("each panel is its moment's map render of the window, pixel for pixel; day 0 and 5 years differ")
    func panels() throws {
        let scene = try Scene.load(yaml: Self.sceneText, file: "small.yaml")
        let rendering = SceneRendering(scene: scene, sceneText: Self.sceneText, threads: 2)
        let preview = try ScenePreview(scene: scene)
        let map = preview.map, dots = preview.dots
        let view = rendering.view(of: map)
        let timeline = try rendering.timeline(preview, view: view, font: Font.dejaVuSans())
        #expect(timeline.panels.count == 7)
        let strip = pixels(of: timeline)
        let window = rendering.timelineView(map: map, dots: dots, view: view)
        let lastDay = try #require(scene.sessions.last?.day)
        var rendered: [[UInt8]] = []
        for (index, moment) in SceneRendering.timelineMoments.enumerated() {
            // The panel as `smp render --at <N>d` would draw that window.
            let alone = rendering.renderer(view: window, dots: dots, day: lastDay + moment.daysAfterLastSession,
                                           surface: try ScalpSurface(scene: scene, map: map, view: window))
            #expect(alone.widthPixels == 200 && alone.heightPixels == 200)
            let expected = pixels(of: alone)
            var inStrip: [UInt8] = []
            for row in 0..<200 {
                let start = ((timeline.panelTop + row) * timeline.widthPixels + timeline.panelLeft[index]) * 3
                inStrip += strip[start..<(start + 600)]
            }
            #expect(inStrip == expected, "panel \(moment.label)")
            rendered.append(expected)
        }
        #expect(rendered[0] != rendered[6])
        #expect(Set(rendered).count == 7, "every moment looks different")
        // The title and label strips carry dark text; the panels' gaps stay background.
        #expect(timeline.titleStrip.pixels.contains { $0 < 100 })
        #expect(timeline.labelStrip.pixels.contains { $0 < 100 })
        let gapColumn = timeline.panelLeft[0] + 200 + 5
        #expect(strip[((timeline.panelTop + 100) * timeline.widthPixels + gapColumn) * 3] == 255)
    }

    @Test("at any scale, the title, labels and scale bar lie inside the image's margins, each label under its panel",
          arguments: [1.0, 2.5, 10, 30])
    func layout(pixelsPerMM: Double) throws {
        var scene = try Scene.load(yaml: Self.sceneText, file: "small.yaml")
        scene.render.pixelsPerMM = pixelsPerMM
        let rendering = SceneRendering(scene: scene, sceneText: Self.sceneText)
        let preview = try ScenePreview(scene: scene)
        let timeline = try rendering.timeline(preview, view: rendering.view(of: preview.map), font: Font.dejaVuSans())
        let margin = SceneRendering.timelineTextPixels(pixelsPerMM: pixelsPerMM)
        let panel = Int((20 * pixelsPerMM).rounded())
        // Columns holding ink (darker than the white background) in a strip.
        func inkColumns(_ strip: RGB8Image) -> [Int] {
            (0..<strip.width).filter { x in (0..<strip.height).contains { strip.pixel(x: x, y: $0) != .white } }
        }
        for strip in [timeline.titleStrip, timeline.labelStrip, timeline.footerStrip] {
            let ink = inkColumns(strip)
            #expect(!ink.isEmpty)
            #expect(ink.allSatisfy { $0 >= margin && $0 < timeline.widthPixels - margin }, "ink within the margins at \(pixelsPerMM) px/mm")
        }
        // Each label's ink is centred under its panel (within a pixel or two of rounding).
        let labels = inkColumns(timeline.labelStrip)
        for (index, left) in timeline.panelLeft.enumerated() {
            let next = index + 1 < timeline.panelLeft.count ? timeline.panelLeft[index + 1] : timeline.widthPixels
            let previousEnd = index > 0 ? timeline.panelLeft[index - 1] + panel : 0
            let mine = labels.filter { $0 >= (previousEnd + left) / 2 && $0 < (left + panel + next) / 2 }
            let centre = Double((mine.first ?? 0) + (mine.last ?? 0) + 1) / 2
            // Side bearings differ left and right by a few hundredths of an em.
            #expect(abs(centre - (Double(left) + Double(panel) / 2)) <= 1 + 0.1 * Double(margin), "label \(index) at \(pixelsPerMM) px/mm")
        }
    }

    @Test("any split of the rows gives the same bytes", arguments: [1, 7, 64])
    func bands(band: Int) throws {
        let scene = try Scene.load(yaml: Self.sceneText, file: "small.yaml")
        let rendering = SceneRendering(scene: scene, sceneText: Self.sceneText)
        let preview = try ScenePreview(scene: scene)
        let timeline = try rendering.timeline(preview, view: rendering.view(of: preview.map), font: Font.dejaVuSans())
        let whole = pixels(of: timeline)
        var banded = [UInt8](repeating: 0, count: whole.count)
        let stride = timeline.widthPixels * 3
        banded.withUnsafeMutableBytes { output in
            for start in Swift.stride(from: 0, to: timeline.heightPixels, by: band) {
                let rows = start..<min(timeline.heightPixels, start + band)
                timeline.renderRows(rows, into: UnsafeMutableRawBufferPointer(rebasing: output[(start * stride)...]), rowStride: stride)
            }
        }
        #expect(banded == whole)
    }

    @Test("the window sits on the last session's dots, at least as fully as one centred on their centroid",
          arguments: ["norwood7", "norwood3", "areata"])
    func window(pattern: String) throws {
        let text = "name: w\nseed: 11\nhairLoss: { pattern: \(pattern) }\nrender: { pixelsPerMM: 4 }"
        let scene = try Scene.load(yaml: text, file: "w.yaml")
        let rendering = SceneRendering(scene: scene, sceneText: text)
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let last = dots.filter { $0.layer == scene.sessions.count }
        let window = rendering.timelineView(map: map, dots: dots, view: rendering.view(of: map))
        #expect(window.widthMM == 20 && window.heightMM == 20 && window.pixelsPerMM == 4)
        func count(_ originX: Double, _ originY: Double) -> Int {
            last.filter { $0.xMM >= originX && $0.xMM < originX + 20 && $0.yMM >= originY && $0.yMM < originY + 20 }.count
        }
        let centroidX = last.map(\.xMM).reduce(0, +) / Double(last.count), centroidY = last.map(\.yMM).reduce(0, +) / Double(last.count)
        #expect(count(window.originXMM, window.originYMM) >= count(centroidX - 10, centroidY - 10))
        // Every 5 mm quarter of the window holds dots of the last session: no untreated corner.
        for (dx, dy) in [(0.0, 0.0), (15, 0), (0, 15), (15, 15)] {
            #expect(last.contains { $0.xMM >= window.originXMM + dx && $0.xMM < window.originXMM + dx + 5
                && $0.yMM >= window.originYMM + dy && $0.yMM < window.originYMM + dy + 5 }, "corner \(dx), \(dy) of \(pattern)")
        }
        #expect(rendering.timelineView(map: map, dots: dots, view: rendering.view(of: map)) == window, "the same choice every time")
    }
}
