import ArgumentParser
import Foundation
import SMPEngine

/// `smp`: the command-line face of the SMP engine. One file per subcommand.
@main
struct SMPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smp",
        abstract: "Preview scalp micropigmentation: place dots, age the pigment, render before/after PNGs.",
        discussion: """
            Exit codes: 0 success; 64 bad command-line usage, or a --max-… limit the work would pass; \
            65 invalid scene file; 66 scene file not found or unreadable; 69 headless Chromium missing or failing \
            (handout --pdf), or serve's --port in use; 70 internal error; \
            73 an output file or folder could not be written; 74 standard output could not be written; \
            75 another render is writing into the same output folder; \
            128 + the signal (130 for Ctrl-C) when a render is stopped: its unfinished files are removed.
            """,
        version: SoftwareVersion.number,
        subcommands: [RenderCommand.self, HandoutCommand.self, SweepCommand.self, ServeCommand.self, PlanCommand.self, DotsCommand.self, StatsCommand.self, ValidateCommand.self, PresetsCommand.self],
        defaultSubcommand: nil
    )

    /// ArgumentParser's `main`, with this program's errors mapped to their exit codes
    /// (`ExitStatus.report`, 70 for an error nothing maps) and its help and version text
    /// written so that a failed write is seen (exit 74), not lost.
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitAfterArgumentParser(error)
        }
        do {
            try command.run()
        } catch let error as ExitCode {
            quit(error.rawValue)
        } catch let error where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // ValidationError, CleanExit, and the help a command without `run` asks for.
            exitAfterArgumentParser(error)
        } catch {
            if let (message, code) = ExitStatus.report(error) {
                printError(message)
                quit(code.rawValue)
            }
            printError("internal error: \(error)")
            quit(ExitStatus.internalError.rawValue)
        }
    }

    /// Exits as ArgumentParser would for `error` (usage errors 64, help and version 0), but
    /// with help and version text written through `StandardOutput`.
    private static func exitAfterArgumentParser(_ error: any Error) -> Never {
        if exitCode(for: error) == .success {
            do {
                try StandardOutput.write(fullMessage(for: error) + "\n")
            } catch {
                printError(error.description)
                quit(ExitStatus.standardOutput.rawValue)
            }
            quit(0)
        }
        exit(withError: error)
    }
}

/// The C library's `exit`, which `ParsableCommand.exit(withError:)` hides inside the command.
private func quit(_ code: Int32) -> Never { exit(code) }
