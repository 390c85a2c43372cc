import Foundation
import MallocPolicy
import PNGIO
import PoissonDisk

/// Renders the live page's preview (`smp serve`): one scene with the page's overrides, as a map window or a
/// head view at the page's size, keeping the scene's stages (the map, the dots, the textured
/// surface) between requests so that a change re-renders only what it touches. A newer render
/// makes an older one stop at its next band of rows (`RenderGeneration`): stale renders are
/// cancelled, not queued.
public final class PreviewRenderer: @unchecked Sendable {
    /// The map window's side: a patch of a treated region large enough to read the pattern and
    /// its density, small enough that dots are several pixels wide at the page's size.
    public static let mapWindowMM = 30.0
    /// Dots further than this from the window leave its pixels as they are: the widest
    /// component (a blown-out dot's halo ten years on) reaches 16 mm, and the map's coarse field
    /// samples a little beyond the window; half as much again for safety. The preview draws only
    /// the dots within it: the whole scalp's were most of its cost (tests check the reach and
    /// compare with the window drawn from every dot).
    static let dotReachMM = 24.0
    /// Threads rendering a preview's bands.
    let threads: Int
    let generation = RenderGeneration()
    private let lock = NSLock()
    private var maps = StageCache<ScalpMap>(capacity: 3)
    private var placements = StageCache<[PoissonDot]>(capacity: 4)
    private var hair = StageCache<[PoissonDot]>(capacity: 3)
    /// Surfaces with their pixel terms worked out (`ShadedSurface`): a change of the pigment
    /// redraws only the pigment over them.
    private var surfaces = StageCache<(ScalpSurface, ShadedSurface)>(capacity: 4)
    /// The whole map's mean bare skin (`SceneRendering.meanSkin`), which a head view's face takes.
    private var skins = StageCache<LinearRGB>(capacity: 4)
    /// Head views with their rays traced (`HeadViewRenderer.traced`): what depends only on the
    /// camera, the head, its long hair and the skin's shine, so that a change of density, time or
    /// ink only re-builds the texture and re-shades.
    private var tracedViews = StageCache<HeadViewRenderer>(capacity: 3)


    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.threads = max(1, threads)
    }

    /// Sets the process's malloc to keep freed buffers for the next change: a change allocates
    /// and frees the same tens of megabytes (texture, fields, rows) each time, and glibc by
    /// default hands blocks over 128 KB back to the kernel, so every change paid for fresh pages
    /// (a third of its time in page faults; `Benchmarks/NOTES.md`, issue 21). Process-wide, so
    /// the server calls it once before serving (and the latency benchmark, which measures it).
    /// Returns false when the C library refused or is not glibc (nothing else changes then).
    @discardableResult
    public static func keepFreedBuffersForReuse() -> Bool {
        smp_malloc_keep_freed_blocks(Self.trimMemoryBytes) == 1
    }

    /// Free memory at the heap's top beyond this goes back to the kernel: several changes'
    /// worth of the page's buffers stay, a larger render's do not.
    static let trimMemoryBytes = 256 << 20

    /// Starts a render: every render started earlier now stops at its next band.
    public func begin() -> Int { generation.advance() }

    /// The preview of `scene` for `request`, RGB8 rows top to bottom. Throws `CancellationError`
    /// when a newer render began (`ticket` is no longer current).
    public func render(_ scene: Scene, sceneText: String, view: PreviewView, pixels: Int, ticket: Int) throws -> PanelPixels {
        guard let day = scene.render.after.day(in: scene.sessions) else {
            throw SceneError.invalid(file: scene.name, issues: [SceneIssue(
                line: 0, column: 0, keyPath: "render.after",
                message: "\(scene.render.after) names a session the plan does not have (1 to \(scene.sessions.count))")])
        }
        let (preview, stageKey) = try stages(of: scene)
        let map = preview.map, dots = preview.dots
        try generation.check(ticket)
        let rendering = SceneRendering(scene: scene, sceneText: sceneText, threads: threads)
        switch view {
        case .map:
            let side = Self.mapWindowMM
            let centre = try Self.windowCentre(scene: scene, map: map)
            let window = MapView(originXMM: centre.xMM - side / 2, originYMM: centre.yMM - side / 2,
                                 widthMM: side, heightMM: side, pixelsPerMM: Double(pixels) / side)
            let (surface, shading) = cached(\.surfaces, key: Self.surfaceKey(scene, view: window, stageKey: stageKey)) {
                shaded(preview.surface(view: window))
            }
            try generation.check(ticket)
            return try renderBands(rendering.renderer(view: window, dots: Self.dots(dots, near: window), day: day, surface: surface,
                                                      shading: shading),
                                   ticket: ticket)
        case let .head(name):
            var sized = rendering
            sized.scene.render.viewPixels = pixels
            let camera = sized.camera(name)
            let whole = rendering.textureView(of: map, pixelsPerMM: rendering.texturePixelsPerMM(for: [camera]))
            // The face's skin is the whole map's mean, as in a render's views.
            let skin = cached(\.skins, key: Self.surfaceKey(scene, view: whole, stageKey: stageKey)) {
                rendering.meanSkin(of: preview.surface(view: whole), map: map)
            }
            try generation.check(ticket)
            let generation = self.generation, threads = self.threads
            let traced = try cachedThrowing(\.tracedViews, key: Self.viewKey(scene, camera: camera, stageKey: stageKey)) {
                try sized.headView(name, map: map, texture: nil, font: nil)
                    .traced(threads: threads, isCurrent: { generation.isCurrent(ticket) })
            }
            try generation.check(ticket)
            // The texture covers only the chart this view sees.
            let seen = traced.seenChart(within: whole) ?? whole
            let (surface, shading) = cached(\.surfaces, key: Self.surfaceKey(scene, view: seen, stageKey: stageKey)) {
                shaded(preview.surface(view: seen))
            }
            try generation.check(ticket)
            // As the map window, the texture draws only the dots that reach the chart it covers.
            let texture = rendering.chartTexture(map: map, dots: Self.dots(dots, near: seen), day: day, surface: surface,
                                                 shading: shading, within: whole)
            try generation.check(ticket)
            return try renderBands(traced.with(texture: texture, skin: skin), ticket: ticket)
        }
    }

    /// `surface` with its pixel terms worked out, on this renderer's threads.
    func shaded(_ surface: ScalpSurface) -> (ScalpSurface, ShadedSurface) {
        (surface, ShadedSurface(surface, threads: threads))
    }

    /// The dots within `dotReachMM` of `view`'s chart rectangle: all that can touch its pixels.
    static func dots(_ dots: [PoissonDot], near view: MapView) -> [PoissonDot] {
        dots.filter {
            $0.xMM > view.originXMM - dotReachMM && $0.xMM < view.originXMM + view.widthMM + dotReachMM
                && $0.yMM > view.originYMM - dotReachMM && $0.yMM < view.originYMM + view.heightMM + dotReachMM
        }
    }

    /// The scene's stages, from the cache when an earlier scene had the same inputs (the map,
    /// the plan's dots and the existing hair each keyed by their own parameters); and the key
    /// of the map and hair (what a surface is built on).
    func stages(of scene: Scene) throws -> (ScenePreview, String) {
        let mapKey = "map \(scene.scalpParameters)|"
        let map = cached(\.maps, key: mapKey) { ScalpMap(scene: scene) }
        try RenderLimits().check(RenderEstimate(scene: scene, map: map))
        let dots = try cachedThrowing(\.placements, key: mapKey + "dots \(scene.sessionPlan)|") {
            try DotPlacement.dots(for: scene, on: map, threads: threads)
        }
        let hairKey = mapKey + "hair \(scene.existingHair) \(scene.seed)|"
        let hair = try cachedThrowing(\.hair, key: hairKey) { try FollicleLayout.units(for: scene, on: map) }
        return (ScenePreview(scene: scene, map: map, dots: dots, follicularUnits: hair), hairKey)
    }

    /// The centre of the map preview's window: of the cells where the last session's target is
    /// within 5 % of its highest, the one nearest their centroid, so that the page shows fully
    /// treated scalp. Taken from the target, not the dots, so that the window stays put while
    /// the density slider moves (the target scales with it).
    static func windowCentre(scene: Scene, map: ScalpMap) throws -> (xMM: Double, yMM: Double) {
        guard let last = scene.sessions.last else { return (map.bounds.minXMM + map.bounds.widthMM / 2, map.bounds.minYMM + map.bounds.heightMM / 2) }
        let raster = try map.density(after: last, design: scene.design)
        let peak = raster.dotsPerCM2.max() ?? 0
        var cells: [(x: Double, y: Double)] = []
        for row in 0..<raster.rows {
            for column in 0..<raster.columns where peak > 0 && raster.dotsPerCM2[row * raster.columns + column] >= 0.95 * peak {
                cells.append((raster.originXMM + (Double(column) + 0.5) * raster.cellSizeMM,
                              raster.originYMM + (Double(row) + 0.5) * raster.cellSizeMM))
            }
        }
        guard !cells.isEmpty else { return (map.bounds.minXMM + map.bounds.widthMM / 2, map.bounds.minYMM + map.bounds.heightMM / 2) }
        let meanX = cells.map(\.x).reduce(0, +) / Double(cells.count), meanY = cells.map(\.y).reduce(0, +) / Double(cells.count)
        // The first of equally near cells, in row order: the same centre every time.
        var best = cells[0], bestDistance = Double.infinity
        for cell in cells {
            let distance = (cell.x - meanX) * (cell.x - meanX) + (cell.y - meanY) * (cell.y - meanY)
            if distance < bestDistance { (best, bestDistance) = (cell, distance) }
        }
        return (best.x, best.y)
    }

    /// The scene's plan and density per region: the page's tables.
    public func plan(of scene: Scene) throws -> (rows: [SessionPlanRow], report: DensityReport) {
        let (preview, _) = try stages(of: scene)
        let report = try DensityReport(scene: scene, map: preview.map, dots: preview.dots)
        return (SessionPlanRow.rows(scene: scene, dots: preview.dots, report: report), report)
    }

    /// A surface's key: its parameters and view, on the map and hair of `stageKey`.
    static func surfaceKey(_ scene: Scene, view: MapView, stageKey: String) -> String {
        stageKey + "surface \(scene.surfaceParameters) \(view)|"
    }

    /// A traced view's key: its camera, the head's shape and the skin's shine, on the map and
    /// hair of `stageKey` (the long hair the rays see).
    static func viewKey(_ scene: Scene, camera: HeadCamera, stageKey: String) -> String {
        stageKey + "view \(camera) \(scene.head) shine \(scene.skin.shine)|"
    }

    private func cached<Value>(_ cache: ReferenceWritableKeyPath<PreviewRenderer, StageCache<Value>>, key: String,
                               build: () -> Value) -> Value {
        if let value = lock.withLock({ self[keyPath: cache].value(for: key) }) { return value }
        let value = build()
        lock.withLock { self[keyPath: cache].insert(value, for: key) }
        return value
    }

    private func cachedThrowing<Value>(_ cache: ReferenceWritableKeyPath<PreviewRenderer, StageCache<Value>>, key: String,
                                       build: () throws -> Value) throws -> Value {
        if let value = lock.withLock({ self[keyPath: cache].value(for: key) }) { return value }
        let value = try build()
        lock.withLock { self[keyPath: cache].insert(value, for: key) }
        return value
    }

    /// Renders `image` in bands of 16 rows on `threads` threads, checking between bands that
    /// no newer render began. Any split of the rows gives the same bytes (`RowImage`).
    func renderBands(_ image: some RowImage, ticket: Int) throws -> PanelPixels {
        let width = image.widthPixels, height = image.heightPixels, rowBytes = width * 3
        let bandHeight = BandedPNGOutput.bandHeight
        let bands = (height + bandHeight - 1) / bandHeight
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, height * rowBytes), alignment: 16)
        defer { buffer.deallocate() }
        let generation = self.generation
        // Each band is written by one thread only.
        let shared = UnsafeSendable(buffer)
        _ = ParallelWork.map(count: bands, threads: threads, while: { generation.isCurrent(ticket) }) { band in
            let rows = (band * bandHeight)..<min(height, (band + 1) * bandHeight)
            image.renderRows(rows, into: UnsafeMutableRawBufferPointer(rebasing: shared.value[(rows.lowerBound * rowBytes)...]),
                             rowStride: rowBytes)
        }
        try generation.check(ticket)
        return PanelPixels(width: width, height: height, bytes: Array(buffer.prefix(height * rowBytes)))
    }
}

/// What the page shows: the map window or a head view.
public enum PreviewView: Sendable, Equatable {
    case map
    case head(HeadViewName)

    /// `map` or a head view's name, as the page's select sends it.
    public init?(_ name: String) {
        if name == "map" {
            self = .map
        } else if let view = HeadViewName(rawValue: name) {
            self = .head(view)
        } else {
            return nil
        }
    }

    public static let allowed = "map, " + HeadViewName.allCases.map(\.rawValue).joined(separator: ", ")
}

/// The number of the newest render: a render whose number is older stops.
public final class RenderGeneration: @unchecked Sendable {
    private let lock = NSLock()
    private var newest = 0

    public func advance() -> Int { lock.withLock { newest += 1; return newest } }

    public func isCurrent(_ ticket: Int) -> Bool { lock.withLock { newest == ticket } }

    func check(_ ticket: Int) throws {
        if !isCurrent(ticket) { throw CancellationError() }
    }
}

/// The last few values of one stage, by key; the oldest is let go first.
struct StageCache<Value> {
    let capacity: Int
    private var entries: [(key: String, value: Value)] = []

    init(capacity: Int) { self.capacity = capacity }

    mutating func value(for key: String) -> Value? {
        guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
        let entry = entries.remove(at: index)
        entries.append(entry)
        return entry.value
    }

    mutating func insert(_ value: Value, for key: String) {
        entries.removeAll { $0.key == key }
        entries.append((key, value))
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }
}
