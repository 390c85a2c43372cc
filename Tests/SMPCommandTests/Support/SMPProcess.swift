import Foundation
import Testing

/// The `smp` binary SwiftPM builds beside the test bundle (Linux: the test executable; macOS:
/// the .xctest bundle), run as a real child process: for the faults that only a process shows
/// (its exit status, a write to /dev/full, a signal, two renders at once).
enum SMPProcess {
    static func binary() throws -> URL {
        try #require(found, "no smp binary among \(candidates.map(\.path))")
    }

    /// Looked for once: Foundation's `Bundle.allBundles` leaks a little on every call
    /// (LeakSanitizer, `swift test --sanitize=address`).
    private static let candidates = ([Bundle.main] + Bundle.allBundles.filter { $0.bundleURL.pathExtension == "xctest" })
        .flatMap { [$0.bundleURL.appendingPathComponent("smp"), $0.bundleURL.deletingLastPathComponent().appendingPathComponent("smp")] }
    private static let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// What a finished run left: its exit status and what it wrote to standard error (and to
    /// standard output, when that was not redirected to `standardOutputPath`).
    struct Outcome {
        var status: Int32
        var standardError: String
        var standardOutput: String
    }

    /// Starts `smp` with `arguments`; standard output goes to `standardOutputPath` when given
    /// (`/dev/full`), else into the outcome.
    static func start(_ arguments: [String], standardOutputPath: String? = nil) throws -> (Process, finish: () -> Outcome) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        let errors = Pipe(), output = Pipe()
        process.standardError = errors
        if let standardOutputPath {
            process.standardOutput = try #require(FileHandle(forWritingAtPath: standardOutputPath))
        } else {
            process.standardOutput = output
        }
        try process.run()
        // Read both pipes on their own threads, so that a full pipe never blocks the child.
        let collected = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { collected.error = errors.fileHandleForReading.readDataToEndOfFile() }
        if standardOutputPath == nil {
            DispatchQueue.global().async(group: group) { collected.output = output.fileHandleForReading.readDataToEndOfFile() }
        }
        return (process, {
            process.waitUntilExit()
            group.wait()
            let status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
            return Outcome(status: status, standardError: String(decoding: collected.error, as: UTF8.self),
                           standardOutput: String(decoding: collected.output, as: UTF8.self))
        })
    }

    /// Runs `smp` with `arguments` to the end.
    static func run(_ arguments: [String], standardOutputPath: String? = nil) throws -> Outcome {
        try start(arguments, standardOutputPath: standardOutputPath).finish()
    }

    private final class Collected: @unchecked Sendable {
        var error = Data()
        var output = Data()
    }
}
