import Testing
@testable import SMPEngine

/// The view seam: every view answers, per ray, what part of the chart it sees. Whatever the
/// view, the footprints of the pixels that see a patch of chart must add up to the patch: that
/// is what keeps dots per cm² of scalp the same on the map, on the head and on a photo.
@Suite("Views of the scalp: per ray, the chart it sees")
struct ScalpViewTests {
    /// The summed footprint area, mm², of the pixels whose ray meets the chart square of side
    /// `sideMM` around `centreMM`.
    static func coveredArea(of view: some ScalpView, centreMM: SIMD2<Double>, sideMM: Double) -> Double {
        var area = 0.0
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                guard let sight = view.sight(x: Double(column) + 0.5, y: Double(row) + 0.5, share: 1) else { continue }
                let offset = sight.centreMM - centreMM
                if abs(offset.x) < sideMM / 2 && abs(offset.y) < sideMM / 2 { area += sight.footprintAreaMM2 }
            }
        }
        return area
    }

    @Test("the map view sees its chart square by square, facing the camera")
    func mapView() {
        let view = MapView(originXMM: -20, originYMM: -30, widthMM: 40, heightMM: 30, pixelsPerMM: 5)
        let sight = view.sight(x: 10.5, y: 0.5, share: 1)
        #expect(sight == ScalpSight(centreMM: SIMD2(-17.9, -29.9), acrossMM: SIMD2(0.2, 0), downMM: SIMD2(0, 0.2),
                                    normal: SIMD3(0, 0, 1), towardCamera: SIMD3(0, 0, 1), scalpWeight: 1))
        #expect(abs(Self.coveredArea(of: view, centreMM: SIMD2(0, -15), sideMM: 10) - 100) < 1e-6)
    }

    @Test("a head view's footprints add up to the chart area they see, head-on and foreshortened",
          arguments: [(HeadViewName.top, 160.0), (.threeQuarter, 160), (.left, 90)])
    func headView(name: HeadViewName, row: Double) throws {
        let text = HeadViewRendererTests.scene(viewPixels: 400)
        let scene = try Scene.load(yaml: text, file: "view-test.yaml")
        let rendering = SceneRendering(scene: scene, sceneText: text)
        let head = HeadModel(shape: scene.head)
        let geometry = HeadViewGeometry(camera: rendering.camera(name), head: head)
        // A chart point the camera sees about straight on (from the side, the scalp above the ear).
        guard let centre = geometry.sight(x: 200, y: row, share: 1)?.centreMM else {
            Issue.record("\(name): pixel (200, \(row)) sees no scalp")
            return
        }
        let area = Self.coveredArea(of: geometry, centreMM: centre, sideMM: 30)
        #expect(abs(area / 900 - 1) < 0.03, "\(name): \(area) mm² of 900")
        // Nothing that sees the scalp looks away from the camera.
        for (x, y) in [(200.0, row), (120, 120), (280, 200)] {
            guard let sight = geometry.sight(x: x, y: y, share: 1) else { continue }
            #expect((sight.normal * sight.towardCamera).sum() > 0)
            #expect(sight.scalpWeight > 0 && sight.scalpWeight <= 1)
        }
    }
}
