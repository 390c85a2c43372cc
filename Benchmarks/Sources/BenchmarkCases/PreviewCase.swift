import Foundation
import PNGIO
import SMPEngine

/// The live page's re-render after one change (issue 21): the demo scene read with the page's
/// overrides, previewed at the page's size by one long-lived `PreviewRenderer` (its stage cache
/// warm, as in `smp serve`), and encoded as the server sends it.
public final class PreviewCase {
    public static let pixels = 640
    public let text: String
    public let renderer: PreviewRenderer
    let scratch: URL
    /// Counts the changes, so each density is new to the cache (a real change, never a hit).
    private var changes = 0

    public init(threads: Int) throws {
        PreviewRenderer.keepFreedBuffersForReuse()   // as `smp serve` does before serving
        text = try String(contentsOf: RenderCase.demoScene, encoding: .utf8)
        renderer = PreviewRenderer(threads: threads)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("smp-preview-\(getpid()).png")
        _ = try change(.map, ["design.dotsPerCM2=100"])
    }

    /// One change: the scene read with `overrides`, rendered, and encoded as a PNG.
    @discardableResult
    public func change(_ view: PreviewView, _ overrides: [String]) throws -> Int {
        let scene = try Scene.load(yaml: text, file: "demo.yaml", overrides: overrides.map { try SceneOverride(parsing: $0) })
        let pixels = try renderer.render(scene, sceneText: text, view: view, pixels: Self.pixels, ticket: renderer.begin())
        let writer = try PNGWriter(url: scratch, width: pixels.width, height: pixels.height, format: .rgb8, software: "bench",
                                   compression: .fast)
        try writer.appendRows(pixels.bytes)
        try writer.finish()
        return pixels.bytes.count
    }

    /// The slider a designer moves most: the design density, to a value not rendered before
    /// (60 to 199 dots/cm²), so the dots are placed anew.
    public func changeDensity(_ view: PreviewView = .map) throws {
        changes += 1
        try change(view, ["design.dotsPerCM2=\(60 + changes % 140)"])
    }

    /// A change the cached dots serve: the time after the last session.
    public func changeTime(_ view: PreviewView = .map) throws {
        changes += 1
        try change(view, ["render.after=\(changes % 3650)d"])
    }

    /// Median and 95th percentile of `count` timings of `body`, in milliseconds.
    public static func percentiles(count: Int, _ body: () throws -> Void) rethrows -> (median: Double, p95: Double) {
        var times: [Double] = []
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return (times[times.count / 2], times[min(times.count - 1, Int((Double(times.count) * 0.95).rounded(.up)) - 1)])
    }
}
