/// Why a photo could not be read: what was wrong, in which file, and what is allowed.
///
/// `description` is a complete sentence, e.g. `cannot read photo 'in/a.heic': it is a HEIC/HEIF
/// image; supported: JPEG (.jpg, .jpeg) and PNG (.png), 8-bit RGB or greyscale (PNG also 16-bit)`.
public struct PhotoError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The file is missing, a folder, or cannot be read.
        case unreadable
        /// A format or a kind of JPEG we do not read (HEIC, CMYK, 12-bit...).
        case unsupported
        /// The file ends before the image does.
        case truncated
        /// The data is not a valid image.
        case corrupt
        /// Too many pixels, or too few to be a photo.
        case badSize
    }

    public var kind: Kind
    public var path: String
    public var reason: String

    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    /// The formats `PhotoReader` reads, as an error message lists them.
    public static let supportedFormats = "JPEG (.jpg, .jpeg: 8-bit RGB or greyscale, baseline or progressive) and PNG (.png, 8 or 16 bits)"

    public var description: String { "cannot read photo '\(path)': \(reason)" }
}
