/// One problem found in a scene file: where it is (line and column, key path) and what is
/// wrong, with what is allowed.
public struct SceneIssue: Sendable, Equatable, CustomStringConvertible {
    /// 1-based; 0 when the position is unknown.
    public var line: Int
    public var column: Int
    /// Like `sessions[2].needle.diameterMM`; empty for the whole document.
    public var keyPath: String
    public var message: String

    public init(line: Int, column: Int, keyPath: String, message: String) {
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        let position = line > 0 ? "\(line):\(column): " : ""
        let path = keyPath.isEmpty ? "" : "\(keyPath): "
        return position + path + message
    }
}

/// Why a scene could not be loaded. `description` is what the command line prints.
public enum SceneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(file: String, reason: String)
    /// The file is not YAML, or its YAML has errors in it: the issues found, with their text up
    /// to `SceneReader.keptIssues`, and how many more were found past those.
    case invalid(file: String, issues: [SceneIssue], unlisted: Int = 0)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the scene file: \(reason)"
        case let .invalid(file, issues, unlisted):
            let total = issues.count + unlisted
            let count = total == 1 ? "1 problem" : "\(total) problems"
            let listed = issues.prefix(SceneError.listedIssues).map { "  \(file):\($0)" }
            let more = total > listed.count ? ["  and \(total - listed.count) more"] : []
            return "\(file): \(count) in the scene file:\n" + (listed + more).joined(separator: "\n")
        }
    }

    /// How many issues `description` lists; the rest are counted ("and 9,950 more"), so that a
    /// file with a million bad entries is reported in a screenful.
    public static let listedIssues = 50

    public var issues: [SceneIssue] {
        if case let .invalid(_, issues, _) = self { return issues }
        return []
    }
}
