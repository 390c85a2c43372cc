import Benchmark
import BenchmarkCases
import Foundation
import SMPEngine

/// The live page's re-render after one change (issue 21: median under 150 ms at the page's
/// size), release, both cores: the demo scene previewed at 640 px by a warm `PreviewRenderer`,
/// encoded as `smp serve` sends it. `smp-preview-latency` prints the same cases' p95.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(15), maxIterations: 40)
    let threads = ProcessInfo.processInfo.activeProcessorCount
    Benchmark("preview 640 px map, density changed") { benchmark in
        let preview = try PreviewCase(threads: threads)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { try preview.changeDensity() }
    }
    Benchmark("preview 640 px map, time changed") { benchmark in
        let preview = try PreviewCase(threads: threads)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { try preview.changeTime() }
    }
}
