import ArgumentParser
import SMPEngine

/// `smp validate`: checks scene files without rendering.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scene files; exit 0 only if every one is valid.",
        discussion: "Every problem of every file is listed, with its line, column and key path.")

    @Argument(help: "Scene files.")
    var scenes: [String]

    @OptionGroup(title: "Overrides") var overrides: OverrideOptions

    func validate() throws {
        guard !scenes.isEmpty else { throw ValidationError("name at least one scene file") }
    }

    func run() throws {
        var worst: ExitCode?
        for path in scenes {
            do {
                _ = try loadScene(path, overrides: overrides.overrides)
                try StandardOutput.write("\(path): valid\n")
            } catch let code as ExitCode {
                worst = worst == ExitStatus.unreadableInput ? worst : code
            }
        }
        if let worst { throw worst }
    }
}
