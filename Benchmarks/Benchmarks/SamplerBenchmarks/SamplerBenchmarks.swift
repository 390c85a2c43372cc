import Benchmark
import BenchmarkCases
import PoissonDisk

/// The sampler's performance targets (issue 3), single-threaded, release, for both methods
/// (`PoissonDiskMethod`):
/// uniform 100 dots/cm² over 1,000 cm²; a 0 → 100 ramp with holes over 1,000 cm²;
/// three layered sessions to 60 dots/cm² over 600 cm² (`SamplerCases`). Divide the dot count
/// printed in each name by the time for dots per second: the CPU time (10 ms resolution) is
/// the figure to compare on a shared machine, where wall-clock time also counts other processes.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(10),
        maxIterations: 20
    )

    for method in PoissonDiskMethod.allCases {
        let uniform = try! SamplerCases.uniform(method: method)
        // Also builds the tiled method's tile (once per process), outside the timed runs.
        let uniformCount = (try? PoissonDiskSampler.sample(uniform).count) ?? 0
        Benchmark("\(method): uniform 100 per cm2 over 1000 cm2 (\(uniformCount) dots)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try PoissonDiskSampler.sample(uniform))
            }
        }

        let varying = try! SamplerCases.ramp(method: method)
        let varyingCount = (try? PoissonDiskSampler.sample(varying).count) ?? 0
        Benchmark("\(method): ramp 0 to 100 with holes over 1000 cm2 (\(varyingCount) dots)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try PoissonDiskSampler.sample(varying))
            }
        }

        let layeredCount = (try? SamplerCases.threeSessions(method: method).count) ?? 0
        Benchmark("\(method): 3 sessions to 60 per cm2 over 600 cm2 (\(layeredCount) dots)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try SamplerCases.threeSessions(method: method))
            }
        }
    }
}
