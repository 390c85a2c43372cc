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

    /// The renderer for the skin alone (`day` nil), or with the dots as the pigment model has
    /// them on `day` (days after the first session).
    public func renderer(view: MapView, dots: [PoissonDot], day: Double?) -> MapRenderer {
        let skin = scene.skin.color.linear
        guard let day else { return MapRenderer(view: view, skin: skin, dots: []) }
        let components = scene.pigment.components(of: dots, sessions: scene.sessions, atDay: day)
        let age = day - (scene.sessions.first?.day ?? 0)
        return MapRenderer(view: view, skin: skin, veil: scene.pigment.veil(ageDays: age), dots: components)
    }

    /// The images a render writes: `before`, `after` (at `after`), `session-K` just after each
    /// session, and one `at-<time>` per `render.at` entry. Day nil: no pigment.
    public func images(after: TreatmentTime, only: [String]? = nil) -> [(name: String, day: Double?)] {
        var list: [(String, Double?)] = [("before", nil), ("after", after.day(in: scene.sessions))]
        for (index, session) in scene.sessions.enumerated() { list.append(("session-\(index + 1)", session.day)) }
        for time in scene.render.at { list.append(("at-\(time)", time.day(in: scene.sessions))) }
        return list.filter { OutputSelection.includes(only ?? scene.render.outputs, $0.0) }
    }

    /// Writes the images into `folder` (created if needed); `after` overrides the scene's
    /// `render.after` and `only` its `render.outputs`. A time naming a session the plan lacks,
    /// or an unknown output name, is refused before anything is written.
    public func render(into folder: URL, after: TreatmentTime? = nil, only: [String]? = nil) throws -> Result {
        let moment = after ?? scene.render.after
        guard moment.day(in: scene.sessions) != nil else {
            throw SceneError.invalid(file: scene.name, issues: [SceneIssue(
                line: 0, column: 0, keyPath: "--at", message: "\(moment) names a session the plan does not have (1 to \(scene.sessions.count))")])
        }
        let names = OutputSelection.names(sessions: scene.sessions.count, at: scene.render.at)
        if let unknown = only?.first(where: { !names.contains($0) && !OutputSelection.groups.contains($0) }) {
            throw SceneError.invalid(file: scene.name, issues: [SceneIssue(
                line: 0, column: 0, keyPath: "--only", message: "`\(unknown)` is not an output; allowed: \(OutputSelection.describe(names))")])
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let view = view(of: map)
        var result = Result(dotCount: dots.count, files: [], timings: [:])
        let text = [PNGTextChunk("Scene", scene.name), PNGTextChunk("Scene hash", sceneHash),
                    PNGTextChunk("Seed", String(scene.seed))]
        for (name, day) in images(after: moment, only: only) {
            let url = folder.appendingPathComponent("\(name).png")
            let moment = day.map { "day \($0)" } ?? "before treatment"
            result.timings[name] = try BandedPNGOutput.write(
                renderer(view: view, dots: dots, day: day), to: url, threads: threads, software: SoftwareVersion.nameAndNumber,
                text: text + [PNGTextChunk("Image", name), PNGTextChunk("Moment", moment)], compression: compression)
            result.files.append(url)
        }
        return result
    }
}
