import PNGShim

extension PNGError {
    /// A buffer for the shim's messages.
    static func messageBuffer() -> [CChar] {
        [CChar](repeating: 0, count: Int(PNGSHIM_MESSAGE_CAPACITY))
    }

    /// The error for a failed shim call: its code mapped to a kind, its message kept.
    init(shimCode code: Int32, _ operation: Operation, path: String, message buffer: [CChar]) {
        let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch code {
        case PNGSHIM_ERR_IO:
            self.init(.fileSystem, operation, path: path, reason: message)
        case PNGSHIM_ERR_TRUNCATED:
            self.init(.truncated, operation, path: path,
                      reason: "the file is truncated: it ends before the PNG does (\(message))")
        case PNGSHIM_ERR_NOT_PNG:
            self.init(.notPNG, operation, path: path,
                      reason: "the file is not a PNG: it does not start with the 8-byte PNG signature")
        case PNGSHIM_ERR_EMPTY:
            self.init(.notPNG, operation, path: path, reason: "the file is empty (0 bytes), not a PNG")
        case PNGSHIM_ERR_CORRUPT:
            self.init(.corrupt, operation, path: path, reason: "the file is not a valid PNG: \(message)")
        case PNGSHIM_ERR_NO_MEMORY:
            self.init(.outOfMemory, operation, path: path, reason: message)
        case PNGSHIM_ERR_USAGE:
            self.init(.misuse, operation, path: path, reason: message)
        default: // PNGSHIM_ERR_LIBPNG
            switch operation {
            case .reading:
                self.init(.corrupt, operation, path: path,
                          reason: "the PNG data is damaged or invalid", libpngMessage: message)
            case .writing:
                self.init(.invalidArgument, operation, path: path,
                          reason: "libpng could not encode the image", libpngMessage: message)
            }
        }
    }
}
