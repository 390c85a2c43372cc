#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file created under a temporary name in its destination's folder
/// (`.<name>.tmp-smp-<pid>-<random>`, ``UnfinishedFiles/temporaryName(for:)``) and renamed into place only by ``commit()``, so that a
/// failed or interrupted write never leaves a half-written file under the real name.
///
/// Discarded (descriptor closed, temporary file removed) by ``discard()``, by any
/// error in ``commit()``, and when deinitialised uncommitted. Errors are ``PNGError``s
/// naming the destination. Not thread-safe: one owner writes, then commits.
final class AtomicFile {
    /// Where the file appears on ``commit()``.
    let destination: URL
    /// Where the bytes are written until then.
    let temporaryURL: URL
    /// The open temporary file, writable; -1 once committed or discarded.
    private(set) var fileDescriptor: Int32

    private enum State { case open, committed, discarded }
    private var state = State.open

    /// Creates the temporary file (mode 0666 less the umask, like any new file).
    init(destination: URL) throws(PNGError) {
        let path = destination.path
        guard destination.isFileURL, !destination.lastPathComponent.isEmpty, !destination.hasDirectoryPath else {
            throw PNGError(.invalidArgument, .writing, path: path, reason: "the destination must be a file path, not a folder")
        }
        let folder = destination.deletingLastPathComponent()
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw PNGError(.fileSystem, .writing, path: path, reason: "a folder with that name already exists")
        }

        var attempt = 0
        while true {
            let candidate = folder.appendingPathComponent(UnfinishedFiles.temporaryName(for: destination.lastPathComponent))
            // Listed in `UnfinishedFiles` as it is created, so that a signal handler can remove it.
            let (descriptor, error) = UnfinishedFiles.create(candidate.path, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o666)
            if descriptor >= 0 {
                self.destination = destination
                self.temporaryURL = candidate
                self.fileDescriptor = descriptor
                return
            }
            if error == ECANCELED {
                throw PNGError(.fileSystem, .writing, path: path, reason: "the program is stopping; no new file is started")
            }
            attempt += 1
            if error == EEXIST && attempt < 16 { continue }
            if error == EINTR { continue }
            throw PNGError(.fileSystem, .writing, path: path,
                           reason: Self.creationFailure(errorNumber: error, folder: folder.path))
        }
    }

    deinit {
        if state == .open { discard() }
    }

    /// Makes the file durable (fsync), closes it and renames it to ``destination``,
    /// replacing any file there. On error the temporary file is removed.
    func commit() throws(PNGError) {
        guard state == .open else {
            throw PNGError(.misuse, .writing, path: destination.path, reason: "the file was already committed or discarded")
        }
        if fsync(fileDescriptor) != 0, errno != EINVAL {
            let reason = "cannot flush the file to disk: \(Self.text(errno))"
            discard()
            throw PNGError(.fileSystem, .writing, path: destination.path, reason: reason)
        }
        let closed = close(fileDescriptor)
        let closeError = errno
        fileDescriptor = -1
        if closed != 0 {
            discard()
            throw PNGError(.fileSystem, .writing, path: destination.path, reason: "cannot close the file: \(Self.text(closeError))")
        }
        if rename(temporaryURL.path, destination.path) != 0 {
            let reason = "cannot rename the finished file into place: \(Self.text(errno))"
            discard()
            throw PNGError(.fileSystem, .writing, path: destination.path, reason: reason)
        }
        state = .committed
        UnfinishedFiles.forget(temporaryURL.path)
        // Make the rename itself durable; a failure here loses nothing already visible.
        let folder = open(destination.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            _ = close(folder)
        }
    }

    /// Closes the descriptor and removes the temporary file. Safe to call more than once.
    func discard() {
        guard state == .open else { return }
        state = .discarded
        if fileDescriptor >= 0 {
            _ = close(fileDescriptor)
            fileDescriptor = -1
        }
        _ = unlink(temporaryURL.path)
        UnfinishedFiles.forget(temporaryURL.path)
    }

    /// What went wrong creating a file in `folder`, in words.
    private static func creationFailure(errorNumber: Int32, folder: String) -> String {
        switch errorNumber {
        case ENOENT:
            "the folder '\(folder)' does not exist; create it first"
        case ENOTDIR:
            "a component of the folder path '\(folder)' is a file, not a folder"
        default:
            "cannot create a file in the folder '\(folder)': \(text(errorNumber))"
        }
    }

    /// The C library's description of `errorNumber`.
    static func text(_ errorNumber: Int32) -> String {
        String(cString: strerror(errorNumber))
    }
}

/// Whole files written the way ``PNGWriter`` writes its PNGs: into a hidden temporary file in the
/// destination's folder, listed in ``UnfinishedFiles`` until renamed into place, so that a
/// failure or a stop on a signal leaves either the whole new file or none. For the small
/// outputs beside the images (a CSV table, a JSON report).
public enum AtomicFileOutput {
    public static func write(_ data: Data, to url: URL) throws(PNGError) {
        let file = try AtomicFile(destination: url)
        var failure: Int32 = 0
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(file.fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        guard failure == 0 else {
            file.discard()
            throw PNGError(.fileSystem, .writing, path: url.path, reason: "cannot write the file: \(AtomicFile.text(failure))")
        }
        try file.commit()
    }
}

/// The C library's `write`, named apart from the Swift methods called `write` in scope.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
