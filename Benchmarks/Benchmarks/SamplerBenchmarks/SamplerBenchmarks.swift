import Benchmark
import PoissonDisk

/// The sampler's performance targets (issue 3), single-threaded, release:
/// uniform 100 dots/cm² over 1,000 cm²; a 0 → 100 ramp with holes over 1,000 cm²;
/// three layered sessions to 60 dots/cm² over 600 cm². Divide the dot count printed in each
/// name by the time for dots per second: the CPU time (10 ms resolution) is the figure to
/// compare on a shared machine, where wall-clock time also counts other processes.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(10),
        maxIterations: 20
    )

    let thousandCM2 = RectMM(minXMM: 0, minYMM: 0, widthMM: 316.23, heightMM: 316.23)
    let uniform = PoissonDiskRequest(bounds: thousandCM2, density: try! .uniform(100, over: thousandCM2), seed: 1)
    let uniformCount = (try? PoissonDiskSampler.sample(uniform).count) ?? 0
    Benchmark("uniform 100 per cm2 over 1000 cm2 (\(uniformCount) dots)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try PoissonDiskSampler.sample(uniform))
        }
    }

    // Density rising 0 → 100 across the area, with a 10 mm hole every 50 mm (a mask).
    let ramp = try! DensityRaster(covering: thousandCM2, cellSizeMM: 0.5) { x, y in
        let dx = x.truncatingRemainder(dividingBy: 50) - 25, dy = y.truncatingRemainder(dividingBy: 50) - 25
        return dx * dx + dy * dy < 100 ? 0 : 100 * x / thousandCM2.widthMM
    }
    let varying = PoissonDiskRequest(bounds: thousandCM2, density: ramp, seed: 1)
    let varyingCount = (try? PoissonDiskSampler.sample(varying).count) ?? 0
    Benchmark("ramp 0 to 100 with holes over 1000 cm2 (\(varyingCount) dots)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try PoissonDiskSampler.sample(varying))
        }
    }

    let scalp = RectMM(minXMM: 0, minYMM: 0, widthMM: 244.95, heightMM: 244.95)
    func threeSessions() throws -> [PoissonDot] {
        var dots: [PoissonDot] = []
        for (index, target) in [20.0, 40, 60].enumerated() {
            let request = PoissonDiskRequest(bounds: scalp, density: try .uniform(target, over: scalp), seed: 1, layer: index + 1)
            dots += try PoissonDiskSampler.sample(request, existing: dots)
        }
        return dots
    }
    let layeredCount = (try? threeSessions().count) ?? 0
    Benchmark("3 sessions to 60 per cm2 over 600 cm2 (\(layeredCount) dots)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try threeSessions())
        }
    }
}
