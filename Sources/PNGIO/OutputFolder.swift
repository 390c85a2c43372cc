#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A folder that one process writes its outputs into, held for as long as the value lives:
/// created if missing (with its parents), locked against a second writer, and cleared of the
/// temporary files that a killed writer left behind.
///
/// The lock is `flock` on the folder itself (an open descriptor of the directory), so it leaves
/// no lock file behind. A second ``claim(_:)`` on the same folder, from this process or another,
/// fails at once with ``OutputFolderError/busy(path:)`` instead of mixing its files with the
/// first one's: the caller refuses, it does not wait. The kernel drops the lock when the holder
/// exits, however it exits (a `SIGKILL` too), so a dead writer never blocks the folder.
public final class OutputFolder: @unchecked Sendable {
    /// The folder.
    public let url: URL
    /// The temporary files of earlier, killed writers that ``claim(_:)`` removed (names only).
    public let removedStaleFiles: [String]
    private let lockDescriptor: Int32

    private init(url: URL, removedStaleFiles: [String], lockDescriptor: Int32) {
        self.url = url
        self.removedStaleFiles = removedStaleFiles
        self.lockDescriptor = lockDescriptor
    }

    deinit { _ = close(lockDescriptor) }

    /// Creates `url` if needed, takes its lock and removes stale temporary files
    /// (``UnfinishedFiles/removeStale(in:)``).
    public static func claim(_ url: URL) throws(OutputFolderError) -> OutputFolder {
        let path = url.path
        if let reason = create(path) { throw .cannotCreate(path: path, reason: reason) }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotCreate(path: path, reason: "cannot open the folder: \(AtomicFile.text(errno))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            _ = close(descriptor)
            if error == EWOULDBLOCK { throw .busy(path: path) }
            throw .cannotCreate(path: path, reason: "cannot lock the folder: \(AtomicFile.text(error))")
        }
        let removed = UnfinishedFiles.removeStale(in: url)
        return OutputFolder(url: url, removedStaleFiles: removed, lockDescriptor: descriptor)
    }

    /// `mkdir -p`: nil when `path` is a folder now, else why not, in words, naming the part of
    /// the path that failed.
    static func create(_ path: String) -> String? {
        var status = stat()
        if stat(path, &status) == 0 {
            return (status.st_mode & S_IFMT) == S_IFDIR ? nil : "'\(path)' is a file, not a folder"
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, let reason = create(parent) { return reason }
        if mkdir(path, 0o777) != 0, errno != EEXIST {
            return "cannot create the folder '\(path)': \(AtomicFile.text(errno))"
        }
        return nil
    }
}

/// Why an output folder could not be had.
public enum OutputFolderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder (or one of its parents) could not be created, or is a file.
    case cannotCreate(path: String, reason: String)
    /// Another writer holds the folder's lock.
    case busy(path: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason):
            "cannot write into the output folder '\(path)': \(reason)"
        case let .busy(path):
            "the output folder '\(path)' is in use by another smp render; "
                + "wait for it to finish, or choose another folder with --out"
        }
    }
}
