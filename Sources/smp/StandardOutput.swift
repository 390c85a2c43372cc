#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output, written with `write(2)` so that a failure (a full disk, `> /dev/full`, a
/// closed pipe) is seen and reported instead of lost: `print` buffers and drops the error, and
/// `FileHandle.write(_: Data)` stops the process on it.
enum StandardOutput {
    /// Writes all of `text`, or throws naming the reason.
    static func write(_ text: String) throws(StandardOutputError) {
        if let error = writeAll(text, to: STDOUT_FILENO) { throw StandardOutputError(errorNumber: error) }
    }

    /// Writes `lines`, each ending in a newline, in one go.
    static func write(lines: [String]) throws(StandardOutputError) {
        try write(lines.map { $0 + "\n" }.joined())
    }
}

/// Standard output could not be written: exit 74 (EX_IOERR).
struct StandardOutputError: Error, CustomStringConvertible {
    var errorNumber: Int32
    var description: String { "cannot write to standard output: \(String(cString: strerror(errorNumber)))" }
}

/// Writes all of `text` to `descriptor`: nil, or the `errno` of the write that failed.
func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
    var text = text
    return text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }
}

/// The C library's `write`, named apart from `StandardOutput.write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
