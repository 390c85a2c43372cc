import Foundation
import Yams

/// Reads a YAML scene document key by key and collects every problem instead of stopping at
/// the first: a technician fixes a file in one pass. Each accessor takes the key, a default
/// (or nil for a required key) and the allowed range, and records an issue with the line,
/// column and key path when the value is wrong; `finish()` reports keys nobody asked for, with
/// a "did you mean" from the keys that were asked for.
///
/// A class because every nested reader appends to the same list of issues.
final class SceneReader {
    private(set) var issues: [SceneIssue] = []
    /// Issues found past `keptIssues`: counted, their messages never built.
    private(set) var unlisted = 0
    /// How many issues are kept with their text; a file with a million bad entries costs a count
    /// past these, not a million messages (some with a "did you mean" search each).
    static let keptIssues = 1_000

    func report(_ mark: Mark?, _ keyPath: @autoclosure () -> String, _ message: @autoclosure () -> String) {
        guard issues.count < SceneReader.keptIssues else {
            unlisted += 1
            return
        }
        issues.append(SceneIssue(line: mark?.line ?? 0, column: mark?.column ?? 0, keyPath: keyPath(), message: message()))
    }

    /// The issues as an error, or nil when there are none.
    func error(file: String) -> SceneError? {
        issues.isEmpty ? nil : .invalid(file: file, issues: issues, unlisted: unlisted)
    }

    /// Parses `text`; nil (with the issue recorded) when it is not YAML or not a mapping.
    func root(of text: String) -> SceneObject? {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            issues.append(SceneReader.issue(for: error, in: text))
            return nil
        } catch {
            report(nil, "", "not valid YAML: \(error)")
            return nil
        }
        guard let node else {
            report(nil, "", "the file is empty; a scene needs at least `name:` (see Scenes/demo.yaml)")
            return nil
        }
        guard case let .mapping(mapping) = node else {
            report(node.mark, "", "a scene file must be a mapping of keys (like `name: demo`), found \(SceneReader.kind(of: node))")
            return nil
        }
        return SceneObject(reader: self, mapping: mapping, keyPath: "")
    }

    /// A YAML syntax error as one issue: its line and column, the problem, and the line it is on
    /// (shortened), never the whole document (Yams's own description of a duplicated key
    /// carries the whole file).
    static func issue(for error: YamlError, in text: String) -> SceneIssue {
        func at(_ mark: Mark, _ message: String) -> SceneIssue {
            SceneIssue(line: mark.line, column: mark.column, keyPath: "", message: message + excerpt(of: text, line: mark.line, column: mark.column))
        }
        switch error {
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return at(context.mark, "not valid YAML: \(keys) appear\(duplicates.count == 1 ? "s" : "") more than once in one mapping "
                + "(the first is here); give each key once")
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return at(mark, "not valid YAML: \(problem)\(while_)")
        case let .reader(problem, offset, _, _):
            return SceneIssue(line: 0, column: 0, keyPath: "", message: "not valid YAML: \(problem)\(offset.map { " at byte offset \($0)" } ?? "")")
        default:
            return SceneIssue(line: 0, column: 0, keyPath: "", message: "not valid YAML: \(String(describing: error).prefix(200))")
        }
    }

    /// Line `line` of `text` (1-based) with a caret under `column`, at most 100 characters of
    /// it around the column; empty when there is no such line.
    static func excerpt(of text: String, line: Int, column: Int) -> String {
        guard line > 0, let content = text.split(separator: "\n", maxSplits: line, omittingEmptySubsequences: false).dropFirst(line - 1).first
        else { return "" }
        let characters = Array(content.prefix(100_000))
        let start = max(0, min(column - 1, characters.count) - 60)
        let end = min(characters.count, start + 100)
        let shown = (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
        let caret = max(0, column - 1 - start + (start > 0 ? 1 : 0))
        return "\n    " + shown + "\n    " + String(repeating: " ", count: caret) + "^"
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): "the value `\(scalar.string)`"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// One mapping in the scene document, read through a `SceneReader`.
final class SceneObject {
    let reader: SceneReader
    let mapping: Node.Mapping?
    let keyPath: String
    let mark: Mark?
    private var askedKeys: [String] = []

    init(reader: SceneReader, mapping: Node.Mapping?, keyPath: String) {
        self.reader = reader
        self.mapping = mapping
        self.keyPath = keyPath
        mark = mapping?.mark
    }

    func path(_ key: String) -> String { keyPath.isEmpty ? key : "\(keyPath).\(key)" }

    /// The node under `key`, remembering that the key belongs to the schema.
    func node(_ key: String) -> Node? {
        askedKeys.append(key)
        return mapping?[Node(key)]
    }

    func has(_ key: String) -> Bool { mapping?[Node(key)] != nil }

    /// A scalar's text, or nil with an issue when the node is a mapping or list.
    private func scalar(_ key: String, _ node: Node, expected: String) -> String? {
        guard case let .scalar(scalar) = node else {
            reader.report(node.mark, path(key), "expected \(expected), found \(SceneReader.kind(of: node))")
            return nil
        }
        return scalar.string
    }

    /// A number in `range`. Missing: `defaultValue`, or an issue when nil (required).
    func number(_ key: String, default defaultValue: Double?, in range: ClosedRange<Double>, unit: String = "") -> Double {
        let fallback = defaultValue ?? range.lowerBound
        guard let node = node(key) else {
            if defaultValue == nil { reader.report(mark, path(key), "required: a number from \(SceneObject.format(range, unit))") }
            return fallback
        }
        guard let text = scalar(key, node, expected: "a number from \(SceneObject.format(range, unit))") else { return fallback }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)) ?? SceneObject.yamlFloat(text) else {
            reader.report(node.mark, path(key), "`\(text)` is not a number; allowed: \(SceneObject.format(range, unit))")
            return fallback
        }
        guard value.isFinite else {
            reader.report(node.mark, path(key), "`\(text)` is not a finite number; allowed: \(SceneObject.format(range, unit))")
            return fallback
        }
        guard range.contains(value) else {
            reader.report(node.mark, path(key), "\(SceneObject.format(value, unit)) is out of range; allowed: \(SceneObject.format(range, unit))")
            return fallback
        }
        return value
    }

    /// A number in `range`, or nil when the key is absent (an optional setting).
    func optionalNumber(_ key: String, in range: ClosedRange<Double>, unit: String = "") -> Double? {
        guard has(key) else {
            askedKeys.append(key)
            return nil
        }
        return number(key, default: range.lowerBound, in: range, unit: unit)
    }

    /// A whole number in `range`.
    func integer(_ key: String, default defaultValue: Int?, in range: ClosedRange<Int>) -> Int {
        let fallback = defaultValue ?? range.lowerBound
        guard let node = node(key) else {
            if defaultValue == nil { reader.report(mark, path(key), "required: a whole number from \(range.lowerBound) to \(range.upperBound)") }
            return fallback
        }
        guard let text = scalar(key, node, expected: "a whole number"), let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            reader.report(node.mark, path(key), "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(SceneReader.kind(of: node))")
            return fallback
        }
        guard range.contains(value) else {
            reader.report(node.mark, path(key), "\(value) is out of range; allowed: \(range.lowerBound) to \(range.upperBound)")
            return fallback
        }
        return value
    }

    /// A 64-bit seed: any whole number from 0 to 2⁶⁴ − 1.
    func seed(_ key: String, default defaultValue: UInt64) -> UInt64 {
        guard let node = node(key) else { return defaultValue }
        guard let text = scalar(key, node, expected: "a whole number"), let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            reader.report(node.mark, path(key), "expected a whole number from 0 to \(UInt64.max), found \(SceneReader.kind(of: node))")
            return defaultValue
        }
        return value
    }

    func string(_ key: String, default defaultValue: String?, pattern: String? = nil, allowed: String = "") -> String {
        let fallback = defaultValue ?? ""
        guard let node = node(key) else {
            if defaultValue == nil { reader.report(mark, path(key), "required: a text value\(allowed.isEmpty ? "" : " (\(allowed))")") }
            return fallback
        }
        guard let text = scalar(key, node, expected: "a text value") else { return fallback }
        if let pattern, text.range(of: pattern, options: .regularExpression) == nil {
            reader.report(node.mark, path(key), "`\(text)` is not allowed; allowed: \(allowed)")
            return fallback
        }
        return text
    }

    /// One of `choices` (a closed list of words).
    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: Choice) -> Choice where Choice.RawValue == String {
        guard let node = node(key) else { return defaultValue }
        let names = Choice.allCases.map(\.rawValue)
        guard let text = scalar(key, node, expected: "one of \(names.joined(separator: ", "))") else { return defaultValue }
        guard let value = Choice(rawValue: text) else {
            let hint = SceneObject.suggestion(for: text, among: names).map { " (did you mean `\($0)`?)" } ?? ""
            reader.report(node.mark, path(key), "`\(text)` is not one of \(names.joined(separator: ", "))\(hint)")
            return defaultValue
        }
        return value
    }

    /// An sRGB colour written `#rrggbb`.
    func color(_ key: String, default defaultValue: SRGBColor) -> SRGBColor {
        guard let node = node(key) else { return defaultValue }
        guard let text = scalar(key, node, expected: "a colour like \"#d7bd96\""), let color = SRGBColor(hex: text) else {
            reader.report(node.mark, path(key), "expected an sRGB colour written \"#rrggbb\" (in quotes), like \"#d7bd96\"")
            return defaultValue
        }
        return color
    }

    /// A list of text values, each checked by `parse` (nil: report `allowed`). Missing: nil.
    func stringList<Value>(_ key: String, allowed: String, parse: (String) -> Value?) -> [Value]? {
        guard let node = node(key) else { return nil }
        guard case let .sequence(sequence) = node else {
            reader.report(node.mark, path(key), "expected a list like [\"healed\", \"5y\"], found \(SceneReader.kind(of: node))")
            return nil
        }
        var values: [Value] = []
        for (index, element) in sequence.enumerated() {
            guard case let .scalar(scalar) = element, let value = parse(scalar.string) else {
                reader.report(element.mark, "\(path(key))[\(index)]", "`\(element.string ?? SceneReader.kind(of: element))` is not allowed; allowed: \(allowed)")
                continue
            }
            values.append(value)
        }
        return values
    }

    /// The mapping under `key`; an empty one (all defaults) when the key is missing.
    func object(_ key: String) -> SceneObject {
        guard let node = node(key) else { return SceneObject(reader: reader, mapping: nil, keyPath: path(key)) }
        guard case let .mapping(mapping) = node else {
            reader.report(node.mark, path(key), "expected a mapping of keys, found \(SceneReader.kind(of: node))")
            return SceneObject(reader: reader, mapping: nil, keyPath: path(key))
        }
        return SceneObject(reader: reader, mapping: mapping, keyPath: path(key))
    }

    /// The list of mappings under `key` (empty when missing).
    func list(_ key: String) -> [SceneObject] {
        guard let node = node(key) else { return [] }
        guard case let .sequence(sequence) = node else {
            reader.report(node.mark, path(key), "expected a list (lines starting with `- `), found \(SceneReader.kind(of: node))")
            return []
        }
        return sequence.enumerated().compactMap { index, element in
            guard case let .mapping(mapping) = element else {
                reader.report(element.mark, "\(path(key))[\(index)]", "expected a mapping of keys, found \(SceneReader.kind(of: element))")
                return nil
            }
            return SceneObject(reader: reader, mapping: mapping, keyPath: "\(path(key))[\(index)]")
        }
    }

    /// Reports every key that no accessor asked for: a typo or a key from another place.
    func finish() {
        guard let mapping else { return }
        for (keyNode, _) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            guard !askedKeys.contains(key) else { continue }
            let hint = SceneObject.suggestion(for: key, among: askedKeys).map { "; did you mean `\($0)`?" } ?? ""
            let known = askedKeys.isEmpty ? "" : " Known here: \(askedKeys.joined(separator: ", "))."
            reader.report(keyNode.mark, path(key), "unknown key\(hint).\(known)")
        }
    }

    // MARK: Helpers

    /// YAML 1.2's spellings of the special floats, which Double(_:) does not read.
    static func yamlFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case ".nan": .nan
        case ".inf", "+.inf": .infinity
        case "-.inf": -.infinity
        default: nil
        }
    }

    static func format(_ value: Double, _ unit: String) -> String {
        let number = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        return unit.isEmpty ? number : "\(number) \(unit)"
    }

    static func format(_ range: ClosedRange<Double>, _ unit: String) -> String {
        "\(format(range.lowerBound, "")) to \(format(range.upperBound, unit))"
    }

    /// The closest known word within an edit distance of a third of its length (at least 2).
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
