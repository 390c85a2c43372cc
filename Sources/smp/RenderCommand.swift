import ArgumentParser
import Foundation
import ImageText
import PNGIO
import SMPEngine

extension PNGCompression: ExpressibleByArgument {}

/// `smp render`: the scene's before/after PNGs into `Outputs/<scene name>/`.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a scene's before and after images.",
        discussion: """
            Writes before.png, after.png (healed, or --at), session-K.png just after each session, \
            at-<time>.png for each render.at entry, comparison.png (before | after), density.png (a heat \
            map of dots per cm²), timeline.png (one 20 mm region from the last session to 5 years on, \
            labelled), dots.csv and report.json. Images are at the scene's true scale (pHYs \
            set, so they print 1:1). Head views: view-<view>-before.png and view-<view>-after.png \
            (and at-<time>) for each of the scene's render.views (default front, top, crown, left) or \
            --views, and view-sheet.png with all of them; a perspective camera on a parametric head, \
            render.viewDistanceMM (600) away, render.viewPixels (1600) on a side. With a photo: section, \
            photo-before.png, photo-after.png, photo-session-K.png and photo-comparison.png: the plan on the \
            client's photo, fitted to its landmarks, marked "simulation". Each file is written atomically. One render at a time per output \
            folder: a second one into the same folder is refused (exit 75). A render removes the \
            temporary files a killed render left in its folder, and says so. The --max-… options \
            raise the ceilings checked before any work.
            """)

    @Argument(help: "The scene file.")
    var scene = "Scenes/demo.yaml"

    @Option(name: .customLong("out"), help: "Output folder (default: Outputs/<scene name>).")
    var outputFolder: String?

    // `.unconditional`: a negative number is this option's value ("-3"), which `validate`
    // refuses in words, not a missing value followed by an unknown option.
    @Option(parsing: .unconditional, help: "Rendering threads (the output is byte-identical for any count).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "PNG compression: fast, balanced or smallest. The same pixels; on renders the files differ by a few percent at most, and fast encodes quickest.")
    var compression = PNGCompression.fast

    @Option(help: "The moment after.png shows: day:N, session:K, session:K+Nd, healed (default), 1y, 5y ...")
    var at: String?

    @Option(name: .customLong("px-per-mm"), parsing: .unconditional, help: "Pixels per mm, overriding the scene's render.pixelsPerMM.")
    var pixelsPerMM: Double?

    @Option(help: "Only these outputs, comma-separated: before, after, session-K, at-<time>, sessions, at, comparison, density, timeline, report, dots, views, view-sessions, view-sheet, view-<view>-<moment>, photo, photo-before, photo-after, photo-session-K, photo-comparison, and the long view written only when named: outcome-range, distance, forecast (together: outlook), stencil.")
    var only: String?

    @Option(help: "Head views, comma-separated, overriding the scene's render.views: \(HeadViewName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var views: String?

    @Option(name: .customLong("view-pixels"), help: "Head views' size in pixels on a side, overriding render.viewPixels (64 to 8000).")
    var viewPixels: Int?

    /// The views `--views` lists; nil when it is not given.
    var viewNames: [HeadViewName]? {
        get throws {
            guard let views else { return nil }
            return try views.split(separator: ",").map { name in
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let view = HeadViewName(rawValue: trimmed) else {
                    throw ValidationError("--views: `\(trimmed)` is not a view; allowed: \(HeadViewName.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return view
            }
        }
    }

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Print each image's render and encode times to standard error (they are not in report.json, whose bytes do not depend on the machine).")
    var timings = false

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @OptionGroup(title: "Overrides") var overrides: OverrideOptions

    /// The names `--only` lists, trimmed; nil when it is not given.
    var onlyNames: [String]? {
        only.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    /// Where the photo fit's focal length came from, for the summary line.
    static func focalOrigin(_ source: PhotoFit.FocalSource) -> String {
        switch source {
        case .exif: ", near the photo's EXIF"
        case .scene: ", near photo.focalLength35mm"
        case .outline: ", from the head's outline in the photo: its EXIF does not say"
        case .typicalPhone: ", near a phone's: the photo's EXIF does not say"
        }
    }

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1 to 256, got \(threads)") }
        let allowed = Scene.RenderSettings.pixelsPerMMRange
        if let pixelsPerMM, !(pixelsPerMM.isFinite && allowed.contains(pixelsPerMM)) {
            throw ValidationError("--px-per-mm must be \(Int(allowed.lowerBound)) to \(Int(allowed.upperBound)), got \(pixelsPerMM)")
        }
        if let names = onlyNames, names.contains("") {
            throw ValidationError("--only \(only ?? ""): an empty output name; list names separated by commas, like --only before,after")
        }
        if let viewPixels, !(64...8000).contains(viewPixels) {
            throw ValidationError("--view-pixels must be 64 to 8000, got \(viewPixels)")
        }
        if try viewNames?.isEmpty == true { throw ValidationError("--views \(views ?? ""): no view named") }
        if let at, TreatmentTime(at) == nil {
            throw ValidationError("--at \(at): allowed forms are \(TreatmentTime.allowedForms)")
        }
    }

    func run() throws {
        Interruption.removeUnfinishedFilesOnSignal()
        var (scene, text) = try loadScene(self.scene, overrides: overrides.overrides)
        if let pixelsPerMM { scene.render.pixelsPerMM = pixelsPerMM }
        if let viewPixels { scene.render.viewPixels = viewPixels }
        if let names = onlyNames {
            // A name the scene has no output for is a usage error (64), not a scene error.
            let known = OutputSelection.names(sessions: scene.sessions.count, at: scene.render.at)
            if let unknown = names.first(where: { !known.contains($0) && !OutputSelection.groups.contains($0) }) {
                printError("--only: `\(unknown)` is not an output of \(self.scene); allowed: \(OutputSelection.describe(known))")
                throw ExitStatus.usage
            }
        }
        // A moment naming a session the plan lacks is the option's fault too (64), as --only's.
        if let at, let time = TreatmentTime(at), time.day(in: scene.sessions) == nil {
            printError("--at \(at): \(self.scene) has sessions 1 to \(scene.sessions.count); allowed: \(TreatmentTime.allowedForms)")
            throw ExitStatus.usage
        }
        let folder = URL(fileURLWithPath: outputFolder ?? "Outputs/\(scene.name)")
        var rendering = SceneRendering(scene: scene, sceneText: text, threads: threads, compression: compression, limits: limits.limits)
        rendering.sceneFolder = URL(fileURLWithPath: self.scene).deletingLastPathComponent()
        // A progress line on standard error, only for a person watching a terminal.
        let showProgress = !quiet && isatty(STDERR_FILENO) == 1
        let line = RenderProgressLine(scene: scene.name)
        let result: SceneRendering.Result
        do {
            result = try rendering.render(
                into: folder, after: at.flatMap(TreatmentTime.init), only: onlyNames, views: try viewNames,
                progress: showProgress ? { @Sendable (name: String, fraction: Double) in
                    // Once a signal has come, nothing draws over the last message (`Interruption`).
                    guard !UnfinishedFiles.isStopping else { return }
                    printError("\r\u{1B}[K\(line.update(name, fraction))", newline: false)
                } : nil)
        } catch {
            if showProgress { printError("\r\u{1B}[K", newline: false) }
            throw error
        }
        if showProgress { printError("\r\u{1B}[K", newline: false) }
        if !quiet, !result.removedStaleFiles.isEmpty {
            let count = result.removedStaleFiles.count
            printError("\(folder.path): removed \(count) temporary file\(count == 1 ? "" : "s") left by an earlier render that was killed: "
                       + result.removedStaleFiles.joined(separator: ", "))
        }
        if timings {
            for file in result.files {
                let name = file.deletingPathExtension().lastPathComponent
                guard let times = result.timings[name] else { continue }
                printError(String(format: "%@: render %.3f s, encode %.3f s, total %.3f s", name, times.renderSeconds, times.encodeSeconds,
                                  times.totalSeconds))
            }
        }
        // Not silenced by --quiet: the images may show ink past the head.
        if let fit = result.photoFit, let check = result.photoOutline, let warning = SceneRendering.outlineWarning(check, fit: fit) {
            printError(warning)
        }
        guard !quiet else { return }
        let fit = result.photoFit.map { fit in
            [String(format: "photo: the head fitted to %d landmarks, residual %.1f px root-mean-square (limit %.1f), camera %.0f mm from the head, focal length %.0f mm (35 mm equivalent%@)%@",
                    fit.residualPixels.count, fit.rmsResidualPixels, fit.limitPixels, fit.distanceMM, fit.focalLength35mm,
                    Self.focalOrigin(fit.focalSource),
                    fit.isMirrorImage ? " (a mirror image: the patient's right on the photo's right)" : "")]
        } ?? []
        try StandardOutput.write(lines: ["\(scene.name): \(result.dotCount) dots"] + fit + result.files.map { "wrote \($0.path)" })
    }
}

/// The progress line of a render: every output under way with how far along it is, in the
/// order they started ("demo: after 40 %, session-1 12 %"). Images are written several at a
/// time, each reporting from its own thread: one line naming only the latest report flickered
/// between them.
final class RenderProgressLine: @unchecked Sendable {
    let scene: String
    private let lock = NSLock()
    private var underWay: [(name: String, percent: Int)] = []

    init(scene: String) { self.scene = scene }

    /// Records that `name` is `fraction` done and returns the line to show.
    func update(_ name: String, _ fraction: Double) -> String {
        lock.withLock {
            let percent = Int(min(max(fraction, 0), 1) * 100)
            if let index = underWay.firstIndex(where: { $0.name == name }) {
                underWay[index].percent = percent
            } else {
                underWay.append((name, percent))
            }
            let shown = underWay.filter { $0.percent < 100 }
            // A finished output is dropped once another reports; it is shown, at 100 %, only while
            // nothing else is under way, so that the last one is seen to end.
            underWay.removeAll { $0.percent >= 100 && $0.name != name }
            let parts = (shown.isEmpty ? underWay.filter { $0.name == name } : shown).map { "\($0.name) \($0.percent) %" }
            return "\(scene): " + parts.joined(separator: ", ")
        }
    }
}
