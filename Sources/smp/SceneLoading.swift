import ArgumentParser
import Foundation
import ImageText
import PhotoIO
import PNGIO
import SMPEngine
import SMPServer

/// Exit codes from sysexits(3), so scripts can tell a bad scene from a failed write.
enum ExitStatus {
    static let usage = ExitCode(64)             // EX_USAGE
    static let invalidScene = ExitCode(65)      // EX_DATAERR
    static let unreadableInput = ExitCode(66)   // EX_NOINPUT
    static let unavailable = ExitCode(69)       // EX_UNAVAILABLE: headless Chromium for --pdf, smp serve's port
    static let internalError = ExitCode(70)     // EX_SOFTWARE
    static let missingSystemFile = ExitCode(72) // EX_OSFILE: a font the images' labels need
    static let cannotWrite = ExitCode(73)       // EX_CANTCREAT
    static let standardOutput = ExitCode(74)    // EX_IOERR
    static let busy = ExitCode(75)              // EX_TEMPFAIL: another render holds the output folder

    /// The message and exit code for an error a command let through; nil for errors that
    /// ArgumentParser reports itself (usage errors, help, `ExitCode`).
    static func report(_ error: any Error) -> (message: String, code: ExitCode)? {
        switch error {
        case let error as StandardOutputError: (error.description, standardOutput)
        case let error as OutputFolderError:
            if case .busy = error { (error.description, busy) } else { (error.description, cannotWrite) }
        case let error as PNGError where error.operation == .writing: (error.description, cannotWrite)
        case let error as SceneError: (error.description, invalidScene)
        // A photo that is not there is missing input (66); one that is there but unusable is bad data (65).
        case let error as PhotoError: (error.description, error.kind == .unreadable ? unreadableInput : invalidScene)
        case let error as RenderLimitError: (LimitOptions.message(error), usage)
        case let error as HandoutError: (error.description, unavailable)
        case let error as TuningServer.ListenError: (error.description, unavailable)
        // The engine names what was asked for; the options that ask for it are these.
        case let error as RenderRequestError:
            switch error {
            case .momentOutsidePlan: ("--at: \(error)", usage)
            case .unknownOutput: ("--only: \(error)", usage)
            }
        // The font is the machine's, not the scene's: a missing or broken one is an install
        // problem (EX_OSFILE); anything else from the text drawing is ours.
        case let error as TextError:
            switch error {
            case .fontMissing, .fontUnreadable, .notAFont, .noUnicodeMap: (error.description, missingSystemFile)
            case .freeType, .outOfRange: (error.description, internalError)
            }
        default: nil
        }
    }
}

/// Prints to standard error, ending the line unless `newline` is false. A failure to write
/// there has nowhere to be reported.
func printError(_ message: String, newline: Bool = true) {
    _ = writeAll(newline && !message.hasSuffix("\n") ? message + "\n" : message, to: STDERR_FILENO)
}

/// Loads a scene file with `overrides` (`--set`) applied, or prints every problem and exits with
/// the documented code. The text returned is the file's with the overrides noted after it
/// (`SceneOverride.annotated`): the images' scene hash tells the overridden scene apart.
func loadScene(_ path: String, overrides: [SceneOverride] = []) throws -> (scene: Scene, text: String) {
    do {
        let text = try SceneText.decode(readSceneFile(path), file: path)
        return (try Scene.load(yaml: text, file: path, overrides: overrides), SceneOverride.annotated(text, with: overrides))
    } catch let SceneError.unreadable(file, reason) {
        printError("\(file): cannot read the scene file: \(reason)")
        throw ExitStatus.unreadableInput
    } catch {
        printError("\(error)")
        throw ExitStatus.invalidScene
    }
}

/// The bytes of the file at `path`, or `SceneError.unreadable` with the reason in words.
func readSceneFile(_ path: String) throws(SceneError) -> Data {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .unreadable(file: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    var status = stat()
    if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
        throw .unreadable(file: path, reason: "it is a folder; name a scene file (.yaml) in it")
    }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { return data }
        if count < 0 {
            if errno == EINTR { continue }
            throw .unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        data.append(contentsOf: buffer[..<count])
    }
}
