import ArgumentParser
import Foundation
import SMPEngine
import SMPServer

/// `smp serve`: the live tuning page, on 127.0.0.1 only.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the live tuning page on 127.0.0.1: sliders for the scene's keys, the preview, plan and density.",
        discussion: """
            Prints the page's address. The page reads scenes from --scenes-dir (default: the folder of \
            SCENE) and nowhere else; its settings are --set key paths, checked as in the file. "Save \
            scene" downloads the YAML of the current settings, which smp validate accepts and smp \
            render renders. Ctrl-C stops the server.
            """)

    @Argument(help: "The scene the page opens with (default: Scenes/demo.yaml).")
    var scene = "Scenes/demo.yaml"

    @Option(help: "The port on 127.0.0.1 (0: any free port).")
    var port = 8080

    @Option(name: .customLong("scenes-dir"), help: "The folder whose scene files the page may open (default: the scene's folder).")
    var scenesDirectory: String?

    @Option(parsing: .unconditional, help: "Threads rendering each preview.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, got \(port)") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1 to 256, got \(threads)") }
    }

    func run() throws {
        // Read and checked first, so that a missing or bad scene fails as `smp validate` would.
        _ = try loadScene(scene)
        PreviewRenderer.keepFreedBuffersForReuse()
        let sceneURL = URL(fileURLWithPath: scene)
        let folder = URL(fileURLWithPath: scenesDirectory ?? sceneURL.deletingLastPathComponent().path)
        let folderScene = folder.standardizedFileURL.resolvingSymlinksInPath()
            .appendingPathComponent(sceneURL.lastPathComponent).resolvingSymlinksInPath()
        guard folderScene.path == sceneURL.standardizedFileURL.resolvingSymlinksInPath().path else {
            throw ValidationError("\(scene) is not in --scenes-dir \(folder.path); the page opens only scenes in that folder")
        }
        let server = TuningServer(scenes: SceneFolder(folder: folder, defaultScene: sceneURL.lastPathComponent), port: port, threads: threads)
        let finished = DispatchSemaphore(value: 0)
        let outcome = ServeOutcome()
        Task {
            do {
                try await server.run { address in
                    // Flushed at once: a script waits for this line to know the page is up.
                    FileHandle.standardOutput.write(Data("smp serve: \(address) (scenes in \(folder.path); Ctrl-C stops)\n".utf8))
                }
            } catch {
                outcome.error = error
            }
            finished.signal()
        }
        finished.wait()
        // A port it cannot have is the user's to change (exit 69, naming --port), not our fault.
        if let error = outcome.error as? TuningServer.ListenError { throw error }
        if let error = outcome.error { throw ServeError(message: "the server stopped: \(error)") }
    }
}

/// How the server's task ended, handed back to the command's thread.
private final class ServeOutcome: @unchecked Sendable {
    var error: (any Error)?
}

struct ServeError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
