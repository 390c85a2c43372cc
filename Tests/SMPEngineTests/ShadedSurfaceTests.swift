import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("A surface's pixel terms kept for the live page")
struct ShadedSurfaceTests {
    @Test("a map drawn over a surface's kept terms is the map drawn shading its rows, for any thread count")
    func sameBytes() throws {
        let (scene, text) = try PreviewRendererTests.demo()
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        // The whole map, so that the view holds bare skin, treated scalp and stubble.
        let view = MapView(originXMM: map.bounds.minXMM, originYMM: map.bounds.minYMM, widthMM: map.bounds.widthMM,
                           heightMM: map.bounds.heightMM, pixelsPerMM: 1.5)
        let surface = try ScalpSurface(scene: scene, map: map, view: view)
        #expect(!surface.hair.hairedColumns.isEmpty, "the view should show stubble")
        let rendering = SceneRendering(scene: scene, sceneText: text, threads: 2)
        let day = try #require(scene.render.after.day(in: scene.sessions))
        let shadedRows = PanelPixels(rendering.renderer(view: view, dots: dots, day: day, surface: surface))
        for threads in [1, 3] {
            let kept = ShadedSurface(surface, threads: threads)
            #expect(PanelPixels(rendering.renderer(view: view, dots: dots, day: day, surface: surface, shading: kept)) == shadedRows,
                    "\(threads) threads")
            #expect(PanelPixels(rendering.renderer(view: view, dots: dots, day: nil, surface: surface, shading: kept))
                    == PanelPixels(rendering.renderer(view: view, dots: dots, day: nil, surface: surface)), "before, \(threads) threads")
        }
    }
}
