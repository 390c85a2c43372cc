import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("The live page's preview renderer")
struct PreviewRendererTests {
    static func demo() throws -> (Scene, String) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scenes/demo.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        return (try Scene.load(yaml: text, file: "demo.yaml"), text)
    }

    #if os(Linux)
    @Test("glibc takes the server's malloc settings (freed buffers kept for the next change)")
    func mallocKeepsFreedBuffers() {
        #expect(PreviewRenderer.keepFreedBuffersForReuse())
    }
    #endif

    @Test("every component of the demo's dots, ten years on, reaches less than the preview's dot margin")
    func componentReach() throws {
        let (scene, _) = try Self.demo()
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let day = (scene.sessions.last?.day ?? 0) + 3653
        let reach = scene.pigment.components(of: dots, sessions: scene.sessions, atDay: day)
            .map { $0.sigmaMM * $0.elongation.squareRoot() * max($0.footprintSigmas, DiffuseField.reachSigmas) }.max() ?? 0
        #expect(reach > 0 && reach < PreviewRenderer.dotReachMM / 1.5, "\(reach) mm")
    }

    @Test("the map preview, drawn from the dots near its window, is the window drawn from every dot",
          arguments: ["0d", "healed", "10y"])
    func nearDotsOnly(after: String) throws {
        var (scene, text) = try Self.demo()
        scene.render.after = try #require(TreatmentTime(after))
        let renderer = PreviewRenderer(threads: 2)
        let preview = try renderer.render(scene, sceneText: text, view: .map, pixels: 150, ticket: renderer.begin())
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let centre = try PreviewRenderer.windowCentre(scene: scene, map: map)
        let side = PreviewRenderer.mapWindowMM
        let window = MapView(originXMM: centre.xMM - side / 2, originYMM: centre.yMM - side / 2, widthMM: side, heightMM: side,
                             pixelsPerMM: 150 / side)
        let rendering = SceneRendering(scene: scene, sceneText: text, threads: 1)
        let day = try #require(scene.render.after.day(in: scene.sessions))
        let whole = PanelPixels(rendering.renderer(view: window, dots: dots, day: day, surface: try ScalpSurface(scene: scene, map: map, view: window)))
        #expect(preview == whole)
        // The window shows treated scalp: most of its area inside the map's treated regions.
        #expect(dots.filter { $0.xMM >= window.originXMM && $0.xMM < window.originXMM + side
            && $0.yMM >= window.originYMM && $0.yMM < window.originYMM + side }.count > Int(side * side / 100 * 50))
    }

    @Test("a head view re-rendered from its traced rays after a density change is the view drawn afresh")
    func tracedHeadView() throws {
        var (scene, text) = try Self.demo()
        let renderer = PreviewRenderer(threads: 2)
        // The first render traces the view; the second, at another density, re-shades it.
        _ = try renderer.render(scene, sceneText: text, view: .head(.top), pixels: 96, ticket: renderer.begin())
        scene.design.dotsPerCM2 *= 0.6
        let preview = try renderer.render(scene, sceneText: text, view: .head(.top), pixels: 96, ticket: renderer.begin())
        let other = PreviewRenderer(threads: 1)
        let fresh = try other.render(scene, sceneText: text, view: .head(.top), pixels: 96, ticket: other.begin())
        #expect(preview == fresh)
        // And looks as the render's own view at that size does, whose texture covers the whole
        // map (the preview's covers the chart the view sees, drawn on its own surface).
        var rendering = SceneRendering(scene: scene, sceneText: text, threads: 1)
        rendering.scene.render.viewPixels = 96
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let day = try #require(scene.render.after.day(in: scene.sessions))
        let (texture, skin) = try rendering.viewTexture(map: map, dots: dots, day: day, for: [rendering.camera(.top)])
        let whole = PanelPixels(try rendering.headView(.top, map: map, texture: texture, skin: skin, font: nil))
        let differences = zip(preview.bytes, whole.bytes).map { abs(Int($0) - Int($1)) }
        let mean = Double(differences.reduce(0, +)) / Double(differences.count)
        #expect(mean < 1 && (differences.max() ?? 0) < 40, "mean \(mean), largest \(differences.max() ?? 0) levels")
    }

    @Test("a head view after a time change and then a density change is each view drawn afresh",
          arguments: [HeadViewName.top, .left])
    func changesThenFresh(name: HeadViewName) throws {
        var (scene, text) = try Self.demo()
        let renderer = PreviewRenderer(threads: 2)
        _ = try renderer.render(scene, sceneText: text, view: .head(name), pixels: 120, ticket: renderer.begin())
        for change in 0..<2 {
            if change == 0 { scene.render.after = try #require(TreatmentTime("0d")) } else { scene.design.dotsPerCM2 *= 0.7 }
            let cached = try renderer.render(scene, sceneText: text, view: .head(name), pixels: 120, ticket: renderer.begin())
            let other = PreviewRenderer(threads: 1)
            let fresh = try other.render(scene, sceneText: text, view: .head(name), pixels: 120, ticket: other.begin())
            #expect(cached == fresh, "\(name), change \(change)")
        }
    }

    @Test("a head view's texture drawn from the dots near the chart it sees is the texture drawn from every dot",
          arguments: [(HeadViewName.front, "healed"), (.front, "10y"), (.top, "healed")])
    func headTextureNearDots(view: HeadViewName, after: String) throws {
        var (scene, text) = try Self.demo()
        scene.render.after = try #require(TreatmentTime(after))
        var rendering = SceneRendering(scene: scene, sceneText: text, threads: 2)
        rendering.scene.render.viewPixels = 96
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let day = try #require(scene.render.after.day(in: scene.sessions))
        let camera = rendering.camera(view)
        let whole = rendering.textureView(of: map, pixelsPerMM: rendering.texturePixelsPerMM(for: [camera]))
        let traced = try rendering.headView(view, map: map, texture: nil, font: nil).traced(threads: 2, isCurrent: { true })
        let seen = try #require(traced.seenChart(within: whole))
        let surface = try ScalpSurface(scene: scene, map: map, view: seen)
        let near = PreviewRenderer.dots(dots, near: seen)
        // The top view sees (nearly) the whole scalp: all its dots are near.
        #expect(view == .top || near.count < dots.count, "\(view): \(near.count) of \(dots.count) dots")
        let fromNear = rendering.chartTexture(map: map, dots: near, day: day, surface: surface, within: whole)
        let fromAll = rendering.chartTexture(map: map, dots: dots, day: day, surface: surface, within: whole)
        #expect(fromNear.levels[0] == fromAll.levels[0])
    }
}
