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
            set, so they print 1:1). Each file is written atomically.
            """)

    @Argument(help: "The scene file.")
    var scene = "Scenes/demo.yaml"

    @Option(name: .customLong("out"), help: "Output folder (default: Outputs/<scene name>).")
    var outputFolder: String?

    @Option(help: "Rendering threads (the output is byte-identical for any count).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "PNG compression: fast, balanced or smallest. The same pixels; on renders the files differ by a few percent at most, and fast encodes quickest.")
    var compression = PNGCompression.fast

    @Option(help: "The moment after.png shows: day:N, session:K, session:K+Nd, healed (default), 1y, 5y ...")
    var at: String?

    @Option(name: .customLong("px-per-mm"), help: "Pixels per mm, overriding the scene's render.pixelsPerMM.")
    var pixelsPerMM: Double?

    @Option(help: "Only these outputs, comma-separated: before, after, session-K, at-<time>, sessions, at, comparison, density, timeline, report, dots.")
    var only: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1 to 256, got \(threads)") }
        if let pixelsPerMM, !(pixelsPerMM.isFinite && (1...200).contains(pixelsPerMM)) {
            throw ValidationError("--px-per-mm must be 1 to 200, got \(pixelsPerMM)")
        }
        if let at, TreatmentTime(at) == nil {
            throw ValidationError("--at \(at): allowed forms are \(TreatmentTime.allowedForms)")
        }
    }

    func run() throws {
        Interruption.removeUnfinishedFilesOnSignal()
        var (scene, text) = try loadScene(self.scene)
        if let pixelsPerMM { scene.render.pixelsPerMM = pixelsPerMM }
        let folder = URL(fileURLWithPath: outputFolder ?? "Outputs/\(scene.name)")
        let rendering = SceneRendering(scene: scene, sceneText: text, threads: threads, compression: compression)
        let result: SceneRendering.Result
        do {
            // A progress line on standard error, only for a person watching a terminal.
            let showProgress = !quiet && isatty(STDERR_FILENO) == 1
            let line = RenderProgressLine(scene: scene.name)
            result = try rendering.render(
                into: folder, after: at.flatMap(TreatmentTime.init),
                only: only.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } },
                progress: showProgress ? { @Sendable (name: String, fraction: Double) in
                    // Once a signal has come, nothing draws over the last message (`Interruption`).
                    guard !UnfinishedFiles.isStopping else { return }
                    FileHandle.standardError.write(Data("\r\u{1B}[K\(line.update(name, fraction))".utf8))
                } : nil)
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        } catch let error as SceneError {
            printError(error.description)
            throw ExitStatus.invalidScene
        } catch let error as PNGError {
            printError(error.description)
            throw ExitStatus.cannotWrite
        } catch let error as TextError {
            printError(error.description)
            // The font is the machine's, not the scene's: a missing or broken one is an install
            // problem (EX_OSFILE); anything else from the text drawing is ours.
            switch error {
            case .fontMissing, .fontUnreadable, .notAFont, .noUnicodeMap: throw ExitStatus.missingSystemFile
            case .freeType, .outOfRange: throw ExitStatus.internalError
            }
        } catch let error as CocoaError where error.code == .fileWriteNoPermission || error.code == .fileWriteUnknown {
            printError("\(folder.path): cannot create the output folder: \(error.localizedDescription)")
            throw ExitStatus.cannotWrite
        }
        guard !quiet else { return }
        print("\(scene.name): \(result.dotCount) dots")
        for file in result.files { print("wrote \(file.path)") }
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
