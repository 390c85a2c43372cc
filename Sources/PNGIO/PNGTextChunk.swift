/// One key–value text chunk of a PNG, e.g. `Software`, `Scene`, `Seed`.
///
/// Keys are 1–79 Latin-1 characters (printable, no leading, trailing or double
/// spaces), as the PNG specification requires. The writer stores a value that is
/// Latin-1 in a `tEXt` chunk and any other value in an uncompressed `iTXt` chunk
/// (UTF-8); the reader returns the text of `tEXt`, `zTXt` and `iTXt` chunks.
public struct PNGTextChunk: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The keyword.
    public var key: String
    /// The text; may contain newlines, not NUL.
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    public var description: String { "\(key): \(value)" }

    /// The rule a key must follow, for error messages.
    static let keyRule = "keys are 1–79 Latin-1 characters: printable, without leading, trailing or consecutive spaces"

    /// The key's Latin-1 bytes, or nil when the key breaks the PNG rules.
    var latin1Key: [UInt8]? {
        guard let bytes = Self.latin1(key), (1...79).contains(bytes.count) else { return nil }
        // Printable Latin-1: 32...126 and 161...255 (PNG specification, 11.3.4.2).
        guard bytes.allSatisfy({ (32...126).contains($0) || $0 >= 161 }) else { return nil }
        guard bytes.first != 32, bytes.last != 32 else { return nil }
        for index in bytes.indices.dropFirst() where bytes[index] == 32 && bytes[index - 1] == 32 {
            return nil
        }
        return bytes
    }

    /// The key and value as NUL-free bytes for the shim: the value in Latin-1 when it
    /// can be, else in UTF-8 (`utf8` true, written as iTXt).
    func encoded(path: String) throws(PNGError) -> (key: [UInt8], value: [UInt8], utf8: Bool) {
        guard let keyBytes = latin1Key else {
            throw PNGError(.invalidArgument, .writing, path: path,
                           reason: "text key \(Self.quoted(key)) is not allowed: \(Self.keyRule)")
        }
        guard !value.unicodeScalars.contains("\0") else {
            throw PNGError(.invalidArgument, .writing, path: path,
                           reason: "the text for key '\(key)' contains a NUL character, which PNG text cannot hold")
        }
        if let latin1 = Self.latin1(value) {
            return (keyBytes, latin1, false)
        }
        return (keyBytes, Array(value.utf8), true)
    }

    /// Latin-1 bytes of `text`, or nil if a character is outside Latin-1.
    static func latin1(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    /// The string whose Latin-1 encoding is `bytes`.
    static func string(latin1 bytes: some Sequence<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// `text` quoted for a message, with control characters made visible.
    static func quoted(_ text: String) -> String {
        "'" + text.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "'"
    }
}
