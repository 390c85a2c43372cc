import Foundation
import PhotoIO
import Testing
@testable import SMPEngine

/// `Scenes/photo-demo.yaml` and its photo, a head view of the demo scene rendered with a known
/// camera: regenerate both with `SMP_WRITE_PHOTO_DEMO=1 swift test --filter PhotoDemo`.
@Suite("Photo: the shipped demo")
struct PhotoDemoTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scenes = packageRoot.appendingPathComponent("Scenes")

    /// The view `view` of the scene `sceneText` before treatment, `pixels` on a side, as a photo,
    /// the landmarks its camera sees, as the scene's `photo.landmarks` YAML, and its focal length
    /// in 35 mm terms (for the JPEG's EXIF, as a camera writes it).
    static func generatedPhoto(sceneText: String, view: HeadViewName, pixels: Int) throws -> (Photo, String, Int) {
        var scene = try Scene.load(yaml: sceneText, file: "generator.yaml")
        scene.render.viewPixels = pixels
        let rendering = SceneRendering(scene: scene, sceneText: sceneText, threads: 2)
        let map = ScalpMap(scene: scene)
        let camera = rendering.camera(view)
        let textureView = rendering.textureView(of: map, pixelsPerMM: rendering.texturePixelsPerMM(for: [camera]))
        let surface = try ScalpSurface(scene: scene, map: map, view: textureView)
        let texture = rendering.chartTexture(map: map, dots: [], day: nil, surface: surface)
        let headView = try rendering.headView(view, map: map, texture: texture, skin: rendering.meanSkin(of: surface, map: map), font: nil)
        let photo = Photo(width: pixels, height: pixels, pixels: PhotoFitTests.pixels(headView), format: "generated")
        let marks = PhotoFitTests.landmarks(seenBy: camera, head: HeadModel(shape: scene.head), chart: map.chart, hairline: scene.hairline)
        let yaml = PhotoSettings.Landmark.allCases.compactMap { landmark in
            marks[landmark].map { String(format: "    %@: { x: %.1f, y: %.1f }", landmark.rawValue, $0.x, $0.y) }
        }.joined(separator: "\n")
        let focal = PhotoFit.focalLength35mm(focalPixels: camera.focalPixels, widthPixels: pixels, heightPixels: pixels)
        return (photo, yaml, Int(focal.rounded()))
    }

    @Test func writeDemoWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["SMP_WRITE_PHOTO_DEMO"] == "1" else { return }
        let demo = try String(contentsOf: Self.scenes.appendingPathComponent("demo.yaml"), encoding: .utf8)
        let (photo, landmarks, focal) = try Self.generatedPhoto(sceneText: demo, view: .threeQuarter, pixels: 1000)
        try Data(JPEGEncoder.encode(photo, quality: 85, orientation: 1, focalLength35mm: focal))
            .write(to: Self.scenes.appendingPathComponent("photo-demo.jpg"))
        var body = demo.components(separatedBy: "\n").drop { $0.hasPrefix("#") }.joined(separator: "\n")
        body = body.replacingOccurrences(of: "name: demo\n", with: "name: photo-demo\n")
        let scene = """
            # The demo's plan on a photo: photo-demo.jpg is a three-quarter view of the demo's head
            # rendered by the tests (PhotoDemoTests; regenerate with SMP_WRITE_PHOTO_DEMO=1 swift test
            # --filter PhotoDemo). `smp render Scenes/photo-demo.yaml --only photo` writes
            # photo-before/after/session-K/comparison.png. Landmarks are photo pixels, marked on the
            # upright photo.
            \(body.hasSuffix("\n") ? body : body + "\n")photo:
              file: photo-demo.jpg
              landmarks:
            \(landmarks)

            """
        try scene.write(to: Self.scenes.appendingPathComponent("photo-demo.yaml"), atomically: true, encoding: .utf8)
    }

    /// The shipped photo is small, reads, and fits its landmarks closely.
    @Test func shippedDemoFits() throws {
        let url = Self.scenes.appendingPathComponent("photo-demo.yaml")
        let scene = try Scene.load(yaml: String(contentsOf: url, encoding: .utf8), file: url.path)
        let settings = try #require(scene.photo)
        let photoURL = Self.scenes.appendingPathComponent(settings.file)
        let size = try FileManager.default.attributesOfItem(atPath: photoURL.path)[.size] as? Int ?? .max
        #expect(size < 300_000)
        let rendering = SceneRendering(scene: scene, sceneText: "", threads: 2)
        var withFolder = rendering
        withFolder.sceneFolder = Self.scenes
        let prepared = try #require(try withFolder.preparePhoto(sceneFolder: Self.scenes))
        #expect(prepared.fit.rmsResidualPixels < 1)
        // A camera's view, not a mirror image; its lens from the JPEG's EXIF.
        #expect(!prepared.fit.isMirrorImage && prepared.fit.focalFromEXIF)
        // Its scalp's outline lies on the photo's head: at most a ray or two spill a pixel.
        #expect((prepared.clip?.limitRadii.compactMap { $0 }.count ?? 0) <= 2)
        #expect(prepared.outline?.verified == true)
        let truth = rendering.camera(.threeQuarter)
        let offset = prepared.fit.camera.eye - truth.eye
        #expect((offset * offset).sum().squareRoot() < 5)
    }
}
