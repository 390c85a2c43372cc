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
    /// The file is not YAML, or its YAML has errors in it; every issue found is listed.
    case invalid(file: String, issues: [SceneIssue])

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the scene file: \(reason)"
        case let .invalid(file, issues):
            let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
            return "\(file): \(count) in the scene file:\n" + issues.map { "  \(file):\($0)" }.joined(separator: "\n")
        }
    }

    public var issues: [SceneIssue] {
        if case let .invalid(_, issues) = self { return issues }
        return []
    }
}
