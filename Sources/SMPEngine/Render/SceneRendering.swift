import Foundation
import PNGIO
import PoissonDisk

/// Renders a scene's before/after images into a folder: the engine's one entry point for
/// `smp render`. Every file is written atomically (PNGIO), so an error leaves the files
/// written before it whole and no half-written file behind.
public struct SceneRendering {
    public var scene: Scene
    /// The scene file's text, hashed into each PNG's text chunks.
    public var sceneText: String
    public var threads: Int
    public var compression: PNGCompression

    public init(scene: Scene, sceneText: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                compression: PNGCompression = .balanced) {
        self.scene = scene
        self.sceneText = sceneText
        self.threads = threads
        self.compression = compression
    }

    /// What a render produced.
    public struct Result: Sendable {
        public var dotCount: Int
        public var files: [URL]
        public var timings: [String: ImageTimings]
    }

    public var view: MapView {
        MapView(widthMM: scene.canvas.widthMM, heightMM: scene.canvas.heightMM, pixelsPerMM: scene.render.pixelsPerMM)
    }

    /// FNV-1a 64 of the scene text: identifies the exact scene an image was made from.
    public var sceneHash: String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in sceneText.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// The renderer for the skin alone, or with `dots`.
    public func renderer(dots: [PoissonDot]) -> MapRenderer {
        let pigment = scene.pigment.color.linear
        // Optical depth per unit ink: one unit of ink over white gives the pigment colour.
        let absorbance = LinearRGB(-log(max(pigment.x, 1e-4)), -log(max(pigment.y, 1e-4)), -log(max(pigment.z, 1e-4)))
        let inkDots = dots.map { dot in
            // The visible diameter as the ink profile's full width at half maximum.
            InkDot(xMM: dot.xMM, yMM: dot.yMM, sigmaMM: dot.diameterMM / 2.354_82, peakInk: SceneRendering.peakInk)
        }
        return MapRenderer(view: view, skin: scene.skin.color.linear, absorbance: absorbance, dots: inkDots)
    }

    /// Ink at a healed dot's centre, in units where 1 gives the pigment colour: a dot's core
    /// reads as the full pigment shade (estimate; the pigment model replaces it).
    static let peakInk = 1.5

    /// Writes `before.png` and `after.png` into `folder` (created if needed).
    public func render(into folder: URL) throws -> Result {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dots = try DotPlacement.dots(for: scene)
        var result = Result(dotCount: dots.count, files: [], timings: [:])
        let text = [PNGTextChunk("Scene", scene.name), PNGTextChunk("Scene hash", sceneHash),
                    PNGTextChunk("Seed", String(scene.seed))]
        for (name, imageDots) in [("before", [PoissonDot]()), ("after", dots)] {
            let url = folder.appendingPathComponent("\(name).png")
            result.timings[name] = try BandedPNGOutput.write(
                renderer(dots: imageDots), to: url, threads: threads, software: SoftwareVersion.nameAndNumber,
                text: text + [PNGTextChunk("Image", name)], compression: compression)
            result.files.append(url)
        }
        return result
    }
}
