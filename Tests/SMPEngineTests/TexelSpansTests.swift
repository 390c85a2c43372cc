import Foundation
import Testing
@testable import SMPEngine

@Suite("Texels drawn only where a view reads them")
struct TexelSpansTests {
    @Test("a map window's pixels drawn over a span of columns are those of the whole rows", arguments: ["0d", "healed", "10y"])
    func columnSpans(after: String) throws {
        var (scene, text) = try PreviewRendererTests.demo()
        scene.render.after = try #require(TreatmentTime(after))
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let centre = try PreviewRenderer.windowCentre(scene: scene, map: map)
        // Across the hairline's stubble and treated skin: narrow and wide components, hair and pores.
        let view = MapView(originXMM: centre.xMM - 12, originYMM: centre.yMM - 40, widthMM: 24, heightMM: 24, pixelsPerMM: 6)
        let surface = try ScalpSurface(scene: scene, map: map, view: view)
        let day = try #require(scene.render.after.day(in: scene.sessions))
        let renderer = SceneRendering(scene: scene, sceneText: text, threads: 1).renderer(view: view, dots: dots, day: day, surface: surface)
        let width = view.widthPixels, rowBytes = width * 3
        let whole = PanelPixels(renderer)
        // Spans starting and ending inside groups of four pixels and hair bins, and one pixel wide.
        for columns in [37..<101, 0..<5, (width - 3)..<width, 70..<71] {
            var part = [UInt8](repeating: 0, count: 16 * rowBytes)
            for band in stride(from: 0, to: view.heightPixels, by: 16) {
                let rows = band..<min(view.heightPixels, band + 16)
                part.withUnsafeMutableBytes { renderer.renderRows(rows, columns: columns, into: $0, rowStride: rowBytes) }
                for row in rows {
                    let start = row * rowBytes + 3 * columns.lowerBound, end = row * rowBytes + 3 * columns.upperBound
                    let local = (row - band) * rowBytes
                    #expect(Array(part[(local + 3 * columns.lowerBound)..<(local + 3 * columns.upperBound)]) == Array(whole.bytes[start..<end]),
                            "row \(row), columns \(columns)")
                }
            }
        }
    }

    @Test("a view over a texture drawn only where it reads is the view over the whole texture",
          arguments: [(HeadViewName.top, 640), (.front, 160), (.back, 160)])
    func viewReadsOnlySpans(name: HeadViewName, pixels: Int) throws {
        let (scene, text) = try PreviewRendererTests.demo()
        var rendering = SceneRendering(scene: scene, sceneText: text, threads: 2)
        rendering.scene.render.viewPixels = pixels
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let day = try #require(scene.render.after.day(in: scene.sessions))
        let camera = rendering.camera(name)
        let whole = rendering.textureView(of: map, pixelsPerMM: rendering.texturePixelsPerMM(for: [camera]))
        let traced = try rendering.headView(name, map: map, texture: nil, font: nil).traced(threads: 2)
        let seen = try #require(traced.seenChart(within: whole))
        let spans = try #require(traced.texelSpans(on: seen, maximumLevel: PreviewRenderer.textureMaximumLevel))
        let share = spans.share(ofWidth: seen.widthPixels, height: seen.heightPixels)
        print("\(name), \(pixels) px: \(share) of the seen chart's \(seen.widthPixels) × \(seen.heightPixels) texels read")
        #expect(share > 0.05 && share < 0.95, "\(name): \(share) of the seen chart's texels")
        let surface = try ScalpSurface(scene: scene, map: map, view: seen)
        // The whole texture, its filter stopping at the same level.
        let full = rendering.chartTexture(map: map, dots: dots, day: day, surface: surface, within: whole,
                                          reading: TexelSpans(wholeWidth: seen.widthPixels, height: seen.heightPixels,
                                                              maximumLevel: spans.maximumLevel))
        let part = rendering.chartTexture(map: map, dots: dots, day: day, surface: surface, within: whole, reading: spans)
        #expect(part.levels[0] != full.levels[0], "nothing left out")
        #expect(PanelPixels(traced.with(texture: part)) == PanelPixels(traced.with(texture: full)))
    }
}

@Suite("The map renderer's component order")
struct ComponentOrderTests {
    @Test("components dealt into strips and sorted within each are in the order of one sort by strip, x and index")
    func stripOrder() {
        var random = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 7, 5000] {
            let strips = (0..<count).map { _ in Int.random(in: 0..<40, using: &random) }
            // Coarse x values, so that ties fall back on the index.
            let xs = (0..<count).map { _ in Double(Int.random(in: 0..<60, using: &random)) * 0.25 }
            let indices = (0..<count).filter { $0 % 5 != 3 }
            let reference = indices.map { (strips[$0], xs[$0], $0) }.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.2)
            #expect(MapRenderer.stripOrder(indices, strip: { strips[$0] }, x: { xs[$0] }) == reference, "\(count) components")
        }
    }
}
