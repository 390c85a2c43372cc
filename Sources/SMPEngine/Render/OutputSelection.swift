/// Which outputs a render writes: the scene's `render.outputs` or `smp render --only`. Names
/// are the files' names without extension (`before`, `after`, `session-2`, `at-5y`,
/// `session-2-healed`, `comparison`, `density`, `timeline`, `report`, `dots`), or a group: `sessions` (every
/// `session-K` and `session-K-healed`),
/// `at` (every `at-<time>`).
public enum OutputSelection {
    public static let groups = ["sessions", "at"]

    /// Every output name a scene with `sessions` sessions and these `render.at` times has.
    public static func names(sessions: Int, at: [TreatmentTime]) -> [String] {
        ["before", "after"] + (0..<sessions).flatMap { ["session-\($0 + 1)", "session-\($0 + 1)-healed"] } + at.map { "at-\($0)" }
            + ["comparison", "density", "timeline", "report", "dots"]
    }

    public static func describe(_ names: [String]) -> String {
        (names + groups).joined(separator: ", ")
    }

    /// Does the selection (nil: everything) include the output `name`?
    public static func includes(_ selection: [String]?, _ name: String) -> Bool {
        guard let selection else { return true }
        return selection.contains(name)
            || (selection.contains("sessions") && name.hasPrefix("session-"))
            || (selection.contains("at") && name.hasPrefix("at-"))
    }
}
