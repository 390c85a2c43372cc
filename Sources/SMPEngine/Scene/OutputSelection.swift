/// Which outputs a render writes: the scene's `render.outputs` or `smp render --only`. Names
/// are the files' names without extension (`before`, `after`, `session-2`, `at-5y`,
/// `session-2-healed`, `comparison`, `density`, `timeline`, `outcome-range`, `distance`, `forecast`, `stencil` (`stencil.png` and `stencil.pdf`), `report`, `dots`), or a group: `sessions` (every
/// `session-K` and `session-K-healed`),
/// `at` (every `at-<time>`), `views` (before, after and the `at` moments of the scene's head
/// views, and `view-sheet`), `view-sessions` (the scene's head views just after each session
/// and healed before the next), `photo` (every `photo-…` output of a scene with a `photo:`). A
/// head view is `view-<view>-<moment>` for any view and moment.
///
/// With no selection a render writes the everyday outputs: every output but the long view
/// (`onRequest`), which is written only when named or by its group `outlook`.
public enum OutputSelection {
    public static let groups = ["sessions", "at", "views", "view-sessions", "photo", "outlook"]

    /// Written only when asked for: the long view (`outcome-range`, `distance`, `forecast`, the
    /// group `outlook`), whose years of ageing and hair loss are most of a default render's time
    /// and memory and change only when the plan does, and the technician's `stencil`, printed once.
    public static let onRequest = ["outcome-range", "distance", "forecast", "stencil"]
    /// The group `outlook`: the patient's long view.
    public static let outlook = ["outcome-range", "distance", "forecast"]

    /// Every output name a scene with `sessions` sessions and these `render.at` times has.
    public static func names(sessions: Int, at: [TreatmentTime]) -> [String] {
        let moments = ["before", "after"] + (0..<sessions).flatMap { ["session-\($0 + 1)", "session-\($0 + 1)-healed"] } + at.map { "at-\($0)" }
        let views = HeadViewName.allCases.flatMap { view in moments.map { "view-\(view.rawValue)-\($0)" } }
        let photo = ["photo-before", "photo-after"] + (0..<sessions).map { "photo-session-\($0 + 1)" } + ["photo-comparison"]
        return moments + ["comparison", "density", "timeline", "outcome-range", "distance", "forecast", "stencil", "report", "dots"] + views
            + ["view-sheet"] + photo
    }

    /// The names and groups, head views as one pattern.
    public static func describe(_ names: [String]) -> String {
        let views = HeadViewName.allCases.map(\.rawValue).joined(separator: "|")
        return (names.filter { !$0.hasPrefix("view-") || $0 == "view-sheet" } + ["view-<\(views)>-<moment>"] + groups)
            .joined(separator: ", ")
    }

    /// Does the selection (nil: the everyday outputs, all but `onRequest`) include the output `name`?
    public static func includes(_ selection: [String]?, _ name: String) -> Bool {
        guard let selection else { return !onRequest.contains(name) }
        return selection.contains(name)
            || (selection.contains("outlook") && outlook.contains(name))
            || (selection.contains("sessions") && name.hasPrefix("session-"))
            || (selection.contains("at") && name.hasPrefix("at-"))
    }
}
