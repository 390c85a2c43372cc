import BenchmarkCases
import Foundation
import PoissonDisk
import SMPEngine

/// One run of a benchmark case, for a profiler (the benchmark harness runs each case many times
/// in a process of its own). On this project's machines:
///
///     swift build -c release --product smp-profile
///     cp .build/release/smp-profile /tmp/p && strip --strip-debug /tmp/p   # valgrind 3.19 cannot read Swift's DWARF 5
///     valgrind --tool=callgrind /tmp/p render
///     callgrind_annotate --inclusive=yes callgrind.out.* | swift demangle --simplified | head -60
///
/// Cases: `uniform`, `ramp`, `layers` (the sampler's), `render` (the demo's after.png, one
/// thread: the instruction counts of the pixels alone, set-up included but no encoding),
/// `end-to-end` (after.png rendered and written with the `fast` preset on `--threads N`,
/// default 2), `libpng` (the same pixels, rendered once beforehand, encoded by libpng alone at
/// level 1 without filters on one core), `versus` (the two timed back to back in every
/// repeat, each reported as its best, with their ratio: the issue-24 target).
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

let threads: Int
if let flag = arguments.firstIndex(of: "--threads") {
    guard flag + 1 < arguments.count, let count = Int(arguments[flag + 1]), count >= 1 else {
        FileHandle.standardError.write(Data("smp-profile: --threads needs a count of 1 or more\n".utf8))
        exit(64)
    }
    threads = count
} else {
    threads = 2
}
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("smp-profile-\(getpid())")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

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
case "end-to-end":
    let demo = try RenderCase()
    run = {
        _ = try BandedPNGOutput.write(demo.after, to: scratch.appendingPathComponent("after.png"), threads: threads,
                                      software: "bench", text: [], compression: .fast)
        return "\(demo.size), \(threads) threads"
    }
case "libpng":
    let demo = try RenderCase()
    let pixels = demo.pixels()
    run = {
        try demo.encode(pixels, to: scratch.appendingPathComponent("libpng.png"), settings: RenderCase.libpngFastest,
                        encoder: .libpng)
        return demo.size
    }
case "versus":
    let demo = try RenderCase()
    let pixels = demo.pixels()
    var bestEndToEnd = Double.infinity, bestLibpng = Double.infinity
    run = {
        var start = Date()
        _ = try BandedPNGOutput.write(demo.after, to: scratch.appendingPathComponent("after.png"), threads: threads,
                                      software: "bench", text: [], compression: .fast)
        bestEndToEnd = min(bestEndToEnd, Date().timeIntervalSince(start))
        start = Date()
        try demo.encode(pixels, to: scratch.appendingPathComponent("libpng.png"), settings: RenderCase.libpngFastest,
                        encoder: .libpng)
        bestLibpng = min(bestLibpng, Date().timeIntervalSince(start))
        return String(format: "%@, %d threads: end to end %.1f ms, libpng level 1 no filter %.1f ms, ratio %.3f",
                      demo.size, threads, bestEndToEnd * 1000, bestLibpng * 1000, bestEndToEnd / bestLibpng)
    }
default:
    FileHandle.standardError.write(Data("smp-profile: unknown case \(name); allowed: uniform, ramp, layers, render, end-to-end, libpng, versus\n".utf8))
    exit(64)
}
var best = Double.infinity, what = ""
for _ in 0..<repeats {
    let start = Date()
    what = try run()
    best = min(best, Date().timeIntervalSince(start))
}
print("\(name): \(what), best of \(repeats): \(String(format: "%.1f", best * 1000)) ms")
