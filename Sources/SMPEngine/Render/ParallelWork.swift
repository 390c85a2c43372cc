import Foundation

/// Work items `0..<count` done on several threads: each item is claimed once, in order, and its
/// output stored in its place, so the outputs do not depend on the thread count.
enum ParallelWork {
    /// `make(i)` for every `i` in `0..<count`, `threads` at a time. No item is claimed once
    /// `proceed()` turns false or an output for which `stops` is true has been recorded: such
    /// items stay nil (`proceed` lets a superseded render stop, `stops` a failed one).
    static func map<Output>(count: Int, threads: Int, while proceed: @Sendable () -> Bool = { true },
                            stoppingAfter stops: @Sendable (Output) -> Bool = { _ in false },
                            _ make: @Sendable (Int) -> Output) -> [Output?] {
        let slots = Slots<Output>(count: count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
            while proceed(), let index = slots.claimNext() {
                let output = make(index)
                slots.record(index, output, stops: stops(output))
            }
        }
        return slots.all
    }

    private final class Slots<Output>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var stopped = false
        private var outputs: [Output?]

        init(count: Int) { outputs = Array(repeating: nil, count: count) }

        func claimNext() -> Int? {
            lock.withLock {
                guard !stopped, next < outputs.count else { return nil }
                next += 1
                return next - 1
            }
        }

        func record(_ index: Int, _ output: Output, stops: Bool) {
            lock.withLock {
                outputs[index] = output
                if stops { stopped = true }
            }
        }

        var all: [Output?] { lock.withLock { outputs } }
    }
}

extension Result {
    /// Whether this is a failure: `ParallelWork.map`'s `stoppingAfter` for work that throws.
    var isFailure: Bool {
        if case .failure = self { true } else { false }
    }
}
