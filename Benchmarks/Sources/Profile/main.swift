import BenchmarkCases
import Foundation
import PoissonDisk

/// One run of a benchmark case, for a profiler (the benchmark harness runs each case many times
/// in a process of its own). On this project's machines:
///
///     swift build -c release --product smp-profile
///     cp .build/release/smp-profile /tmp/p && strip --strip-debug /tmp/p   # valgrind 3.19 cannot read Swift's DWARF 5
///     valgrind --tool=callgrind /tmp/p render
///     callgrind_annotate --inclusive=yes callgrind.out.* | swift demangle --simplified | head -60
///
/// Cases: `uniform`, `ramp`, `layers` (the sampler's), `render` (the demo's after.png, one
/// thread: the instruction counts of the pixels alone, set-up included but no encoding).
/// `--repeat N` runs the case N times and prints the best wall time.
let arguments = Array(CommandLine.arguments.dropFirst())
let name = arguments.first ?? "uniform"
let repeats: Int
if let flag = arguments.firstIndex(of: "--repeat") {
    guard flag + 1 < arguments.count, let count = Int(arguments[flag + 1]), count >= 1 else {
        FileHandle.standardError.write(Data("smp-profile: --repeat needs a count of 1 or more\n".utf8))
        exit(64)
    }
    repeats = count
} else {
    repeats = 1
}

let run: () throws -> String
switch name {
case "uniform":
    let request = try SamplerCases.uniform()
    run = { "\(try PoissonDiskSampler.sample(request).count) dots" }
case "ramp":
    let request = try SamplerCases.ramp()
    run = { "\(try PoissonDiskSampler.sample(request).count) dots" }
case "layers":
    run = { "\(try SamplerCases.threeSessions().count) dots" }
case "render":
    let demo = try RenderCase()
    run = {
        demo.renderAll(threads: 1)
        return demo.size
    }
default:
    FileHandle.standardError.write(Data("smp-profile: unknown case \(name); allowed: uniform, ramp, layers, render\n".utf8))
    exit(64)
}
var best = Double.infinity, what = ""
for _ in 0..<repeats {
    let start = Date()
    what = try run()
    best = min(best, Date().timeIntervalSince(start))
}
print("\(name): \(what), best of \(repeats): \(String(format: "%.1f", best * 1000)) ms")
