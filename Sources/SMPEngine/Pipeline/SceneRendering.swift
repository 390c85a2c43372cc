import Foundation
import ImageText
import PNGIO
import PoissonDisk

/// Renders a scene's before/after images into a folder: the engine's one entry point for
/// `smp render`. Every file is written atomically (PNGIO), so an error leaves the files
/// written before it whole and no half-written file behind.
public struct SceneRendering: Sendable {
    public var scene: Scene
    /// The scene file's text, hashed into each PNG's text chunks.
    public var sceneText: String
    /// Threads rendering each image's bands; also how many images are encoded at once, up to
    /// four (`imagesInFlight`). The bytes written do not depend on it.
    public var threads: Int
    public var compression: PNGCompression
    /// Checked before any work (`RenderEstimate`).
    public var limits: RenderLimits
    /// The folder the scene file is in: the scene's photo and mask are relative to it (nil: the
    /// current directory).
    public var sceneFolder: URL?

    public init(scene: Scene, sceneText: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                compression: PNGCompression = .fast, limits: RenderLimits = RenderLimits()) {
        self.scene = scene
        self.sceneText = sceneText
        self.threads = threads
        self.compression = compression
        self.limits = limits
    }

    /// What a render produced.
    public struct Result: Sendable {
        public var dotCount: Int
        public var files: [URL]
        /// Wall-clock timings per image. Not in report.json, whose bytes do not depend on the
        /// machine or the thread count.
        public var timings: [String: ImageTimings]
        /// Temporary files of an earlier, killed render that were removed from the folder.
        public var removedStaleFiles: [String] = []
        /// The head fitted to the scene's photo, when photo outputs were written.
        public var photoFit: PhotoFit?
        /// What the check of the fitted scalp's outline saw of the photo's head.
        public var photoOutline: PhotoOutlineCheck?
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
    /// stubble (built once per view: it bins every hair); nil draws flat skin.
    /// `shading`: `surface`'s terms kept from an earlier image (the live page's), the same pixels.
    public func renderer(view: MapView, dots: [PoissonDot], day: Double?, surface: ScalpSurface? = nil,
                         shading: ShadedSurface? = nil) -> MapRenderer {
        let skin = scene.skin.color.linear
        var components = surface?.hairShadow ?? []
        if let day { components += scene.pigment.components(of: dots, sessions: scene.sessions, atDay: day, threads: threads) }
        return MapRenderer(view: view, skin: skin, surface: surface, shading: shading, veil: scene.pigment.veil(sessions: scene.sessions),
                           dots: components, threads: threads, fieldBlurs: true)
    }

    /// The day session `index` (from 0) is seen healed: the day before the next session, when
    /// the client comes back and the technician judges what to fill, or for the last session
    /// `TreatmentTime.healed`.
    static func healedDay(afterSession index: Int, of sessions: [Session]) -> Double {
        index + 1 < sessions.count ? sessions[index + 1].day - 1 : sessions[index].day + TreatmentTime.healedAfterDays
    }

    /// The map images a render writes: `before`, `after` (at `after`), `session-K` just after
    /// each session and `session-K-healed` the day before the next (`healedDay`), and one
    /// `at-<time>` per `render.at` entry. Day nil: no pigment.
    public func images(after: TreatmentTime, only: [String]? = nil) -> [(name: String, day: Double?)] {
        var list: [(String, Double?)] = [("before", nil), ("after", after.day(in: scene.sessions))]
        for (index, session) in scene.sessions.enumerated() {
            list.append(("session-\(index + 1)", session.day))
            list.append(("session-\(index + 1)-healed", Self.healedDay(afterSession: index, of: scene.sessions)))
        }
        for time in scene.render.at { list.append(("at-\(time)", time.day(in: scene.sessions))) }
        return list.filter { OutputSelection.includes(only ?? scene.render.outputs, $0.0) }
    }

    /// Writes the outputs into `folder` (created if needed, locked against a second render and
    /// cleared of a killed render's temporary files: `OutputFolder`): the map images, `comparison.png`
    /// (before | after), `density.png`, `timeline.png`, the head views (`viewJobs`), `dots.csv` and `report.json`.
    /// `after` overrides the scene's `render.after`, `only` its `render.outputs` and `views` its `render.views`. A time naming a session the plan
    /// lacks, or an unknown output name, is refused before anything is written; so are a folder
    /// that cannot be created (`OutputFolderError`) and a scene past `limits` (`RenderLimitError`). `progress` hears
    /// which output is being written and how far along it is.
    public func render(into folder: URL, after: TreatmentTime? = nil, only: [String]? = nil, views: [HeadViewName]? = nil,
                       progress: (@Sendable (String, Double) -> Void)? = nil) throws -> Result {
        let moment = after ?? scene.render.after
        guard let afterDay = moment.day(in: scene.sessions) else {
            throw RenderRequestError.momentOutsidePlan(moment, scene: scene.name, sessions: scene.sessions.count)
        }
        let names = OutputSelection.names(sessions: scene.sessions.count, at: scene.render.at)
        if let unknown = only?.first(where: { !names.contains($0) && !OutputSelection.groups.contains($0) }) {
            throw RenderRequestError.unknownOutput(unknown, allowed: OutputSelection.describe(names))
        }
        let selected = only ?? scene.render.outputs
        try limits.check(RenderEstimate(sessions: scene.sessions.count, dots: 0, pixelsPerImage: 0, peakMemoryBytes: 0, bytesWritten: 0))
        // The dots' pattern tile depends on the regularity alone, the scalp map not at all, and
        // both are set-up before the first pixel that would each leave the other core idle: with
        // two threads or more the tile is built beside the map (the sampler takes it from the
        // process's cache, waiting for it if need be).
        if threads > 1 {
            let regularity = scene.design.regularity
            DispatchQueue.global().async { _ = ProgressiveTile.shared(regularity: regularity) }
        }
        let map = ScalpMap(scene: scene)
        let view = view(of: map)
        let mapImages = images(after: moment, only: only)
        let drawsScalp = !mapImages.isEmpty || OutputSelection.includes(selected, "comparison")
        try limits.check(RenderEstimate(
            scene: scene, map: map, view: view, images: mapImages.count + (OutputSelection.includes(selected, "density") ? 1 : 0),
            comparison: OutputSelection.includes(selected, "comparison"), threads: threads, imagesInFlight: imagesInFlight))
        // The photo is read and fitted before the folder is touched: a bad one writes nothing.
        let photo = wantsPhoto(selected) ? try preparePhoto(sceneFolder: sceneFolder) : nil
        let claimed = try OutputFolder.claim(folder)
        defer { withExtendedLifetime(claimed) {} }   // the lock is held until the last file is written
        // The textured surface (it bins every hair of the view) is built only for outputs that
        // draw the scalp, beside the dots when there are threads for it.
        // Every output but these draws the scalp or its hair somewhere (a map image, a view, the
        // timeline, the outlook, the photo); for these alone the hair is not placed.
        let placesHair = selected?.contains { !Self.outputsWithoutHair.contains($0) } ?? true
        let (preview, surface) = try ScenePreview.build(scene: scene, map: map, threads: threads, surfaceOf: drawsScalp ? view : nil,
                                                        placesHair: placesHair)
        let dots = preview.dots
        var result = Result(dotCount: dots.count, files: [], timings: [:], removedStaleFiles: claimed.removedStaleFiles)
        result.photoFit = photo?.fit
        result.photoOutline = photo?.outline
        let text = [PNGTextChunk("Scene", scene.name), PNGTextChunk("Scene hash", sceneHash),
                    PNGTextChunk("Seed", String(scene.seed))]
        // The images, in the order the report lists them; each builds its renderer when it starts.
        var images: [ImageJob] = mapImages.map { name, day in
            ImageJob(name: name, day: day) { renderer(view: view, dots: dots, day: day, surface: surface) }
        }
        if OutputSelection.includes(selected, "comparison") {
            let gap = max(4, Int(scene.render.pixelsPerMM * 2))
            images.append(ImageJob(name: "comparison", day: afterDay) {
                ComparisonImage(left: renderer(view: view, dots: dots, day: nil, surface: surface),
                                right: renderer(view: view, dots: dots, day: afterDay, surface: surface), gapPixels: gap)
            })
        }
        if OutputSelection.includes(selected, "density") {
            let peak = scene.design.dotsPerCM2 * (scene.sessions.map(\.densityFactor).max() ?? 1) * 1.2
            images.append(ImageJob(name: "density", day: nil) { DensityHeatMap(map: map, dots: dots, maximumDotsPerCM2: peak) })
        }
        if OutputSelection.includes(selected, "timeline") {
            // Built here, not when its turn comes: a missing font is reported before any file is written.
            let timeline = try timeline(preview, view: view, font: Font.dejaVuSans())
            let moments = Self.timelineMoments.map(\.label).joined(separator: ", ")
            images.append(ImageJob(name: "timeline", day: nil, moment: "\(moments) after session \(scene.sessions.count)") { timeline })
        }
        let (outlookImages, outlook) = try outlookJobs(preview, view: view, selected: selected)
        images += outlookImages
        // Head views (`SceneRendering+Views`): the font is loaded here too, before any file is written.
        images += try viewJobs(preview, after: moment, selected: only ?? scene.render.outputs, views: views)
        images += try photoJobs(photo, preview, after: moment, selected: selected)
        var reportImages: [RenderReport.Image] = []
        for (job, outcome) in zip(images, write(images, into: folder, text: text, progress: progress)) {
            guard let outcome else { break }   // not started: an earlier image failed
            let timings = try outcome.get()
            let url = folder.appendingPathComponent("\(job.name).png")
            result.timings[job.name] = timings
            result.files.append(url)
            reportImages.append(RenderReport.Image(name: job.name, file: url.lastPathComponent, day: job.day))
        }
        if let stencil = outlook.stencil {
            let url = folder.appendingPathComponent("stencil.pdf")
            progress?("stencil", 0)
            try AtomicFileOutput.write(stencil.pdf(), to: url)
            result.files.append(url)
        }
        if OutputSelection.includes(selected, "dots") {
            let url = folder.appendingPathComponent("dots.csv")
            progress?("dots", 0)
            try AtomicFileOutput.write(Data(DotTable.text(dots, format: .csv).utf8), to: url)
            result.files.append(url)
        }
        if OutputSelection.includes(selected, "report") {
            let url = folder.appendingPathComponent("report.json")
            // Only report.json carries the density report, which counts every dot per region.
            let density = try DensityReport(scene: scene, map: map, dots: dots)
            let report = RenderReport(
                software: SoftwareVersion.nameAndNumber, scene: scene.name, seed: String(scene.seed), sceneHash: sceneHash,
                dotCount: dots.count,
                settings: .init(pixelsPerMM: view.pixelsPerMM, viewOriginXMM: view.originXMM, viewOriginYMM: view.originYMM,
                                viewWidthMM: view.widthMM, viewHeightMM: view.heightMM, widthPixels: view.widthPixels,
                                heightPixels: view.heightPixels, after: moment.description, compression: compression.rawValue),
                density: density, images: reportImages, photo: photo.flatMap { photoReport($0) },
                outcomeRange: outlook.outcomeRange.map { RenderReport.OutcomeRangeReport($0) },
                viewingDistance: outlook.viewingDistance?.panels,
                forecast: outlook.forecast.map { RenderReport.ForecastReport($0) },
                sessions: SessionPlanRow.rows(scene: scene, dots: dots, report: density))
            try AtomicFileOutput.write(report.jsonData(), to: url)
            result.files.append(url)
        }
        return result
    }

    /// Outputs that never read the existing hair.
    static let outputsWithoutHair: Set<String> = ["report", "dots", "density", "stencil"]

    /// One PNG of a render: its name, the moment it shows (nil: no pigment) and how to build
    /// its pixels.
    struct ImageJob: Sendable {
        var name: String
        var day: Double?
        /// The PNG's "Moment" text when `day` does not say it (several moments in one image).
        var moment: String?
        var image: @Sendable () -> any RowImage

        init(name: String, day: Double?, moment: String? = nil, image: @escaping @Sendable () -> any RowImage) {
            self.name = name
            self.day = day
            self.moment = moment
            self.image = image
        }
    }

    /// How many images `write` encodes at once. Each image's bands and IDAT pieces spread over
    /// the threads, but its start (building the renderer, the first bands) and its end (the last
    /// bands and pieces) leave cores idle, which a second image in flight fills: one image at a
    /// time was slower on two cores (Benchmarks/NOTES.md). Each image in flight holds its own
    /// band ring, pieces and renderer (a few MB); at most four.
    var imagesInFlight: Int { min(4, max(1, threads)) }

    /// Writes `images` into `folder`, `imagesInFlight` at a time, each on its own thread with
    /// `threads` band workers: the outcome per image in the given order, nil for an image not
    /// started because an earlier one had failed. Every file is written atomically, so a
    /// failure leaves the images written before it whole.
    func write(_ images: [ImageJob], into folder: URL, text: [PNGTextChunk],
               progress: (@Sendable (String, Double) -> Void)?) -> [Swift.Result<ImageTimings, any Error>?] {
        ParallelWork.map(count: images.count, threads: imagesInFlight, stoppingAfter: \.isFailure) { index in
            let job = images[index]
            let moment = job.moment ?? job.day.map { "day \($0)" } ?? "before treatment"
            return Swift.Result {
                try BandedPNGOutput.write(
                    job.image(), to: folder.appendingPathComponent("\(job.name).png"), threads: threads,
                    software: SoftwareVersion.nameAndNumber,
                    text: text + [PNGTextChunk("Image", job.name), PNGTextChunk("Moment", moment)], compression: compression,
                    progress: progress.map { report in { @Sendable fraction in report(job.name, fraction) } })
            }
        }
    }
}
