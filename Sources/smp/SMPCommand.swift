import ArgumentParser
import SMPEngine

/// `smp`: the command-line face of the SMP engine. One file per subcommand.
@main
struct SMPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smp",
        abstract: "Preview scalp micropigmentation: place dots, age the pigment, render before/after PNGs.",
        discussion: """
            Exit codes: 0 success; 64 bad command-line usage; 65 invalid scene file; \
            66 scene file not found or unreadable; 73 an output could not be written; 70 internal error; \
            128 + the signal (130 for Ctrl-C) when a render is stopped: its unfinished files are removed.
            """,
        version: SoftwareVersion.number,
        subcommands: [RenderCommand.self, PlanCommand.self, DotsCommand.self, StatsCommand.self, ValidateCommand.self, PresetsCommand.self],
        defaultSubcommand: nil
    )
}
