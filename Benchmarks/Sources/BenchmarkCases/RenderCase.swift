import Dispatch
import Foundation
import PNGIO
import PoissonDisk
import SMPEngine

/// The renderer's benchmark case (issue 6): the demo scene's after.png at its 10 px/mm, shared
/// by RenderBenchmarks and `smp-profile`.
public struct RenderCase: Sendable {
    public let scene: Scene
    public let map: ScalpMap
    public let dots: [PoissonDot]
    public let healedDay: Double
    public let rendering: SceneRendering
    /// The demo's after.png.
    public let after: MapRenderer
    public var bytesPerRow: Int { after.widthPixels * 3 }
    public var size: String { "\(after.widthPixels)x\(after.heightPixels)" }

    public init(sceneFile: URL = RenderCase.demoScene) throws {
        scene = try Scene.load(contentsOf: sceneFile)
        rendering = SceneRendering(scene: scene, sceneText: "")
        map = ScalpMap(scene: scene)
        dots = try DotPlacement.dots(for: scene, on: map)
        guard let healed = TreatmentTime.healed.day(in: scene.sessions) else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "the scene has no sessions"])
        }
        healedDay = healed
        let view = rendering.view(of: map)
        after = rendering.renderer(view: view, dots: dots, day: healed, surface: try ScalpSurface(scene: scene, map: map, view: view))
    }

    /// Scenes/demo.yaml of this checkout.
    public static let demoScene = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Scenes/demo.yaml").standardizedFileURL

    /// All bands of `after` on `threads` threads into a scratch band each: rendering alone. Each
    /// thread takes the next band not yet taken, as `BandedPNGOutput`'s threads do, so a thread
    /// the machine slows down renders fewer bands instead of holding up the rest (with a fixed
    /// share each, every pause of either processor lengthened the run).
    public func renderAll(threads: Int) {
        let band = BandedPNGOutput.bandHeight, after = after, bytesPerRow = bytesPerRow
        let bands = (after.heightPixels + band - 1) / band
        let counter = BandCounter()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: band * bytesPerRow, alignment: 16)
            defer { scratch.deallocate() }
            while case let index = counter.take(), index < bands {
                after.renderRows((index * band)..<min((index + 1) * band, after.heightPixels), into: scratch, rowStride: bytesPerRow)
            }
        }
    }

    /// `after` rendered whole into memory, RGB8 rows.
    public func pixels() -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: bytesPerRow * after.heightPixels)
        pixels.withUnsafeMutableBytes { after.renderRows(0..<after.heightPixels, into: $0, rowStride: bytesPerRow) }
        return pixels
    }

    /// libpng's fastest setting on one core, the issue-24 yardstick: its own zlib stream at level 1,
    /// default strategy, no row filter.
    public static let libpngFastest = PNGEncoderSettings(level: 1, strategy: .default, filters: .none)

    /// `pixels` encoded into `url` with `compression` by the parallel encoder on `threads`
    /// threads, 64 rows at a time: encoding alone.
    public func encode(_ pixels: [UInt8], to url: URL, compression: PNGCompression = .fast, threads: Int = 1) throws {
        try encode(pixels, to: url, settings: compression.encoderSettings, encoder: .parallel(threads: threads))
    }

    /// `pixels` encoded into `url` with explicit settings and encoder, 64 rows at a time.
    public func encode(_ pixels: [UInt8], to url: URL, settings: PNGEncoderSettings, encoder: PNGWriter.Encoder) throws {
        let writer = try PNGWriter(url: url, width: after.widthPixels, height: after.heightPixels, format: .rgb8,
                                   pixelsPerMM: 10, software: "bench", encoderSettings: settings, encoder: encoder)
        try pixels.withUnsafeBytes { all in
            for start in stride(from: 0, to: after.heightPixels, by: 64) {
                let end = min(start + 64, after.heightPixels)
                try writer.appendRows(UnsafeRawBufferPointer(rebasing: all[(start * bytesPerRow)..<(end * bytesPerRow)]))
            }
        }
        try writer.finish()
    }
}

/// Hands out 0, 1, 2, … once each, to any thread. (A lock: `Synchronization.Atomic` needs
/// macOS 15, and a band takes a millisecond.)
final class BandCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }
}
