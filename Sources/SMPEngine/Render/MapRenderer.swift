import Foundation

/// One Gaussian component of a dot as the renderer draws it: `amount` of ink (integrated over
/// the skin, so spreading alone conserves it) with width σ; its optical depth per channel at
/// distance r is amount / (2πσ²) · exp(−r² / 2σ²) · absorbance. Dermal ink sits under a thin
/// scattering layer (the renderer's veil); surface components (fresh ink and crust, redness)
/// are on top of the skin.
public struct InkDot: Sendable, Equatable {
    public enum Layer: Sendable, Equatable { case dermal, surface }

    public var xMM: Double
    public var yMM: Double
    public var sigmaMM: Double
    public var amount: Double
    public var absorbance: LinearRGB
    public var layer: Layer
    /// Oval dots: σ along `axis` is σ·√e and across it σ/√e, e = `elongation` ≥ 1, so the
    /// area σ_major·σ_minor = σ² (and the peak for a given amount) is unchanged.
    public var elongation: Double
    /// Unit vector of the long axis (x, y).
    public var axis: SIMD2<Double>

    public init(xMM: Double, yMM: Double, sigmaMM: Double, amount: Double, absorbance: LinearRGB, layer: Layer,
                elongation: Double = 1, axis: SIMD2<Double> = SIMD2(1, 0)) {
        self.xMM = xMM
        self.yMM = yMM
        self.sigmaMM = sigmaMM
        self.amount = amount
        self.absorbance = absorbance
        self.layer = layer
        self.elongation = elongation
        self.axis = axis
    }

    /// The Gaussian's exponent is −(A·dx² + 2B·dx·dy + C·dy²), dx, dy in pixels at `scale`.
    func quadraticForm(pixelsPerMM scale: Double) -> SIMD3<Float> {
        let major = sigmaMM * elongation.squareRoot() * scale, minor = sigmaMM / elongation.squareRoot() * scale
        let c = axis.x, s = axis.y
        let a = 1 / (2 * major * major), b = 1 / (2 * minor * minor)
        return SIMD3(Float(c * c * a + s * s * b), Float(c * s * (a - b)), Float(s * s * a + c * c * b))
    }

    /// Optical depth at the centre.
    public var peakDepth: LinearRGB { absorbance * Float(amount / (2 * Double.pi * sigmaMM * sigmaMM)) }

    /// Beyond this many σ a component is below exp(−4.5) ≈ 1 % of its peak and is dropped.
    static let footprintSigmas = 3.0
}

/// Draws the map view: skin reflectance darkened by pigment, Beer–Lambert per point, under
/// any stubble,
///
///     R(p) = h·hair + (1 − h) · skin(p) · exp(−D_surface(p)) · (V + (1 − V) · exp(−D_dermal(p))),
///
/// with skin(p), hair and its cover h from the `ScalpSurface` (or one flat skin colour),
/// with D the optical depths summed over the components reaching p, and V the veil: light
/// scattered back by the skin above dermal ink before it reaches it, so a healed dot reads
/// charcoal to blue-grey rather than black (DOMAIN.md, "Optics of the pigment").
///
/// and each pixel the mean of R over its square (what a camera records), estimated with
/// S × S stratified samples where any dot's footprint reaches the pixel; elsewhere the pixel
/// is plain skin. Averaging R, not the ink, keeps a dot smaller than a pixel from greying the
/// whole pixel, so the mean reflectance of an area does not depend on the scale (DESIGN.md,
/// "Rendering"). Pure function of its inputs: rows can be rendered in any order, on any thread.
public struct MapRenderer: RowImage {
    public let view: MapView
    /// The flat skin colour used where there is no `surface`.
    public let skin: LinearRGB
    /// Textured skin, stubble and scars; nil draws flat `skin`.
    public let surface: ScalpSurface?
    public let veil: LinearRGB
    /// Samples per pixel side where the narrowest component is: the sample pitch stays at most
    /// σ/2. Each pixel uses what its own nearest components need (a pixel under only wide halos
    /// takes one sample), so the cost follows the fine detail, not the covered area.
    public let samplesPerSide: Int
    /// Per component, the samples per pixel side it needs (pitch ≤ σ/2, 1 to 16).
    let dotSamples: [UInt8]

    // Dots in pixel units, binned into square cells of `binSize` pixels: each dot is listed in
    // every cell its footprint reaches (compressed rows: `binStart[c]..<binStart[c + 1]`).
    let dotX: [Float], dotY: [Float], dotReachSquared: [Float]
    /// (A, B, C) of each component's exponent −(A·dx² + 2B·dx·dy + C·dy²), pixel units.
    let dotShape: [SIMD3<Float>]
    /// Peak optical depth per component, in the dermal or the surface slot (the other zero),
    /// so the inner loop adds both without a branch.
    let dotDermalPeak: [LinearRGB], dotSurfacePeak: [LinearRGB]
    let binSize: Int
    let binColumns: Int
    let binRows: Int
    let binStart: [Int32]
    let binDots: [Int32]

    public init(view: MapView, skin: LinearRGB, surface: ScalpSurface? = nil, veil: LinearRGB = .zero, dots: [InkDot]) {
        self.view = view
        self.skin = skin
        self.surface = surface
        self.veil = veil
        let scale = view.pixelsPerMM
        let narrowest = dots.map { $0.sigmaMM / $0.elongation.squareRoot() }.min() ?? 1
        samplesPerSide = ScaleSampling.samplesPerSide(sigmaPixels: narrowest * scale)
        dotSamples = dots.map { UInt8(ScaleSampling.samplesPerSide(sigmaPixels: $0.sigmaMM / $0.elongation.squareRoot() * scale)) }
        dotX = dots.map { Float(($0.xMM - view.originXMM) * scale) }
        dotY = dots.map { Float(($0.yMM - view.originYMM) * scale) }
        dotShape = dots.map { $0.quadraticForm(pixelsPerMM: scale) }
        dotDermalPeak = dots.map { $0.layer == .dermal ? $0.peakDepth : .zero }
        dotSurfacePeak = dots.map { $0.layer == .surface ? $0.peakDepth : .zero }
        let reaches = dots.map { InkDot.footprintSigmas * $0.sigmaMM * $0.elongation.squareRoot() * scale }
        dotReachSquared = reaches.map { Float($0 * $0) }

        let binSize = 8
        let binColumns = (view.widthPixels + binSize - 1) / binSize
        let binRows = (view.heightPixels + binSize - 1) / binSize
        let xs = dotX, ys = dotY
        func cells(_ i: Int) -> (ClosedRange<Int>, ClosedRange<Int>)? {
            let x = Double(xs[i]), y = Double(ys[i]), r = reaches[i]
            let c0 = max(0, Int(((x - r) / Double(binSize)).rounded(.down)))
            let c1 = min(binColumns - 1, Int(((x + r) / Double(binSize)).rounded(.down)))
            let r0 = max(0, Int(((y - r) / Double(binSize)).rounded(.down)))
            let r1 = min(binRows - 1, Int(((y + r) / Double(binSize)).rounded(.down)))
            guard c0 <= c1, r0 <= r1 else { return nil }
            return (r0...r1, c0...c1)
        }
        var counts = [Int32](repeating: 0, count: binColumns * binRows + 1)
        for i in dots.indices {
            guard let (rows, columns) = cells(i) else { continue }
            for row in rows { for column in columns { counts[row * binColumns + column + 1] += 1 } }
        }
        for k in 1..<counts.count { counts[k] += counts[k - 1] }
        var fill = counts
        var members = [Int32](repeating: 0, count: Int(counts.last ?? 0))
        for i in dots.indices {
            guard let (rows, columns) = cells(i) else { continue }
            for row in rows {
                for column in columns {
                    let bin = row * binColumns + column
                    members[Int(fill[bin])] = Int32(i)
                    fill[bin] += 1
                }
            }
        }
        self.binSize = binSize
        self.binColumns = binColumns
        self.binRows = binRows
        binStart = counts
        binDots = members
    }

    public var widthPixels: Int { view.widthPixels }
    public var heightPixels: Int { view.heightPixels }
    public var pixelsPerMM: Double? { view.pixelsPerMM }

    /// Renders pixel rows `rows` as RGB8 into `output`, rows `rowStride` bytes apart.
    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        // Unwrapped once: an optional struct this large was copied on every pixel's use
        // (memcpy was 11 % of the render, measured with perf).
        if let surface {
            renderRows(rows, into: output, rowStride: rowStride, over: surface)
        } else {
            renderRows(rows, into: output, rowStride: rowStride, over: FlatSkin(skin: skin))
        }
    }

    func renderRows<Surface: SurfaceShading>(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int,
                                             over surface: Surface) {
        let width = view.widthPixels
        SRGBTransfer.encodeTable.withUnsafeBufferPointer { table in
            for row in rows {
                var offset = (row - rows.lowerBound) * rowStride
                let binRow = row / binSize
                for column in 0..<width {
                    let bin = binRow * binColumns + column / binSize
                    let first = Int(binStart[bin]), end = Int(binStart[bin + 1])
                    var color: LinearRGB
                    if first < end, let near = nearDots(first, end, column, row) {
                        let s = near.isComplete ? Int(near.samples) : samplesPerSide
                        let step = 1 / Float(s)
                        let sampleWeight = 1 / Float(s * s)
                        var sum = LinearRGB.zero
                        for sy in 0..<s {
                            let y = Float(row) + (Float(sy) + 0.5) * step
                            for sx in 0..<s {
                                let x = Float(column) + (Float(sx) + 0.5) * step
                                let (dermal, surfaceDepth) = near.isComplete ? depth(atX: x, y: y, near) : depth(atX: x, y: y, bin: first..<end)
                                let under = surface.sample(x: x, y: y)
                                sum += under.hairCover * under.hair
                                    + (1 - under.hairCover) * under.skin * pigmentTransmission(dermal: dermal, surface: surfaceDepth)
                            }
                        }
                        color = sum * sampleWeight
                    } else {
                        color = surface.pixelMean(column: column, row: row)
                    }
                    output[offset] = SRGBTransfer.encode(color.x, table: table)
                    output[offset + 1] = SRGBTransfer.encode(color.y, table: table)
                    output[offset + 2] = SRGBTransfer.encode(color.z, table: table)
                    offset += 3
                }
            }
        }
    }

    /// The dots of a bin whose footprint reaches pixel (column, row), as a small index list;
    /// nil when none does.
    @inline(__always)
    func nearDots(_ first: Int, _ end: Int, _ column: Int, _ row: Int) -> NearDots? {
        var near = NearDots()
        let x0 = Float(column), y0 = Float(row)
        for k in first..<end {
            let i = Int(binDots[k])
            // Distance from the dot to the nearest point of the pixel square.
            let dx = max(x0 - dotX[i], 0, dotX[i] - (x0 + 1))
            let dy = max(y0 - dotY[i], 0, dotY[i] - (y0 + 1))
            if dx * dx + dy * dy < dotReachSquared[i] { near.append(Int32(i), samples: dotSamples[i]) }
        }
        return near.count > 0 ? near : nil
    }

    /// Optical depths (dermal, surface) at a point from the listed components.
    @inline(__always)
    func depth(atX x: Float, y: Float, _ near: NearDots) -> (LinearRGB, LinearRGB) {
        var dermal = LinearRGB.zero, surface = LinearRGB.zero
        for k in 0..<near.count { accumulate(Int(near[k]), x, y, &dermal, &surface) }
        return (dermal, surface)
    }

    /// The slow path for a pixel with more components near it than `NearDots` holds: the whole bin.
    func depth(atX x: Float, y: Float, bin: Range<Int>) -> (LinearRGB, LinearRGB) {
        var dermal = LinearRGB.zero, surface = LinearRGB.zero
        for k in bin { accumulate(Int(binDots[k]), x, y, &dermal, &surface) }
        return (dermal, surface)
    }

    /// Adds component i's optical depth at (x, y), if it reaches that far.
    @inline(__always)
    func accumulate(_ i: Int, _ x: Float, _ y: Float, _ dermal: inout LinearRGB, _ surface: inout LinearRGB) {
        let dx = x - dotX[i], dy = y - dotY[i]
        let r2 = dx * dx + dy * dy
        guard r2 < dotReachSquared[i] else { return }
        let q = dotShape[i]
        let g = expf(-(q.x * dx * dx + 2 * q.y * dx * dy + q.z * dy * dy))
        dermal += dotDermalPeak[i] * g
        surface += dotSurfacePeak[i] * g
    }

    /// The fraction of light the pigment lets back out of the skin at a point with these
    /// optical depths (the type's equation without skin and hair).
    @inline(__always)
    func pigmentTransmission(dermal: LinearRGB, surface: LinearRGB) -> LinearRGB {
        var t = LinearRGB(repeating: 1)
        if surface != .zero { t *= exp3(-surface) }
        if dermal != .zero { t *= veil + (LinearRGB(repeating: 1) - veil) * exp3(-dermal) }
        return t
    }

    @inline(__always)
    func exp3(_ v: LinearRGB) -> LinearRGB { LinearRGB(expf(v.x), expf(v.y), expf(v.z)) }
}

/// Up to 16 dot indices on the stack: the dots near one pixel. A pixel with more (blown-out
/// dots at high density) is marked incomplete and drawn from its whole bin instead.
struct NearDots {
    private var storage: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32,
                          Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private(set) var count = 0
    static let capacity = 16

    private(set) var isComplete = true
    /// The most samples per pixel side any listed component needs.
    private(set) var samples: UInt8 = 1

    @inline(__always)
    mutating func append(_ value: Int32, samples needed: UInt8) {
        guard count < NearDots.capacity else {
            isComplete = false
            return
        }
        samples = max(samples, needed)
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: value, toByteOffset: count * 4, as: Int32.self) }
        count += 1
    }

    @inline(__always)
    subscript(_ index: Int) -> Int32 {
        withUnsafeBytes(of: storage) { $0.load(fromByteOffset: index * 4, as: Int32.self) }
    }
}

/// How finely to sample a pixel for a Gaussian of σ pixels: a pitch of at most σ/2, which keeps
/// a treated area's mean reflectance within 0.1 % of a much finer sampling (measured), and one
/// sample for components wider than 2 pixels' σ.
enum ScaleSampling {
    static func samplesPerSide(sigmaPixels: Double) -> Int {
        min(16, max(1, Int((2 / sigmaPixels).rounded(.up))))
    }
}

/// What the renderer draws pigment over: textured skin and stubble (`ScalpSurface`) or one
/// flat colour (`FlatSkin`). A protocol only to specialise the pixel loop for each; never used
/// as an existential.
protocol SurfaceShading {
    func sample(x: Float, y: Float) -> SurfaceSample
    func pixelMean(column: Int, row: Int) -> LinearRGB
}

extension ScalpSurface: SurfaceShading {}

struct FlatSkin: SurfaceShading {
    let skin: LinearRGB

    @inline(__always)
    func sample(x: Float, y: Float) -> SurfaceSample { SurfaceSample(skin: skin, hairCover: 0, hair: .zero) }

    @inline(__always)
    func pixelMean(column: Int, row: Int) -> LinearRGB { skin }
}
