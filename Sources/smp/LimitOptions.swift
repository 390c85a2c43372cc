import ArgumentParser
import SMPEngine

/// `--max-…`: the ceilings a command checks before any work (`RenderLimits`), shared by the
/// commands that place dots. Each error names the option that raises its ceiling.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-sessions"), help: "Refuse scenes with more sessions than this.")
    var sessions = RenderLimits().sessions

    @Option(name: .customLong("max-dots"), help: "Refuse scenes that could place more dots than this.")
    var dots = RenderLimits().dots

    @Option(name: .customLong("max-pixels"), help: "Refuse images with more pixels than this.")
    var pixels = RenderLimits().pixelsPerImage

    @Option(name: .customLong("max-memory-mb"), help: "Refuse work estimated to need more memory than this (MB).")
    var memoryMB = RenderLimits().peakMemoryBytes >> 20

    @Option(name: .customLong("max-output-mb"), help: "Refuse renders that could write more than this (MB).")
    var outputMB = RenderLimits().bytesWritten >> 20

    func validate() throws {
        for (name, value) in [("--max-sessions", sessions), ("--max-dots", dots), ("--max-pixels", pixels),
                              ("--max-memory-mb", memoryMB), ("--max-output-mb", outputMB)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
    }

    var limits: RenderLimits {
        var limits = RenderLimits()
        limits.sessions = sessions
        limits.dots = dots
        limits.pixelsPerImage = pixels
        limits.peakMemoryBytes = memoryMB.multipliedReportingOverflow(by: 1 << 20).overflow ? .max : memoryMB << 20
        limits.bytesWritten = outputMB.multipliedReportingOverflow(by: 1 << 20).overflow ? .max : outputMB << 20
        return limits
    }

    /// The option that raises the ceiling of `kind`.
    static func option(for kind: RenderLimits.Kind) -> String {
        switch kind {
        case .sessions: "--max-sessions"
        case .dots: "--max-dots"
        case .pixelsPerImage: "--max-pixels"
        case .peakMemoryBytes: "--max-memory-mb"
        case .bytesWritten: "--max-output-mb"
        }
    }

    /// The message for `error`: what is too large, and how to allow it.
    static func message(_ error: RenderLimitError) -> String {
        let value: String = switch error.kind {
        case .peakMemoryBytes, .bytesWritten: "\((error.estimate >> 20) + 1)"
        default: "\(error.estimate)"
        }
        return "refused before starting: \(error.description); to allow it, add \(option(for: error.kind)) \(value)"
    }

    /// Loads the scene and checks what placing its dots takes (sessions, dots, memory).
    func checkedScene(_ path: String, overrides: [SceneOverride] = []) throws -> (scene: Scene, text: String) {
        let loaded = try loadScene(path, overrides: overrides)
        try limits.check(RenderEstimate(sessions: loaded.scene.sessions.count, dots: 0, pixelsPerImage: 0, peakMemoryBytes: 0, bytesWritten: 0))
        try limits.check(RenderEstimate(scene: loaded.scene, map: ScalpMap(scene: loaded.scene)))
        return loaded
    }
}
