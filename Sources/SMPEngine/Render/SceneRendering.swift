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

    /// The map view: the scene's crop, or the whole scalp, at the scene's scale.
    public func view(of map: ScalpMap) -> MapView {
        if let crop = scene.render.crop {
            return MapView(originXMM: crop.xMM, originYMM: crop.yMM, widthMM: crop.widthMM, heightMM: crop.heightMM,
                           pixelsPerMM: scene.render.pixelsPerMM)
        }
        return MapView(originXMM: map.bounds.minXMM, originYMM: map.bounds.minYMM, widthMM: map.bounds.widthMM,
                       heightMM: map.bounds.heightMM, pixelsPerMM: scene.render.pixelsPerMM)
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

    /// The renderer for the skin alone, or with `dots` (healed).
    public func renderer(view: MapView, dots: [PoissonDot]) -> MapRenderer {
        let depths = scene.sessions.map { session -> LinearRGB in
            let ink = session.ink.linear
            // Optical depth per unit ink: one unit of ink over white gives the ink's colour.
            let absorbance = LinearRGB(-log(max(ink.x, 1e-4)), -log(max(ink.y, 1e-4)), -log(max(ink.z, 1e-4)))
            return absorbance * Float(SceneRendering.peakInk * (1 - session.dilution))
        }
        let inkDots = dots.map { dot in
            // Healed dots show about 0.55 × the needle's impression (DOMAIN.md estimate, 0.5–0.6),
            // taken as the full width at half maximum of the ink profile.
            InkDot(xMM: dot.xMM, yMM: dot.yMM, sigmaMM: SceneRendering.healedDiameterRatio * dot.diameterMM / 2.354_82,
                   peakDepth: depths[min(max(dot.layer - 1, 0), depths.count - 1)])
        }
        return MapRenderer(view: view, skin: scene.skin.color.linear, dots: inkDots)
    }

    static let healedDiameterRatio = 0.55
    /// Ink at a healed dot's centre, undiluted, in units where 1 gives the ink's own colour
    /// over white (estimate; the pigment model replaces it).
    static let peakInk = 2.0

    /// Writes `before.png` and `after.png` into `folder` (created if needed).
    public func render(into folder: URL) throws -> Result {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let view = view(of: map)
        var result = Result(dotCount: dots.count, files: [], timings: [:])
        let text = [PNGTextChunk("Scene", scene.name), PNGTextChunk("Scene hash", sceneHash),
                    PNGTextChunk("Seed", String(scene.seed))]
        for (name, imageDots) in [("before", [PoissonDot]()), ("after", dots)] {
            let url = folder.appendingPathComponent("\(name).png")
            result.timings[name] = try BandedPNGOutput.write(
                renderer(view: view, dots: imageDots), to: url, threads: threads, software: SoftwareVersion.nameAndNumber,
                text: text + [PNGTextChunk("Image", name)], compression: compression)
            result.files.append(url)
        }
        return result
    }
}
