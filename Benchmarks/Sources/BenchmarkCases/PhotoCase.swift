import Foundation
import PhotoIO
import SMPEngine

/// Issue 20's speed target: a 12-megapixel photo's photo-after.png. The shipped demo photo
/// (1000 × 1000) scaled 3 × into a 4000 × 3000 frame, its landmarks with it, written as a JPEG
/// once; each run is `smp render --only photo-after` end to end: the dots, reading and decoding
/// the JPEG, the fit, the textures, the composite and the PNG.
public struct PhotoCase: Sendable {
    public let rendering: SceneRendering
    public let folder: URL
    public static let width = 4000, height = 3000

    public static let demoScene = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Scenes/photo-demo.yaml").standardizedFileURL

    public init() throws {
        var scene = try Scene.load(contentsOf: Self.demoScene)
        guard var settings = scene.photo else { throw CocoaError(.featureUnsupported) }
        let small = try PhotoReader.read(url: Self.demoScene.deletingLastPathComponent().appendingPathComponent(settings.file))
        let scale = 3, offsetX = (Self.width - scale * small.width) / 2
        var pixels = [UInt8](repeating: 200, count: Self.width * Self.height * 3)
        for y in 0..<min(Self.height, scale * small.height) {
            for x in 0..<(scale * small.width) {
                let s = ((y / scale) * small.width + x / scale) * 3, t = (y * Self.width + x + offsetX) * 3
                pixels[t] = small.pixels[s]
                pixels[t + 1] = small.pixels[s + 1]
                pixels[t + 2] = small.pixels[s + 2]
            }
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-photo-benchmark")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let photoURL = folder.appendingPathComponent("photo12.jpg")
        // The demo's lens in 35 mm terms for the bigger frame (the same focal length in pixels
        // times 3, over a different diagonal), in the EXIF as a camera writes it.
        let focal = small.focalLength35mm.map { f -> Int in
            let smallDiagonal = Double(small.width * small.width + small.height * small.height).squareRoot()
            let diagonal = Double(Self.width * Self.width + Self.height * Self.height).squareRoot()
            return Int((f * Double(scale) * smallDiagonal / diagonal).rounded())
        }
        try Data(JPEGEncoder.encode(Photo(width: Self.width, height: Self.height, pixels: pixels), quality: 90, orientation: 1,
                                    focalLength35mm: focal)).write(to: photoURL)
        settings.file = photoURL.path
        settings.landmarks = settings.landmarks.mapValues { $0 * Double(scale) + SIMD2(Double(offsetX), 0) }
        scene.photo = settings
        rendering = SceneRendering(scene: scene, sceneText: "")
    }

    /// photo-after.png into `out`, end to end.
    public func renderAfter(into out: URL) throws {
        _ = try rendering.render(into: out, only: ["photo-after"])
    }
}
