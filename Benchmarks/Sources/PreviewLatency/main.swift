// `swift run -c release smp-preview-latency [COUNT]`: the live page's re-render latency, median
// and 95th percentile over COUNT changes (default 40) of each kind, at 640 px, both cores:
// what issue 21's 150 ms target is read from (Benchmarks/NOTES.md). The ordo-one suite
// PreviewBenchmarks times the same cases (its percentiles skip p95).
import BenchmarkCases
import Foundation
import SMPEngine

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 40
let preview = try PreviewCase(threads: ProcessInfo.processInfo.activeProcessorCount)
let cases: [(String, () throws -> Void)] = [
    ("map 640 px, density changed (dots placed anew)", { try preview.changeDensity() }),
    ("map 640 px, time changed (dots cached)", { try preview.changeTime() }),
    ("top view 640 px, density changed", { try preview.changeDensity(.head(.top)) }),
    ("top view 640 px, time changed", { try preview.changeTime(.head(.top)) }),
]
for (name, body) in cases {
    try body()   // the view's surface built once, as the page's first render of it does
    let (median, p95) = try PreviewCase.percentiles(count: count, body)
    print(String(format: "%@: median %.1f ms, p95 %.1f ms (%d changes)", name, median, p95, count))
}
