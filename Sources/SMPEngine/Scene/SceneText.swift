import Foundation

/// A scene file's bytes as text: UTF-8, or a `SceneError.unreadable` that says where the first
/// byte that is not UTF-8 is (byte offset from 0, and its line and column), so that it can be
/// found in an editor or with `xxd -s OFFSET`.
public enum SceneText {
    public static func decode(_ bytes: Data, file: String) throws(SceneError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let offset = firstInvalidUTF8Offset(bytes) ?? 0
        var line = 1, lineStart = 0
        for (index, byte) in bytes.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let byte = String(bytes[bytes.startIndex + offset], radix: 16, uppercase: true)
        throw SceneError.unreadable(file: file, reason: "not UTF-8 text: byte 0x\(byte.count == 1 ? "0" + byte : byte) at byte offset \(offset) "
            + "(line \(line), byte \(offset - lineStart + 1) of the line) does not start a valid UTF-8 character; save the file as UTF-8")
    }

    /// The offset of the first byte where UTF-8 decoding fails; nil when all of `bytes` is valid.
    static func firstInvalidUTF8Offset(_ bytes: Data) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
