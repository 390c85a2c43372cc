import ArgumentParser
import Foundation
import SMPEngine

/// Exit codes from sysexits(3), so scripts can tell a bad scene from a failed write.
enum ExitStatus {
    static let invalidScene = ExitCode(65)      // EX_DATAERR
    static let unreadableInput = ExitCode(66)   // EX_NOINPUT
    static let cannotWrite = ExitCode(73)       // EX_CANTCREAT
    static let internalError = ExitCode(70)     // EX_SOFTWARE
    static let missingSystemFile = ExitCode(72) // EX_OSFILE: a font the images' labels need
}

/// Prints to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}

/// Loads a scene file, or prints every problem and exits with the documented code.
func loadScene(_ path: String) throws -> (scene: Scene, text: String) {
    let url = URL(fileURLWithPath: path)
    do {
        let text = try String(contentsOf: url, encoding: .utf8)
        return (try Scene.load(yaml: text, file: path), text)
    } catch let error as SceneError {
        printError(error.description)
        throw ExitStatus.invalidScene
    } catch {
        printError("\(path): cannot read the scene file: \((error as NSError).localizedDescription)")
        throw ExitStatus.unreadableInput
    }
}
