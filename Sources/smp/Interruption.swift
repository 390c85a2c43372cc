import Dispatch
import Foundation
import PNGIO

/// Ctrl-C, `kill` or a closed terminal while `smp` writes files: the unfinished ones (hidden
/// temporary files, `UnfinishedFiles`) are removed and the finished ones kept, then `smp` exits
/// with 128 + the signal's number (130 for Ctrl-C), as shells expect of a program stopped by a
/// signal. Without this an interrupted render left its hidden `.<name>.tmp-…` files behind.
enum Interruption {
    /// The signal sources must live as long as the process.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func removeUnfinishedFilesOnSignal() {
        guard sources.isEmpty else { return }
        for number in [SIGINT, SIGTERM, SIGHUP] {
            // Ignored as a signal, so that only the dispatch source sees it. A signal ignored by
            // whoever started smp (`nohup`, a shell's background job) stays ignored.
            let previous = signal(number, SIG_IGN)
            if bitPattern(previous) == bitPattern(SIG_IGN) { continue }
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let removed = UnfinishedFiles.removeAll()
                let files = removed == 1 ? "1 unfinished file" : "\(removed) unfinished files"
                FileHandle.standardError.write(Data("\nsmp: stopped by signal \(number); removed \(files), kept the finished ones\n".utf8))
                exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// A signal disposition (a C function pointer, `__sighandler_t` on Linux and `sig_t` on
    /// macOS) as a number: those are not comparable in Swift.
    private static func bitPattern<Handler>(_ handler: Handler) -> Int { unsafeBitCast(handler, to: Int.self) }
}
