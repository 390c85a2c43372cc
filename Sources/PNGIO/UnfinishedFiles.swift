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
/// files it had finished.
///
/// A `SIGKILL` cannot be caught: its temporary files stay, until a later writer claims the
/// folder (``OutputFolder/claim(_:)``) and removes them with ``removeStale(in:)``. For that a
/// temporary file's name says whose it is: `.<name>.tmp-smp-<process id>-<random hex>`.
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

    /// The hidden temporary name for `fileName` in this process: `.<fileName>.tmp-smp-<pid>-<hex>`.
    static func temporaryName(for fileName: String) -> String {
        ".\(fileName).tmp-smp-\(getpid())-\(String(UInt64.random(in: .min ... .max), radix: 16))"
    }

    /// Whether `name` is the temporary file of a writer that can no longer finish it: named
    /// by ``temporaryName(for:)`` for a process that no longer exists, or for another process
    /// and last modified before this one started (its process id reused since). Names in the
    /// form before process ids were added (`.<name>.tmp-<hex>`) count when they are older than
    /// this process. Files listed as this process's own are never stale.
    static func isStale(name: String, modified: Date, processStart: Date, isAlive: (Int32) -> Bool) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards),
              marker.lowerBound > name.index(after: name.startIndex) else { return false }
        let tail = name[marker.upperBound...]
        if tail.hasPrefix("smp-") {
            let parts = tail.dropFirst(4).split(separator: "-")
            guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, UInt64(parts[1], radix: 16) != nil else { return false }
            if pid == getpid() { return false }
            return !isAlive(pid) || modified < processStart
        }
        guard !tail.isEmpty, UInt64(tail, radix: 16) != nil else { return false }
        return modified < processStart
    }

    /// Removes the stale temporary files (``isStale(name:modified:processStart:isAlive:)``) in
    /// `folder` and returns their names. For a writer that holds the folder's lock.
    static func removeStale(in folder: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let own = lock.withLock { paths }
        let start = processStart
        var removed: [String] = []
        for name in names.sorted() {
            let path = folder.appendingPathComponent(name).path
            var status = stat()
            guard !own.contains(path), lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
            guard isStale(name: name, modified: modified, processStart: start, isAlive: processExists) else { continue }
            if unlink(path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// Whether a process with this id exists (it may belong to another user).
    static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// When this process started: from /proc on Linux (boot time + start ticks), else the first
    /// time it is asked.
    static let processStart: Date = {
        #if os(Linux)
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let close = stat.range(of: ")", options: .backwards),
           let system = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
           let bootLine = system.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
           let boot = Double(bootLine.dropFirst(6).trimmingCharacters(in: .whitespaces)) {
            // Fields after the command name start at field 3 (state); starttime is field 22.
            let fields = stat[close.upperBound...].split(separator: " ")
            if fields.count > 19, let ticks = Double(fields[19]) {
                return Date(timeIntervalSince1970: boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK))))
            }
        }
        #endif
        return Date()
    }()
}
