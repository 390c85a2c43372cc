import Yams

/// One `--set key.path=value`: a value put into the scene document before it is read, so that
/// it is checked by the same reader, with the same messages, as if it were in the file.
///
/// The key path is written as the reader names keys in its messages: mapping keys separated by
/// dots, list elements by a 0-based index in brackets (`sessions[2].needle.diameterMM`). The
/// value is YAML (`0.3`, `single`, `"#202020"`, `{ diameterMM: 0.3 }`), everything after the
/// first `=`.
public struct SceneOverride: Sendable, Equatable, CustomStringConvertible {
    /// One step of a key path.
    public enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public let keyPath: String
    public let components: [Component]
    /// The value as given, YAML text.
    public let valueText: String

    /// Parses `key.path=value`. Throws when there is no `=`, the key path is empty or not of
    /// the form above, or the value is not YAML: a mistake on the command line, not in a scene.
    public init(parsing argument: String) throws(SceneOverrideError) {
        guard let equals = argument.firstIndex(of: "=") else { throw .missingEquals(argument) }
        let keyPath = String(argument[..<equals])
        try self.init(keyPath: keyPath, value: String(argument[argument.index(after: equals)...]), argument: argument)
    }

    /// The override setting `keyPath` to `value` (YAML text); `argument` names it in errors.
    public init(keyPath: String, value: String, argument: String? = nil) throws(SceneOverrideError) {
        let argument = argument ?? "\(keyPath)=\(value)"
        self.keyPath = keyPath
        components = try Self.components(of: keyPath, argument: argument)
        valueText = value
        // Parsed now only to refuse text that is not YAML; `apply` parses it again (a `Node`
        // is not `Sendable`).
        do {
            _ = try Yams.compose(yaml: value)
        } catch {
            throw .valueNotYAML(argument, reason: Self.firstLine(of: error))
        }
    }

    public var description: String { "\(keyPath)=\(valueText)" }

    /// The allowed form of a key path, for messages.
    public static let allowedForm = "key.path=value, keys separated by dots and list elements by a 0-based index, "
        + "like design.dotsPerCM2=90 or sessions[2].needle.diameterMM=0.3"

    static func components(of keyPath: String, argument: String) throws(SceneOverrideError) -> [Component] {
        guard !keyPath.trimmingCharacters(in: .whitespaces).isEmpty else { throw .emptyKeyPath(argument) }
        var result: [Component] = []
        for part in keyPath.split(separator: ".", omittingEmptySubsequences: false) {
            // `name`, `name[1]`, `name[1][0]`: the name, then any indices.
            let name = part.prefix { $0 != "[" }
            guard !name.isEmpty, !name.contains("]"), name.allSatisfy({ !$0.isWhitespace }) else {
                throw .badKeyPath(argument, reason: part.isEmpty ? "an empty key between dots" : "`\(part)` does not start with a key name")
            }
            result.append(.key(String(name)))
            var rest = part.dropFirst(name.count)
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                      let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else {
                    throw .badKeyPath(argument, reason: "`\(part)`: an index is a whole number from 0 in brackets, like sessions[2]")
                }
                result.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        return result
    }

    static func firstLine(of error: any Error) -> String {
        String(String(describing: error).split(separator: "\n").first ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// `text` with `overrides` written as comment lines after it: the text a scene's hash is
    /// taken of, so that images rendered with overrides are told apart from the file's own
    /// (and identical overrides give identical hashes).
    public static func annotated(_ text: String, with overrides: [SceneOverride]) -> String {
        guard !overrides.isEmpty else { return text }
        let lines = overrides.map { "# --set " + $0.description.replacingOccurrences(of: "\n", with: "\\n") }
        return text + (text.isEmpty || text.hasSuffix("\n") ? "" : "\n") + lines.joined(separator: "\n") + "\n"
    }

    /// Sets this override's value in `root`, creating the mappings (and a list's next element)
    /// the path needs. A value in the way of the path (a number where the path continues into a
    /// mapping) is replaced, so the reader then reports the key path with what it allows, as it
    /// would for the same text in the file. The value's nodes carry no position: the reader's
    /// messages about it have no line and column (there is no line in the file to point at).
    func apply(to root: Node, file: String) throws(SceneError) -> Node {
        let value: Node
        do {
            value = try Yams.compose(yaml: valueText).map(Self.withoutMarks) ?? Node("", Tag(.null))
        } catch {
            // `init` checked it; kept for a caller that built the text some other way.
            throw .invalid(file: file, issues: [SceneIssue(line: 0, column: 0, keyPath: keyPath, message: "--set: the value is not YAML: \(Self.firstLine(of: error))")])
        }
        return try set(value, in: root, at: components[...], path: "", file: file)
    }

    private func set(_ value: Node, in node: Node?, at path: ArraySlice<Component>, path written: String, file: String) throws(SceneError) -> Node {
        guard let first = path.first else { return value }
        switch first {
        case let .key(key):
            let here = written.isEmpty ? key : "\(written).\(key)"
            var mapping = node?.mapping ?? Node.Mapping([])
            mapping[Node(key)] = try set(value, in: mapping[Node(key)], at: path.dropFirst(), path: here, file: file)
            return .mapping(mapping)
        case let .index(index):
            let here = "\(written)[\(index)]"
            var elements = node?.sequence.map(Array.init) ?? []
            guard index <= elements.count else {
                let allowed = elements.isEmpty ? "0 (a first element)" : "0 to \(elements.count) (\(elements.count) adds an element)"
                throw .invalid(file: file, issues: [SceneIssue(
                    line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, keyPath: here,
                    message: "--set \(keyPath): the list has \(elements.count) element\(elements.count == 1 ? "" : "s"); allowed indices: \(allowed)")])
            }
            let existing = index < elements.count ? elements[index] : nil
            let updated = try set(value, in: existing, at: path.dropFirst(), path: here, file: file)
            if index < elements.count { elements[index] = updated } else { elements.append(updated) }
            var sequence = node?.sequence ?? Node.Sequence([])
            sequence = Node.Sequence(elements, sequence.tag, sequence.style, sequence.mark)
            return .sequence(sequence)
        }
    }

    /// `node` with every position removed: it came from the command line, not the file.
    static func withoutMarks(_ node: Node) -> Node {
        switch node {
        case var .scalar(scalar):
            scalar.mark = nil
            return .scalar(scalar)
        case let .mapping(mapping):
            return .mapping(Node.Mapping(mapping.map { (withoutMarks($0.key), withoutMarks($0.value)) }, mapping.tag, mapping.style, nil))
        case let .sequence(sequence):
            return .sequence(Node.Sequence(sequence.map(withoutMarks), sequence.tag, sequence.style, nil))
        case .alias:
            return node
        }
    }
}

/// A `--set` that cannot be understood: the command line is wrong (usage, exit 64), before any
/// scene is read.
public enum SceneOverrideError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingEquals(String)
    case emptyKeyPath(String)
    case badKeyPath(String, reason: String)
    case valueNotYAML(String, reason: String)

    public var description: String {
        switch self {
        case let .missingEquals(argument): "--set \(argument): no `=`; allowed: \(SceneOverride.allowedForm)"
        case let .emptyKeyPath(argument): "--set \(argument): the key path before `=` is empty; allowed: \(SceneOverride.allowedForm)"
        case let .badKeyPath(argument, reason): "--set \(argument): \(reason); allowed: \(SceneOverride.allowedForm)"
        case let .valueNotYAML(argument, reason): "--set \(argument): the value is not YAML (\(reason)); quote it, like key='\"text\"'"
        }
    }
}

extension Scene {
    /// Reads a scene from YAML text with `overrides` set in it first (in order: a later one
    /// wins), checked exactly as the file's own keys are. Without overrides, `load(yaml:file:)`.
    public static func load(yaml text: String, file: String, overrides: [SceneOverride]) throws -> Scene {
        guard !overrides.isEmpty, let mapping = try overriddenMapping(yaml: text, file: file, overrides: overrides) else {
            return try load(yaml: text, file: file)
        }
        let reader = SceneReader()
        let scene = Scene(SceneObject(reader: reader, mapping: mapping, keyPath: ""))
        if let error = reader.error(file: file) { throw error }
        return scene
    }

    /// The scene file's text with `overrides` written into it: a file that reads (and renders)
    /// as `load(yaml:file:overrides:)` does, checked first so that a bad value is reported as
    /// it would be with `--set`. The file's comments and layout are not kept.
    public static func yaml(_ text: String, file: String, overrides: [SceneOverride]) throws -> String {
        _ = try load(yaml: text, file: file, overrides: overrides)
        guard !overrides.isEmpty, let mapping = try overriddenMapping(yaml: text, file: file, overrides: overrides) else { return text }
        return try Yams.serialize(node: .mapping(mapping), allowUnicode: true, sortKeys: false)
    }

    /// The document's root mapping with `overrides` set, or nil when the text is not a YAML
    /// mapping (the plain loader then reports it, as for the file alone).
    static func overriddenMapping(yaml text: String, file: String, overrides: [SceneOverride]) throws -> Node.Mapping? {
        guard let composed = try? Yams.compose(yaml: text), case .mapping = composed else { return nil }
        var root = composed
        // A scene without `sessions` has the default plan: an override of one of its sessions
        // changes that session of the default plan, so the plan is written out first. The days
        // alone read as the defaults (`readSessions` takes every other key from them by index).
        if case var .mapping(mapping) = root, mapping[Node("sessions")] == nil,
           overrides.contains(where: { $0.components.count > 1 && $0.components[0] == .key("sessions") }) {
            mapping[Node("sessions")] = Node(defaultSessions.map { Node([(Node("day"), Node(String($0.day)))]) })
            root = .mapping(mapping)
        }
        for override in overrides { root = try override.apply(to: root, file: file) }
        guard case let .mapping(mapping) = root else { return nil }
        return mapping
    }
}
