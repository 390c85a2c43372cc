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

    /// The renderer for the scalp alone (`day` nil), or with the dots as the pigment model has
    /// them on `day` (days after the first session). `surface` is the view's textured skin and
    /// stubble (built once per view: it places every hair); nil draws flat skin.
    public func renderer(view: MapView, dots: [PoissonDot], day: Double?, surface: ScalpSurface? = nil) -> MapRenderer {
        let skin = scene.skin.color.linear
        guard let day else { return MapRenderer(view: view, skin: skin, surface: surface, dots: []) }
        let components = scene.pigment.components(of: dots, sessions: scene.sessions, atDay: day)
        let age = day - (scene.sessions.first?.day ?? 0)
        return MapRenderer(view: view, skin: skin, surface: surface, veil: scene.pigment.veil(ageDays: age), dots: components)
    }

    /// The map images a render writes: `before`, `after` (at `after`), `session-K` just after
    /// each session, and one `at-<time>` per `render.at` entry. Day nil: no pigment.
    public func images(after: TreatmentTime, only: [String]? = nil) -> [(name: String, day: Double?)] {
        var list: [(String, Double?)] = [("before", nil), ("after", after.day(in: scene.sessions))]
        for (index, session) in scene.sessions.enumerated() { list.append(("session-\(index + 1)", session.day)) }
        for time in scene.render.at { list.append(("at-\(time)", time.day(in: scene.sessions))) }
        return list.filter { OutputSelection.includes(only ?? scene.render.outputs, $0.0) }
    }

    /// Writes the outputs into `folder` (created if needed): the map images, `comparison.png`
    /// (before | after), `density.png`, `dots.csv` and `report.json`. `after` overrides the
    /// scene's `render.after` and `only` its `render.outputs`. A time naming a session the plan
    /// lacks, or an unknown output name, is refused before anything is written. `progress` hears
    /// which output is being written and how far along it is.
    public func render(into folder: URL, after: TreatmentTime? = nil, only: [String]? = nil,
                       progress: (@Sendable (String, Double) -> Void)? = nil) throws -> Result {
        let start = DispatchTime.now()
        let moment = after ?? scene.render.after
        guard let afterDay = moment.day(in: scene.sessions) else {
            throw SceneError.invalid(file: scene.name, issues: [SceneIssue(
                line: 0, column: 0, keyPath: "--at", message: "\(moment) names a session the plan does not have (1 to \(scene.sessions.count))")])
        }
        let names = OutputSelection.names(sessions: scene.sessions.count, at: scene.render.at)
        if let unknown = only?.first(where: { !names.contains($0) && !OutputSelection.groups.contains($0) }) {
            throw SceneError.invalid(file: scene.name, issues: [SceneIssue(
                line: 0, column: 0, keyPath: "--only", message: "`\(unknown)` is not an output; allowed: \(OutputSelection.describe(names))")])
        }
        let selected = only ?? scene.render.outputs
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let view = view(of: map)
        let surface = ScalpSurface(scene: scene, map: map, view: view)
        var result = Result(dotCount: dots.count, files: [], timings: [:])
        let text = [PNGTextChunk("Scene", scene.name), PNGTextChunk("Scene hash", sceneHash),
                    PNGTextChunk("Seed", String(scene.seed))]
        var reportImages: [RenderReport.Image] = []
        func write<Image: RowImage>(_ image: Image, _ name: String, day: Double?) throws {
            let url = folder.appendingPathComponent("\(name).png")
            let moment = day.map { "day \($0)" } ?? "before treatment"
            let timings = try BandedPNGOutput.write(
                image, to: url, threads: threads, software: SoftwareVersion.nameAndNumber,
                text: text + [PNGTextChunk("Image", name), PNGTextChunk("Moment", moment)], compression: compression,
                progress: progress.map { report in { @Sendable fraction in report(name, fraction) } })
            result.timings[name] = timings
            result.files.append(url)
            reportImages.append(RenderReport.Image(name: name, file: url.lastPathComponent, day: day, timings: timings))
        }
        for (name, day) in images(after: moment, only: only) {
            try write(renderer(view: view, dots: dots, day: day, surface: surface), name, day: day)
        }
        if OutputSelection.includes(selected, "comparison") {
            let comparison = ComparisonImage(left: renderer(view: view, dots: dots, day: nil, surface: surface),
                                             right: renderer(view: view, dots: dots, day: afterDay, surface: surface),
                                             gapPixels: max(4, Int(scene.render.pixelsPerMM * 2)))
            try write(comparison, "comparison", day: afterDay)
        }
        let density = try DensityReport(scene: scene, map: map, dots: dots)
        if OutputSelection.includes(selected, "density") {
            let peak = scene.design.dotsPerCM2 * (scene.sessions.map(\.densityFactor).max() ?? 1) * 1.2
            try write(DensityHeatMap(map: map, dots: dots, maximumDotsPerCM2: peak), "density", day: nil)
        }
        if OutputSelection.includes(selected, "dots") {
            let url = folder.appendingPathComponent("dots.csv")
            progress?("dots", 0)
            try Data(DotTable.text(dots, format: .csv).utf8).write(to: url, options: .atomic)
            result.files.append(url)
        }
        if OutputSelection.includes(selected, "report") {
            let url = folder.appendingPathComponent("report.json")
            let report = RenderReport(
                software: SoftwareVersion.nameAndNumber, scene: scene.name, seed: String(scene.seed), sceneHash: sceneHash,
                dotCount: dots.count,
                settings: .init(pixelsPerMM: view.pixelsPerMM, viewOriginXMM: view.originXMM, viewOriginYMM: view.originYMM,
                                viewWidthMM: view.widthMM, viewHeightMM: view.heightMM, widthPixels: view.widthPixels,
                                heightPixels: view.heightPixels, after: moment.description, threads: threads,
                                compression: compression.rawValue),
                density: density, images: reportImages, totalSeconds: BandedPNGOutput.seconds(since: start))
            try report.jsonData().write(to: url, options: .atomic)
            result.files.append(url)
        }
        return result
    }
}
