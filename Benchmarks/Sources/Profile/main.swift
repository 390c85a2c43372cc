import Dispatch
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
/// repeat, each reported as its best, with their ratio: the issue-24 target), `view` (the
/// demo's front view after treatment, 1600 × 1600, written with the `fast` preset on
/// `--threads N`, its texture built beforehand: the issue-19 target) and `view-texture` (that
/// texture built), `view-rays [VIEW]` (that view's rays met with the head one by one, through
/// its per-view cull, the time per outcome: miss, hit, and either on an edge), `preview
/// [map|VIEW] [time|density]` (the live page's re-render after one change, 640 px, on
/// `--threads N`: `smp-preview-latency`'s case, its view traced and surface built beforehand).
/// `--repeat N` runs the case N times and prints the best wall time; `--out FILE` keeps the
/// `view` case's PNG.
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
case "view":
    let view = try HeadViewCase(arguments.count > 1 ? HeadViewName(rawValue: arguments[1]) ?? .front : .front)  // any view by name
    // `--out FILE` keeps the view's PNG, to look at or to compare two builds' pixels.
    let out = arguments.firstIndex(of: "--out").flatMap { $0 + 1 < arguments.count ? URL(fileURLWithPath: arguments[$0 + 1]) : nil }
    run = {
        _ = try BandedPNGOutput.write(view.view, to: out ?? scratch.appendingPathComponent("view.png"), threads: threads,
                                      software: "bench", text: [], compression: .fast)
        return "\(arguments.count > 1 ? arguments[1] : "front") view after, \(view.size), \(threads) threads"
    }
case "view-rays":
    let view = try HeadViewCase(arguments.count > 1 ? HeadViewName(rawValue: arguments[1]) ?? .front : .front).view
    run = {
        var time = [0.0, 0.0, 0.0, 0.0], count = [0, 0, 0, 0]
        var starts: [Double] = []
        for row in 0..<view.heightPixels {
            // Each ray started at its tile's cone, as a traced view's are.
            if row % HeadViewGeometry.tilePixels == 0 { starts = view.geometry.tileStarts(tileRow: row / HeadViewGeometry.tilePixels) }
            for column in 0..<view.widthPixels {
                let start = DispatchTime.now().uptimeNanoseconds
                let (hit, edge, _) = view.geometry.hit(x: Double(column) + 0.5, y: Double(row) + 0.5, edgeSlope: 1 / view.camera.focalPixels,
                                                       from: starts[column / HeadViewGeometry.tilePixels])
                let k = (hit == nil ? 0 : 1) + (edge ? 2 : 0)
                time[k] += Double(DispatchTime.now().uptimeNanoseconds - start)
                count[k] += 1
            }
        }
        return "miss \(count[0]) \(time[0] / 1e6) ms, hit \(count[1]) \(time[1] / 1e6) ms, edge miss \(count[2]) \(time[2] / 1e6) ms, edge hit \(count[3]) \(time[3] / 1e6) ms"
    }
case "view-texture":
    let view = try HeadViewCase()
    run = {
        _ = try view.buildTexture()
        return "the front view's texture"
    }
case "preview":
    let words = arguments.dropFirst().prefix { !$0.hasPrefix("--") }
    let view = words.first.flatMap(PreviewView.init) ?? .head(.top)
    let changesDensity = words.dropFirst().first == "density"
    let preview = try PreviewCase(threads: threads)
    let change = { changesDensity ? try preview.changeDensity(view) : try preview.changeTime(view) }
    try change()   // the view traced and its surface built, as the page's first render of it does
    run = {
        try change()
        return "\(words.first ?? "top") preview, \(changesDensity ? "density" : "time") changed, \(threads) threads"
    }
default:
    FileHandle.standardError.write(Data("smp-profile: unknown case \(name); allowed: uniform, ramp, layers, render, end-to-end, libpng, versus, view, view-texture, view-rays, preview\n".utf8))
    exit(64)
}
var best = Double.infinity, what = ""
for _ in 0..<repeats {
    let start = Date()
    what = try run()
    best = min(best, Date().timeIntervalSince(start))
}
print("\(name): \(what), best of \(repeats): \(String(format: "%.1f", best * 1000)) ms")
