import Foundation
import ImageText
import PNGIO
import PoissonDisk

/// `handout.html`: what a patient takes home. The scene's images are rendered in-process (head
/// views before and after, a close-up of the map, the healing of each session on one patch of
/// scalp), encoded as PNG and embedded in one self-contained page (`HandoutDocument`) with the
/// plan's figures, the aftercare per healing phase and the statement that it is a simulation.
/// Same scene and seed, same bytes, for any thread count: the PNGs are, and nothing else in
/// the page depends on the machine or the date.
public struct Handout: Sendable {
    public var rendering: SceneRendering

    /// Head views' side in pixels: large enough for a laptop screen and a printed half page,
    /// small enough that six of them keep the page a few MB.
    public static let defaultViewPixels = 800
    /// The head views shown before and after: the hairline, the top, the crown.
    public static let views: [HeadViewName] = [.front, .top, .crown]
    /// The map close-up's window: a palm-sized patch, so that it prints at 1:1 two abreast on A4.
    public static let closeUpWidthMM = 50.0
    public static let closeUpHeightMM = 35.0

    /// `rendering`'s scene, with its head views at `rendering.scene.render.viewPixels`.
    public init(rendering: SceneRendering) {
        self.rendering = rendering
    }

    /// A moment of the healing strip: a label, and the day after the first session it shows.
    struct Moment {
        var label: String
        var day: Double
    }

    /// The patches shown for session `index` (from 0): just after it, day 3 (the redness going),
    /// day 7 (the crusts gone) and healed, the day before the next session or six weeks after
    /// the last (DOMAIN.md, "Healing and ageing").
    func healingMoments(afterSession index: Int) -> [Moment] {
        let sessions = rendering.scene.sessions
        let day = sessions[index].day
        let healed = SceneRendering.healedDay(afterSession: index, of: sessions)
        var moments = [Moment(label: "day 0, just after", day: day)]
        for offset in [3.0, 7.0] where day + offset < healed {
            moments.append(Moment(label: "day \(Int(offset))", day: day + offset))
        }
        let healedLabel = index + 1 < sessions.count
            ? "day \(HandoutDocument.number(healed - day)), before session \(index + 2)"
            : "week \(HandoutDocument.number(TreatmentTime.healedAfterDays / 7)), settled"
        moments.append(Moment(label: healedLabel, day: healed))
        return moments
    }

    /// Renders the images and composes the page. `progress` hears each image's name and how far
    /// along it is. Limits (`rendering.limits`) are checked before any image is drawn.
    public func document(progress: (@Sendable (String, Double) -> Void)? = nil) throws -> HandoutDocument {
        let scene = rendering.scene
        let moment = scene.render.after
        guard let afterDay = moment.day(in: scene.sessions) else {
            throw RenderRequestError.momentOutsidePlan(moment, scene: scene.name, sessions: scene.sessions.count)
        }
        try rendering.limits.check(RenderEstimate(sessions: scene.sessions.count, dots: 0, pixelsPerImage: 0, peakMemoryBytes: 0,
                                                  bytesWritten: 0))
        let map = ScalpMap(scene: scene)
        try rendering.limits.check(RenderEstimate(scene: scene, map: map))
        let preview = try ScenePreview(scene: scene, map: map, threads: rendering.threads)
        let dots = preview.dots
        let mapView = rendering.view(of: map)

        // The healing patches share the timeline's window: a typical, fully treated patch.
        let patch = rendering.timelineView(map: map, dots: dots, view: mapView)
        let closeUp = MapView(originXMM: patch.originXMM + patch.widthMM / 2 - Self.closeUpWidthMM / 2,
                              originYMM: patch.originYMM + patch.heightMM / 2 - Self.closeUpHeightMM / 2,
                              widthMM: Self.closeUpWidthMM, heightMM: Self.closeUpHeightMM, pixelsPerMM: mapView.pixelsPerMM)
        let patchSurface = preview.surface(view: patch)
        let closeUpSurface = preview.surface(view: closeUp)
        let rendering = rendering
        var jobs: [SceneRendering.ImageJob] = [
            .init(name: "closeup-before", day: nil) { rendering.renderer(view: closeUp, dots: dots, day: nil, surface: closeUpSurface) },
            .init(name: "closeup-after", day: afterDay) {
                rendering.renderer(view: closeUp, dots: dots, day: afterDay, surface: closeUpSurface)
            },
        ]
        let rows = scene.sessions.indices.map { healingMoments(afterSession: $0) }
        for (row, moments) in rows.enumerated() {
            for (column, moment) in moments.enumerated() {
                jobs.append(.init(name: "patch-\(row + 1)-\(column + 1)", day: moment.day) {
                    rendering.renderer(view: patch, dots: dots, day: moment.day, surface: patchSurface)
                })
            }
        }
        // The long view (issue 22's outcome range and viewing distance), on the same patch.
        let font = try Font.dejaVuSans()
        let range = try OutcomeRange.render(rendering, preview: preview, view: mapView, font: font, threads: rendering.threads)
        let distance = try ViewingDistance.render(rendering, preview: preview, view: mapView, font: font)
        // Each strip's panels on their own, labelled by the page: a strip's labels would shrink
        // with it to a phone's width.
        func panelJobs(_ name: String, _ panels: [LabelledPanel], pixelsPerMM: Double) -> [SceneRendering.ImageJob] {
            panels.enumerated().map { index, panel in
                .init(name: "\(name)-\(index + 1)", day: nil) { ScaledPanel(pixels: panel.pixels, pixelsPerMM: pixelsPerMM) }
            }
        }
        jobs += panelJobs("outcome-range", range.panels, pixelsPerMM: range.window.pixelsPerMM)
        jobs += panelJobs("distance", distance.labelledPanels, pixelsPerMM: distance.window.pixelsPerMM)
        // Issue 22's forecast: hair loss going on, fading and the scene's touch-ups over the years.
        let forecast = try Forecast.measure(rendering, preview: preview, view: mapView, threads: rendering.threads)
        let milestones = try forecast.milestonePanels(rendering, preview: preview, view: mapView, threads: rendering.threads)
        jobs += panelJobs("forecast", milestones.panels, pixelsPerMM: milestones.pixelsPerMM)
        let viewNames = Self.views.flatMap { ["view-\($0.rawValue)-before", "view-\($0.rawValue)-after"] }
        jobs += try rendering.viewJobs(preview, after: moment, selected: viewNames, views: Self.views)
        let images = try encode(jobs, progress: progress)

        let density = try DensityReport(scene: scene, map: map, dots: dots)
        func captioned(_ name: String, _ panels: [LabelledPanel]) -> [HandoutDocument.Patch] {
            panels.enumerated().map { index, panel in
                // "20 %" kept on one line when the caption wraps.
                HandoutDocument.Patch(label: panel.labelLines.joined(separator: " · ").replacingOccurrences(of: " %", with: "\u{A0}%"),
                                      image: images["\(name)-\(index + 1)"]!)
            }
        }
        return HandoutDocument(
            sceneName: scene.name, notes: scene.notes, afterMoment: moment.description,
            views: Self.views.map { view in
                HandoutDocument.ViewPair(name: view.label, before: images["view-\(view.rawValue)-before"]!,
                                         after: images["view-\(view.rawValue)-after"]!)
            },
            closeUp: HandoutDocument.CloseUp(before: images["closeup-before"]!, after: images["closeup-after"]!,
                                             widthMM: Self.closeUpWidthMM, heightMM: Self.closeUpHeightMM),
            patchSideMM: patch.widthMM,
            sessions: scene.sessions.enumerated().map { index, session in
                HandoutDocument.SessionHealing(
                    number: index + 1, day: session.day, densityFactor: session.densityFactor,
                    needle: Self.needleWords(session.needle), dilution: session.dilution,
                    regionTools: PlanRegion.allCases.filter { session.regionOverrides[$0] != nil }.map { region in
                        let worked = session.resolved(in: region)
                        return HandoutDocument.RegionTool(region: region.rawValue, needle: Self.needleWords(worked.needle),
                                                          dilution: worked.dilution)
                    },
                    impressions: dots.reduce(0) { $0 + ($1.layer == index + 1 ? 1 : 0) },
                    hours: scene.sessionRate.hours(impressions: dots.reduce(0) { $0 + ($1.layer == index + 1 ? 1 : 0) }),
                    scarAndPatchImpressions: [PlanRegion.scars, .alopeciaPatches].map { region in
                        (region.rawValue, dots.reduce(0) { $0 + ($1.layer == index + 1 && $1.zone == region.zone ? 1 : 0) })
                    },
                    patches: rows[index].enumerated().map { column, moment in
                        HandoutDocument.Patch(label: moment.label, image: images["patch-\(index + 1)-\(column + 1)"]!)
                    })
            },
            outcomeRange: HandoutDocument.OutcomeRangeFigure(images: captioned("outcome-range", range.panels),
                                                             healedDarkening: range.healedDarkening, cells: range.table),
            viewingDistance: HandoutDocument.DistanceFigure(images: captioned("distance", distance.labelledPanels), panels: distance.panels),
            forecast: HandoutDocument.ForecastFigure(
                images: captioned("forecast", milestones.panels), years: forecast.yearly, touchUpsDue: forecast.touchUpsDue, margin: forecast.margin,
                touchUps: scene.forecast.touchUps.map { touchUp in
                    let regions = touchUp.regions.isEmpty ? "the whole design" : touchUp.regions.map { HandoutDocument.regionWords($0.rawValue) }
                        .joined(separator: ", ")
                    return "after \(HandoutDocument.number(touchUp.afterYears)) years: \(regions)"
                }),
            density: density, software: SoftwareVersion.nameAndNumber, sceneHash: rendering.sceneHash, seed: String(scene.seed))
    }

    /// The PNG bytes of each job, by name: written through the render's own writer (so they
    /// carry its text chunks and are the same bytes for any thread count) into a private
    /// temporary folder, read back and removed.
    func encode(_ jobs: [SceneRendering.ImageJob], progress: (@Sendable (String, Double) -> Void)?) throws -> [String: HandoutImage] {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("smp-handout-\(getpid())-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PNGError(.fileSystem, .writing, path: folder.path, reason: "cannot create the handout's temporary folder: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = [PNGTextChunk("Scene", rendering.scene.name), PNGTextChunk("Scene hash", rendering.sceneHash),
                    PNGTextChunk("Seed", String(rendering.scene.seed))]
        var images: [String: HandoutImage] = [:]
        for (job, outcome) in zip(jobs, rendering.write(jobs, into: folder, text: text, progress: progress)) {
            guard let outcome else { break }
            _ = try outcome.get()
            let url = folder.appendingPathComponent("\(job.name).png")
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw PNGError(.fileSystem, .reading, path: url.path, reason: "cannot read back the handout's image: \(error.localizedDescription)")
            }
            images[job.name] = HandoutImage(png: data)
        }
        return images
    }

    /// Writes `handout.html` into `folder` (created if needed, locked against a render into the
    /// same folder), atomically. The page is composed before the folder is claimed.
    public func write(into folder: URL, progress: (@Sendable (String, Double) -> Void)? = nil) throws -> URL {
        // Claimed first: a second handout or render into the folder is refused at once, not
        // after a minute of rendering.
        let claimed = try OutputFolder.claim(folder)
        defer { withExtendedLifetime(claimed) {} }
        let page = try document(progress: progress).html
        let url = folder.appendingPathComponent("handout.html")
        try AtomicFileOutput.write(Data(page.utf8), to: url)
        return url
    }

    /// "0.25 mm single (1RL)": a needle as the page names it.
    static func needleWords(_ needle: Needle) -> String {
        String(format: "%.2f mm %@", needle.diameterMM, needle.configuration == .single ? "single (1RL)" : "three-point (3RL)")
    }
}

/// One embedded PNG and its size in pixels (the page's `width` and `height` attributes, so that
/// it lays out before the image is decoded).
public struct HandoutImage: Sendable, Equatable {
    public var png: Data
    public var widthPixels: Int
    public var heightPixels: Int

    /// `png`'s size is read from its header (IHDR: width and height, big-endian, at bytes 16
    /// and 20); 0 × 0 for bytes too short to hold one.
    public init(png: Data) {
        self.png = png
        let bytes = [UInt8](png.prefix(24))
        func word(_ offset: Int) -> Int {
            bytes.count >= offset + 4 ? bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } : 0
        }
        widthPixels = word(16)
        heightPixels = word(20)
    }

    /// The image as a `data:` URI.
    public var dataURI: String { "data:image/png;base64," + png.base64EncodedString() }
}
