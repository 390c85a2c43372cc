#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The temporary files of this process's ``AtomicFile``s that are not yet committed or
/// discarded, so that a program stopped from outside (Ctrl-C, a `kill`) can remove them before
/// it exits: an interrupted render then leaves no hidden `.<name>.tmp-…` file behind, only the
/// files it had finished. (A `SIGKILL` cannot be caught; its temporary files stay.)
public enum UnfinishedFiles {
    // A lock rather than Synchronization's Mutex, which needs macOS 15.
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []
    nonisolated(unsafe) private static var closed = false

    /// Creates a file at `path` with `open`'s flags and mode and lists it, unless the process
    /// is stopping (`removeAll` has run): then −1 and ECANCELED. One step under the lock, so no
    /// file is created after `removeAll` and missed by it.
    static func create(_ path: String, flags: Int32, mode: mode_t) -> (descriptor: Int32, error: Int32) {
        lock.withLock {
            guard !closed else { return (-1, ECANCELED) }
            let descriptor = open(path, flags, mode)
            if descriptor < 0 { return (descriptor, errno) }
            paths.insert(path)
            return (descriptor, 0)
        }
    }

    /// The file at `path` is committed or gone: no longer listed.
    static func forget(_ path: String) {
        _ = lock.withLock { paths.remove(path) }
    }

    /// Removes every listed file and refuses new ones from now on. Returns how many it removed.
    /// For a process about to exit on a signal.
    @discardableResult
    public static func removeAll() -> Int {
        lock.withLock {
            closed = true
            let removed = paths.filter { unlink($0) == 0 }.count
            paths.removeAll()
            return removed
        }
    }

    /// Whether `removeAll` has run: the process is stopping.
    public static var isStopping: Bool { lock.withLock { closed } }
}
