import ArgumentParser
import SMPEngine

/// `--set key.path=value`, shared by every command that reads a scene: values put into the
/// scene before it is checked, so a bad one is reported like the same value in the file.
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set a scene value before the scene is checked, like design.dotsPerCM2=90 or sessions[2].needle.diameterMM=0.3 (repeatable; list indices from 0).",
        valueName: "key.path=value"))
    var assignments: [String] = []

    /// Syntax errors are usage errors (exit 64), found before any file is read.
    func validate() throws {
        for assignment in assignments {
            do {
                _ = try SceneOverride(parsing: assignment)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    /// The overrides, in the order given (a later one wins). `validate` has checked them.
    var overrides: [SceneOverride] {
        assignments.compactMap { try? SceneOverride(parsing: $0) }
    }
}
