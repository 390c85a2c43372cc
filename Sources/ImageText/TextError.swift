/// What went wrong loading a font or drawing text, with what was asked and what is allowed.
public enum TextError: Error, Equatable, CustomStringConvertible {
    /// The font file does not exist; `package` names the Debian package that installs it, if known.
    case fontMissing(path: String, package: String?)
    /// The file exists but cannot be read (permissions, a directory...).
    case fontUnreadable(path: String, reason: String)
    /// FreeType does not recognise the file as a font.
    case notAFont(path: String)
    /// The font has no Unicode character map, so text cannot be looked up in it.
    case noUnicodeMap(path: String)
    /// FreeType failed on a font it had opened (the message is FreeType's).
    case freeType(path: String, message: String)
    /// A number outside what the drawing functions accept.
    case outOfRange(name: String, value: String, allowed: String)

    public var description: String {
        switch self {
        case let .fontMissing(path, package?):
            return "font file \(path) not found; install Debian's \(package) (apt-get install \(package))"
        case let .fontMissing(path, nil):
            return "font file \(path) not found"
        case let .fontUnreadable(path, reason):
            return "font file \(path) cannot be read: \(reason)"
        case let .notAFont(path):
            return "\(path) is not a font FreeType can read (TrueType, OpenType, Type 1...)"
        case let .noUnicodeMap(path):
            return "font \(path) has no Unicode character map; use a Unicode font such as DejaVu Sans"
        case let .freeType(path, message):
            return "FreeType failed on font \(path): \(message)"
        case let .outOfRange(name, value, allowed):
            return "\(name) \(value) is out of range; allowed: \(allowed)"
        }
    }
}
