import Foundation

/// pngcheck run on a file: its exit status and output.
struct PngcheckResult {
    var status: Int32
    var output: String
}

/// The pngcheck executable on PATH, if any.
func pngcheckExecutable() -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("pngcheck")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}

/// Runs `pngcheck [options] file`.
func runPngcheck(_ executable: URL, _ options: [String] = [], on file: URL) throws -> PngcheckResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = options + [file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return PngcheckResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
}
