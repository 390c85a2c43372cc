import ArgumentParser
import Foundation
import PNGIO
import SMPEngine

/// `smp handout`: the patient's handout, one self-contained HTML page, and with `--pdf` the same
/// page printed by headless Chromium.
struct HandoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "Write the patient's handout: one self-contained HTML page (and a PDF with --pdf).",
        discussion: """
            Writes handout.html into the output folder: the head from the front, top and crown before and \
            after, a life-size close-up, each session's healing on one patch of scalp, the aftercare per \
            healing phase, the plan's densities per region and what makes a real result differ from the \
            simulation. Images are embedded (data: URIs), the style inline: the file needs no network and \
            no other file, reads on a phone and prints one section per page. Same scene and seed, same \
            bytes. --pdf also prints it to handout.pdf with headless Chromium (Debian package chromium); \
            without it, exit 69.
            """)

    @Argument(help: "The scene file.")
    var scene = "Scenes/demo.yaml"

    @Option(name: .customLong("out"), help: "Output folder (default: Outputs/<scene name>).")
    var outputFolder: String?

    @Flag(help: "Also print the page to handout.pdf with headless Chromium.")
    var pdf = false

    @Option(name: .customLong("view-pixels"), help: "Head views' size in pixels on a side (64 to 8000, default \(Handout.defaultViewPixels)).")
    var viewPixels = Handout.defaultViewPixels

    @Option(parsing: .unconditional, help: "Rendering threads (the output is byte-identical for any count).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @OptionGroup(title: "Overrides") var overrides: OverrideOptions

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1 to 256, got \(threads)") }
        guard (64...8000).contains(viewPixels) else { throw ValidationError("--view-pixels must be 64 to 8000, got \(viewPixels)") }
    }

    func run() throws {
        Interruption.removeUnfinishedFilesOnSignal()
        var (scene, text) = try loadScene(self.scene, overrides: overrides.overrides)
        scene.render.viewPixels = viewPixels
        // Found before the rendering, so that a missing Chromium costs no minute of work.
        let chromium = pdf ? try HeadlessChromium.find() : nil
        let folder = URL(fileURLWithPath: outputFolder ?? "Outputs/\(scene.name)")
        // The PNGs inside the page shrink by a few percent with the smallest setting; they are
        // encoded once per handout, so its time is small beside the rendering.
        let rendering = SceneRendering(scene: scene, sceneText: text, threads: threads, compression: .smallest, limits: limits.limits)
        let page = try Handout(rendering: rendering).write(into: folder)
        var written = [page]
        if let chromium {
            let url = folder.appendingPathComponent("handout.pdf")
            try chromium.printPDF(page: page, to: url)
            written.append(url)
        }
        guard !quiet else { return }
        try StandardOutput.write(lines: written.map { "wrote \($0.path)" })
    }
}

/// Chromium without a window, found on PATH as `chromium` (Debian) or `chromium-browser`.
struct HeadlessChromium {
    static let names = ["chromium", "chromium-browser"]
    let executable: URL

    /// Chromium on PATH, or `HandoutError.chromiumMissing`.
    static func find(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") throws(HandoutError) -> HeadlessChromium {
        for name in names {
            for folder in path.split(separator: ":") where !folder.isEmpty {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return HeadlessChromium(executable: candidate) }
            }
        }
        throw .chromiumMissing(searched: names)
    }

    /// Prints `page` to `destination`, atomically: Chromium writes into a private temporary
    /// folder (with its own profile there, so that no other Chromium's profile lock matters),
    /// and the PDF is then written into place like every other output.
    func printPDF(page: URL, to destination: URL) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("smp-chromium-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let printed = scratch.appendingPathComponent("handout.pdf")
        let log = scratch.appendingPathComponent("chromium.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        // --no-sandbox: Chromium refuses to run as root (CI) with its sandbox. No header or
        // footer: they would print the date and the file's path on every page.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                             "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
                             "--print-to-pdf=\(printed.path)", page.standardizedFileURL.absoluteString]
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw HandoutError.chromiumFailed(executable: executable.path, reason: "cannot start it: \(error.localizedDescription)")
        }
        process.waitUntilExit()
        try? logHandle.close()
        guard process.terminationStatus == 0, let data = try? Data(contentsOf: printed), data.starts(with: Array("%PDF".utf8)) else {
            let tail = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(5).joined(separator: "\n")
            throw HandoutError.chromiumFailed(executable: executable.path,
                                              reason: "it exited with status \(process.terminationStatus) without a PDF; its last words:\n\(tail)")
        }
        try AtomicFileOutput.write(data, to: destination)
    }
}

/// What can stop `smp handout --pdf` once the page is written.
enum HandoutError: Error, CustomStringConvertible {
    case chromiumMissing(searched: [String])
    case chromiumFailed(executable: String, reason: String)

    var description: String {
        switch self {
        case .chromiumMissing(let names):
            "--pdf needs headless Chromium, and none was found on PATH (looked for \(names.joined(separator: " and "))); "
                + "install the Debian package chromium (sudo apt-get install chromium), or open handout.html in a browser and print it"
        case let .chromiumFailed(executable, reason):
            "--pdf: \(executable) could not print handout.html: \(reason)"
        }
    }
}
