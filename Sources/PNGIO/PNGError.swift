/// Why reading or writing a PNG failed: what was wrong, in which file, what is allowed.
///
/// `description` is a complete sentence for a user, e.g.
/// `cannot read PNG '/photos/a.png': the file is truncated (it ends before the PNG does)`.
/// `kind` lets a caller map the failure to an exit code without parsing text.
public struct PNGError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The class of failure.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A file-system call failed: missing folder, a path component that is a file, disk full...
        case fileSystem
        /// The file is empty or does not start with the PNG signature.
        case notPNG
        /// The file ends before the PNG does.
        case truncated
        /// The PNG data is invalid: bad CRC, bad compressed data, invalid header, zero size...
        case corrupt
        /// The image has more pixels than the reader's limit allows.
        case tooLarge
        /// An argument is outside what PNG or this library allows (size, text key, scale...).
        case invalidArgument
        /// The writer was used out of order: too many rows, a partial row, finishing early, reuse after failure.
        case misuse
        /// Memory for libpng's structures or for the pixels could not be had.
        case outOfMemory
    }

    /// Whether the file was being read or written.
    public enum Operation: String, Sendable, Equatable {
        case reading
        case writing
    }

    /// The class of failure.
    public var kind: Kind
    /// Whether the file was being read or written.
    public var operation: Operation
    /// The file the operation was about (the destination when writing, not its temporary name).
    public var path: String
    /// What was wrong and, where it helps, what is allowed.
    public var reason: String
    /// libpng's own message, when libpng reported the problem.
    public var libpngMessage: String?

    public init(_ kind: Kind, _ operation: Operation, path: String, reason: String, libpngMessage: String? = nil) {
        self.kind = kind
        self.operation = operation
        self.path = path
        self.reason = reason
        self.libpngMessage = libpngMessage
    }

    public var description: String {
        let verb = operation == .reading ? "read" : "write"
        var text = "cannot \(verb) PNG '\(path)': \(reason)"
        if let libpngMessage, !libpngMessage.isEmpty {
            text += " (libpng: \(libpngMessage))"
        }
        return text
    }
}
