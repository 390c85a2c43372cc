import Foundation

/// Ceilings a render is checked against before any work starts, so that a scene or a setting
/// that would run for minutes, fill the memory or write gigabytes is refused up front with the
/// estimate and the ceiling instead. Each ceiling can be raised (`smp render --max-…`).
public struct RenderLimits: Sendable, Equatable {
    /// The ceilings, one per `Kind`.
    public var sessions = 50
    public var dots = 2_000_000
    /// Pixels of the largest image (comparison.png is two maps side by side).
    public var pixelsPerImage = 200_000_000
    public var peakMemoryBytes = 4 << 30
    public var bytesWritten = 2 << 30

    public init() {}

    /// What a ceiling bounds.
    public enum Kind: String, Sendable, CaseIterable {
        case sessions, dots, pixelsPerImage, peakMemoryBytes, bytesWritten
    }

    public subscript(kind: Kind) -> Int {
        get {
            switch kind {
            case .sessions: sessions
            case .dots: dots
            case .pixelsPerImage: pixelsPerImage
            case .peakMemoryBytes: peakMemoryBytes
            case .bytesWritten: bytesWritten
            }
        }
        set {
            switch kind {
            case .sessions: sessions = newValue
            case .dots: dots = newValue
            case .pixelsPerImage: pixelsPerImage = newValue
            case .peakMemoryBytes: peakMemoryBytes = newValue
            case .bytesWritten: bytesWritten = newValue
            }
        }
    }

    /// Throws for the first ceiling `estimate` is above.
    public func check(_ estimate: RenderEstimate) throws(RenderLimitError) {
        for kind in Kind.allCases where estimate[kind] > self[kind] {
            throw RenderLimitError(kind: kind, estimate: estimate[kind], limit: self[kind])
        }
    }
}

/// What a render will take, worked out from the scene and the view alone (no dot placed, no
/// pixel drawn). Upper bounds where the exact figure needs the work itself: the dots as if
/// the whole chart were treated at the plan's peak density, the bytes as if the PNGs did not
/// compress. Peak memory adds the terms that grow to a floor: a density raster per session,
/// the dots (with the sampler's and the pigment model's copies) and the band buffers of the
/// images in flight. The view's surface (skin texture, stubble) did not grow with the scale
/// when measured (the demo's `before` at 10 and 20 px/mm: 86 and 84 MB), so it is in the floor.
public struct RenderEstimate: Sendable, Equatable {
    public var sessions: Int
    public var dots: Int
    public var pixelsPerImage: Int
    public var peakMemoryBytes: Int
    public var bytesWritten: Int

    /// Bytes the render holds per dot, summed over its copies, with margin.
    static let bytesPerDot = 400
    /// The floor: the demo's whole render peaked at 105 MB (estimate 126 MB), a 200-session
    /// scene's report at 325 MB (estimate 403 MB), both with 2 threads.
    static let baseBytes = 96 << 20

    public init(sessions: Int, dots: Int, pixelsPerImage: Int, peakMemoryBytes: Int, bytesWritten: Int) {
        self.sessions = sessions
        self.dots = dots
        self.pixelsPerImage = pixelsPerImage
        self.peakMemoryBytes = peakMemoryBytes
        self.bytesWritten = bytesWritten
    }

    /// The estimate for placing the dots of `scene` on `map`, drawing nothing.
    public init(scene: Scene, map: ScalpMap) {
        self.init(scene: scene, map: map, view: nil, images: 0, comparison: false, threads: 1, imagesInFlight: 0)
    }

    /// The estimate for `scene` on `map` seen through `view`, writing `images` map-sized images
    /// plus, when `comparison`, one twice as wide, with `threads` band workers each,
    /// `imagesInFlight` at once.
    public init(scene: Scene, map: ScalpMap, view: MapView?, images: Int, comparison: Bool, threads: Int, imagesInFlight: Int) {
        let chartCM2 = map.bounds.widthMM * map.bounds.heightMM / 100
        let peakFactor = scene.sessions.map { session in
            session.densityFactor * max(1, session.regionFactors.values.max() ?? 1)
        }.max() ?? 0
        let dots = Self.clamped(chartCM2 * scene.design.dotsPerCM2 * peakFactor)
        let width = view.map { Self.clamped(Double($0.widthPixels)) } ?? 0
        let height = view.map { Self.clamped(Double($0.heightPixels)) } ?? 0
        let pixels = Self.clamped(Double(width) * Double(height))
        let rasterBytes = map.columns * map.rows * MemoryLayout<Float>.size
        // Each image in flight: a ring of bands (4 per thread, 16 rows, 4 bytes a pixel).
        let bandBytes = Double(width) * 16 * 4 * 4 * Double(max(1, threads)) * Double(imagesInFlight)
        let memory = Double(Self.baseBytes) + Double(scene.sessions.count) * Double(rasterBytes)
            + Double(dots) * Double(Self.bytesPerDot) + bandBytes * (comparison ? 2 : 1)
        let written = Double(pixels) * 4 * (Double(images) + (comparison ? 2 : 0))
        self.init(sessions: scene.sessions.count, dots: dots, pixelsPerImage: comparison ? 2 * pixels : (images > 0 ? pixels : 0),
                  peakMemoryBytes: Self.clamped(memory), bytesWritten: Self.clamped(written))
    }

    public subscript(kind: RenderLimits.Kind) -> Int {
        switch kind {
        case .sessions: sessions
        case .dots: dots
        case .pixelsPerImage: pixelsPerImage
        case .peakMemoryBytes: peakMemoryBytes
        case .bytesWritten: bytesWritten
        }
    }

    private static func clamped(_ value: Double) -> Int {
        value.isFinite ? Int(min(max(value, 0), Double(Int.max / 2))) : Int.max / 2
    }
}

/// A render refused before it started: the estimate for one `RenderLimits.Kind` is above its
/// ceiling.
public struct RenderLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: RenderLimits.Kind
    public var estimate: Int
    public var limit: Int

    public init(kind: RenderLimits.Kind, estimate: Int, limit: Int) {
        self.kind = kind
        self.estimate = estimate
        self.limit = limit
    }

    /// What is too large, in words, without the way to raise the ceiling (the command line adds it).
    public var description: String {
        func bytes(_ count: Int) -> String {
            count >= 1 << 30 ? String(format: "%.1f GB", Double(count) / Double(1 << 30)) : "\(count >> 20) MB"
        }
        return switch kind {
        case .sessions: "the scene has \(estimate) sessions, more than the limit of \(limit)"
        case .dots: "the scene would place up to \(estimate) dots, more than the limit of \(limit)"
        case .pixelsPerImage: "an image would have \(estimate) pixels, more than the limit of \(limit)"
        case .peakMemoryBytes: "the render would need about \(bytes(estimate)) of memory, more than the limit of \(bytes(limit))"
        case .bytesWritten: "the render could write up to \(bytes(estimate)), more than the limit of \(bytes(limit))"
        }
    }
}
