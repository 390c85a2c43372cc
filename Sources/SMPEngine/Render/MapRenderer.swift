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

    /// How far a component is drawn, in σ along its long axis: to where its optical depth in
    /// the most absorbed channel falls below `negligibleDepth`, and at least 2.5 σ (94 % of its
    /// ink). A fixed 3 σ cut 1.1 % of the peak, which under a dense healed core (peak depth 3–8)
    /// left a visible step of up to 3 sRGB levels at the footprint's edge; faint halos need less.
    public var footprintSigmas: Double {
        let peak = Double(peakDepth.max())
        return peak > InkDot.negligibleDepth ? max(2.5, (2 * log(peak / InkDot.negligibleDepth)).squareRoot()) : 2.5
    }

    /// Optical depth whose loss changes a transmission by under 0.4 %: about half an sRGB level.
    static let negligibleDepth = 0.004
}

/// Draws the map view: skin reflectance darkened by pigment, Beer–Lambert per point, under
/// any stubble,
///
///     R(p) = h·hair + (1 − h) · skin(p) · T(p),
///     T(p) = exp(−D_surface(p)) · (V + (1 − V) · exp(−L(p) / (1 − V))),
///
/// with skin(p), hair and its cover h from the `ScalpSurface` (or one flat skin colour),
/// D the optical depths of surface components (fresh ink, crust, redness) summed over those
/// reaching p, L the light dermal ink takes away through the skin (its components are the
/// ink's absorption spread by the skin's transport kernel, `InkCloud.transportComponents`),
/// and V the veil: light scattered back by the skin above the ink before it reaches it, so a
/// healed dot reads charcoal to blue-grey rather than black (`SkinTransportTable`). To first
/// order the darkening is L, the transport kernel's; under opaque ink it tends to V.
/// Components at least `DiffuseField.minimumSigmaMM` wide are summed on a coarse grid
/// (`DiffuseField`) and added at each pixel's centre.
///
/// Each pixel is the mean of R over its square (what a camera records). The mean of T is taken
/// over a cubature rule's nodes where a *narrow* component (σ under 2 px) reaches the pixel
/// (`ScaleSampling`); *wide* components (halos, redness, blow-outs) hardly
/// change inside a pixel and are evaluated at its centre. Averaging T, not the ink, keeps a dot
/// smaller than a pixel from greying the whole pixel, so the mean reflectance of an area does
/// not depend on the scale (DESIGN.md, "Rendering"). The surface enters through its own pixel
/// means, mean(h·hair) + mean((1 − h)·skin) · mean(T): this treats the skin's texture and the
/// pigment inside one pixel as independent, which they are at the scales of pores and pixels.
///
/// Rows are drawn a band at a time: the wide components reaching the band are splatted into
/// per-pixel depth buffers (a circular Gaussian separably, a row and a column of exponentials),
/// the narrow ones are listed per pixel; then every pixel is finished once. Each pixel's sums
/// run over its components in a fixed order whatever the band, so any split of the rows, on
/// any thread, gives the same bytes.
public struct MapRenderer: RowImage {
    public let view: MapView
    /// The flat skin colour used where there is no `surface`.
    public let skin: LinearRGB
    /// Textured skin, stubble and scars; nil draws flat `skin`.
    public let surface: ScalpSurface?
    public let veil: LinearRGB
    /// 1 / (1 − V) per channel: what turns a dermal component's kernel loss into its depth.
    let dermalScale: SIMD4<Float>
    /// Components at least `DiffuseField.minimumSigmaMM` wide, summed on a coarse grid.
    let field: DiffuseField

    // Components in pixel units, structure of arrays.
    let dotX: [Float], dotY: [Float]
    /// Footprint radius in pixels (`InkDot.footprintSigmas` σ along the long axis).
    let dotReach: [Float]
    /// (A, B, C) of each component's exponent −(A·dx² + 2B·dx·dy + C·dy²), pixel units.
    let dotShape: [SIMD3<Float>]
    /// Peak optical depth per channel (fourth lane 0).
    let dotPeak: [SIMD4<Float>]
    let dotIsSurface: [Bool]
    /// The cubature rule a component needs (`ScaleSampling.ruleIndex`); 0 marks a wide one.
    let dotRule: [UInt8]
    /// Squared distance, pixels, beyond which a narrow component is faint in a whole pixel
    /// (`ScaleSampling.faintDepth`), so the 2 × 2 rule does for it there; infinite where the
    /// component's own rule is always needed.
    let dotFaintDistance2: [Float]
    /// The first strip a component reaches.
    let dotFirstStrip: [Int32]
    /// Per strip of `stripHeight` rows, the wide and the narrow components reaching it, in
    /// index order (compressed rows: `wideStart[k]..<wideStart[k + 1]`).
    let wideStart: [Int32], wideMembers: [Int32]
    let narrowStart: [Int32], narrowMembers: [Int32]
    /// The widest footprint, pixels: sizes the per-band scratch for separable splats.
    let widestReach: Float
    static let stripHeight = 8

    public init(view: MapView, skin: LinearRGB, surface: ScalpSurface? = nil, veil: LinearRGB = .zero, dots allDots: [InkDot]) {
        self.view = view
        self.skin = skin
        self.surface = surface
        self.veil = veil
        // Dermal depths are the transport kernel's loss L; the transmission's form
        // V + (1 − V) e^(−D) takes D = L / (1 − V), so that its darkening is L to first order.
        let dermalScale = SIMD4<Float>(1 / (1 - veil.x), 1 / (1 - veil.y), 1 / (1 - veil.z), 0)
        self.dermalScale = dermalScale
        let wide = allDots.filter { $0.sigmaMM >= DiffuseField.minimumSigmaMM && $0.amount > 0 }
        field = DiffuseField(components: wide, view: view, dermalScale: dermalScale, adding: surface?.hairShadowField)
        let dots = allDots.filter { $0.sigmaMM < DiffuseField.minimumSigmaMM }
        let scale = view.pixelsPerMM
        let width = Double(view.widthPixels), height = Double(view.heightPixels)
        // Components whose footprint misses the view are left out.
        let reaches = dots.map { $0.footprintSigmas * $0.sigmaMM * $0.elongation.squareRoot() * scale }
        // In the order bands meet them: by the strip where the footprint starts, then from left
        // to right (ties by input order). A band's components then lie together in memory; in
        // the scene's order (sessions, then the sampler's) reading each one's data missed the
        // cache, a tenth of the splats' time. This order is also the order of every pixel's
        // sums, the same for any split of the rows.
        let firstStrip = { (i: Int) -> Int in
            max(0, Int((((dots[i].yMM - view.originYMM) * scale - reaches[i]) / Double(Self.stripHeight)).rounded(.down)))
        }
        let kept = dots.indices.filter { i in
            let x = (dots[i].xMM - view.originXMM) * scale, y = (dots[i].yMM - view.originYMM) * scale, r = reaches[i]
            return x + r > 0 && x - r < width && y + r > 0 && y - r < height && dots[i].amount > 0
        }.map { (strip: firstStrip($0), x: dots[$0].xMM, index: $0) }
            .sorted { ($0.strip, $0.x, $0.index) < ($1.strip, $1.x, $1.index) }
            .map(\.index)
        dotX = kept.map { Float((dots[$0].xMM - view.originXMM) * scale) }
        dotY = kept.map { Float((dots[$0].yMM - view.originYMM) * scale) }
        dotReach = kept.map { Float(reaches[$0]) }
        dotShape = kept.map { dots[$0].quadraticForm(pixelsPerMM: scale) }
        dotPeak = kept.map { i in
            let p = dots[i].peakDepth, depth = SIMD4(p.x, p.y, p.z, 0)
            return dots[i].layer == .dermal ? depth * dermalScale : depth
        }
        dotIsSurface = kept.map { dots[$0].layer == .surface }
        dotRule = kept.map { i in
            let dot = dots[i], sigmaPixels = dot.sigmaMM / dot.elongation.squareRoot() * scale
            // A faint component over a pixel or more is as good as flat inside one: drawn at the
            // pixel centres (the transport kernel's shadows, the hair's through the skin), where
            // sampling it inside every pixel it reaches would double the render.
            if sigmaPixels >= ScaleSampling.faintWideSigmaPixels && Double(dot.peakDepth.max()) < ScaleSampling.faintWideDepth { return 0 }
            return UInt8(ScaleSampling.ruleIndex(sigmaPixels: sigmaPixels))
        }
        dotFaintDistance2 = kept.map { i in
            let dot = dots[i]
            return Float(ScaleSampling.faintDistanceSquared(sigmaMajorPixels: dot.sigmaMM * dot.elongation.squareRoot() * scale,
                                                            sigmaMinorPixels: dot.sigmaMM / dot.elongation.squareRoot() * scale,
                                                            peakDepth: Double(dot.peakDepth.max())))
        }
        widestReach = dotReach.max() ?? 0

        let strips = (view.heightPixels + Self.stripHeight - 1) / Self.stripHeight
        let ys = dotY, reach = dotReach
        func stripRange(_ i: Int) -> ClosedRange<Int> {
            let first = max(0, Int((ys[i] - reach[i]).rounded(.down)) / Self.stripHeight)
            let last = min(strips - 1, max(0, Int((ys[i] + reach[i]).rounded(.down))) / Self.stripHeight)
            return first...max(first, last)
        }
        dotFirstStrip = kept.indices.map { Int32(stripRange($0).lowerBound) }
        func lists(_ members: (Int) -> Bool) -> ([Int32], [Int32]) {
            var counts = [Int32](repeating: 0, count: strips + 1)
            for i in kept.indices where members(i) { for strip in stripRange(i) { counts[strip + 1] += 1 } }
            for k in 1..<counts.count { counts[k] += counts[k - 1] }
            var fill = counts
            var list = [Int32](repeating: 0, count: Int(counts.last ?? 0))
            for i in kept.indices where members(i) {
                for strip in stripRange(i) {
                    list[Int(fill[strip])] = Int32(i)
                    fill[strip] += 1
                }
            }
            return (counts, list)
        }
        let rules = dotRule
        (wideStart, wideMembers) = lists { rules[$0] == 0 }
        (narrowStart, narrowMembers) = lists { rules[$0] > 0 }
    }

    public var widthPixels: Int { view.widthPixels }
    public var heightPixels: Int { view.heightPixels }
    public var pixelsPerMM: Double? { view.pixelsPerMM }

    /// Renders pixel rows `rows` as RGB8 into `output`, rows `rowStride` bytes apart.
    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        guard !rows.isEmpty else { return }
        // Unwrapped once: an optional struct this large was copied on every pixel's use
        // (memcpy was 11 % of the render, measured with perf).
        if let surface {
            renderRows(rows, into: output, rowStride: rowStride, over: surface)
        } else {
            renderRows(rows, into: output, rowStride: rowStride, over: FlatSkin(skin: skin, width: view.widthPixels))
        }
    }

    func renderRows<Surface: SurfaceShading>(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int,
                                             over surface: Surface) {
        let band = PigmentBand(renderer: self, rows: rows)
        // A row's transmissions, its surface and then its pixels, each in a loop of its own:
        // short independent iterations the processor overlaps, where one loop doing everything
        // per pixel ran at its latency (a fifth slower).
        let width = view.widthPixels
        let transmissions = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: width)
        let skinTerms = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: width)
        let hairTerms = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: width)
        defer {
            band.deallocate()
            transmissions.deallocate()
            skinTerms.deallocate()
            hairTerms.deallocate()
        }
        SRGBTransfer.encodeTable.withUnsafeBufferPointer { table in
            for row in rows {
                band.transmissions(row: row, into: transmissions)
                surface.shadeRow(row, skin: skinTerms, hair: hairTerms)
                let line = output.baseAddress! + (row - rows.lowerBound) * rowStride
                // The unused fourth lane lands on the next pixel's red, which overwrites it
                // (storing it costs less than the optimiser's handling of a dead lane); the row's
                // last pixel stops at its blue.
                for column in 0..<width - 1 {
                    let color = hairTerms[column] + skinTerms[column] * transmissions[column]
                    let bytes = SRGBTransfer.encode(color, table: table)
                    let pixel = line + 3 &* column
                    pixel.storeBytes(of: bytes.0, as: UInt8.self)
                    (pixel + 1).storeBytes(of: bytes.1, as: UInt8.self)
                    (pixel + 2).storeBytes(of: bytes.2, as: UInt8.self)
                    (pixel + 3).storeBytes(of: bytes.3, as: UInt8.self)
                }
                let last = width - 1
                let bytes = SRGBTransfer.encode(hairTerms[last] + skinTerms[last] * transmissions[last], table: table)
                let pixel = line + 3 &* last
                pixel.storeBytes(of: bytes.0, as: UInt8.self)
                (pixel + 1).storeBytes(of: bytes.1, as: UInt8.self)
                (pixel + 2).storeBytes(of: bytes.2, as: UInt8.self)
            }
        }
    }

    /// The components reaching rows `rows` from the strip lists, once each, in index order.
    func components(reaching rows: Range<Int>, start: [Int32], members: [Int32]) -> [Int32] {
        let firstStrip = rows.lowerBound / Self.stripHeight, lastStrip = (rows.upperBound - 1) / Self.stripHeight
        var result: [Int32] = []
        for strip in firstStrip...lastStrip {
            for k in Int(start[strip])..<Int(start[strip + 1]) {
                let i = members[k]
                if strip == firstStrip || dotFirstStrip[Int(i)] == Int32(strip) { result.append(i) }
            }
        }
        if lastStrip > firstStrip { result.sort() }
        return result
    }
}

/// The pigment's transmission over one band of rows: wide components' optical depths at pixel
/// centres, splatted into per-pixel buffers, and per pixel the list of narrow components
/// reaching it, which `sampledTransmission` samples inside the pixel. Owns its memory; one per
/// band and thread.
struct PigmentBand {
    let renderer: MapRenderer
    let rows: Range<Int>
    let width: Int
    /// Columns any wide component reached (empty: none), so the buffers outside stay unread.
    var wideColumns: Range<Int>
    /// The wide components' optical depths at the pixel centres, a plane per channel: the
    /// transmissions then read four pixels' depths of a channel in one load (gathering them
    /// from RGB vectors, and scattering the results, was a fifth of that loop).
    let dermal: DepthPlanes
    let surface: DepthPlanes
    var hasWideSurface = false
    /// Per listed pixel (`listedPixels`) the first node of its narrow list; nodes chain through
    /// `Node.next`.
    let firstNode: UnsafeMutablePointer<Int32>
    /// A bit per pixel, set where `firstNode` is: a row's sampled pixels are found a word of 64 at
    /// a time (testing every pixel's list head was 4 % of the render's instructions).
    let listedPixels: UnsafeMutablePointer<UInt64>
    let wordsPerRow: Int
    /// The narrow lists' nodes, in plain memory with room for them all (`listNarrow`): an
    /// array's append checked its uniqueness per node (1 % of the render's instructions).
    var nodes: UnsafeMutablePointer<Node>
    var nodeCount = 0

    /// A narrow component listed at a pixel.
    struct Node {
        var component: Int32
        /// The pixel's next node (−1: none).
        var next: Int32
        /// The rule the component needs in this pixel: its own, or the 2 × 2 rule where it is
        /// faint there.
        var rule: UInt8
    }
    /// `ScaleSampling.rules`, fetched once: the global's lazy initialisation check was a call per
    /// sampled pixel.
    let rules = ScaleSampling.rules
    /// Scratch for one pixel's samples: optical depth per channel (dermal R, G, B, surface R,
    /// G, B), four samples per lane group, 64 groups at most (16 × 16 nodes).
    let sampleDepths: UnsafeMutablePointer<SIMD4<Float>>

    init(renderer: MapRenderer, rows: Range<Int>) {
        self.renderer = renderer
        self.rows = rows
        width = renderer.view.widthPixels
        let pixels = rows.count * width
        dermal = DepthPlanes(pixels: pixels)
        surface = DepthPlanes(pixels: pixels)
        // Read only where `listedPixels` has the pixel's bit: nothing to clear.
        firstNode = .allocate(capacity: pixels)
        wordsPerRow = (width + 63) / 64
        listedPixels = .allocate(capacity: rows.count * wordsPerRow)
        listedPixels.initialize(repeating: 0, count: rows.count * wordsPerRow)
        sampleDepths = .allocate(capacity: 6 * 64)
        wideColumns = 0..<0
        // Replaced by `listNarrow`, once it knows the room the band needs.
        nodes = .allocate(capacity: 1)

        let wide = renderer.components(reaching: rows, start: renderer.wideStart, members: renderer.wideMembers)
        let view = renderer.view, field = renderer.field
        let rowToMM = 1 / view.pixelsPerMM
        let fieldReaches = !field.isZero(fromYMM: view.originYMM + Double(rows.lowerBound) * rowToMM,
                                         toYMM: view.originYMM + Double(rows.upperBound) * rowToMM)
        if !wide.isEmpty || fieldReaches {
            var low = width, high = 0
            for i in wide {
                let x = renderer.dotX[Int(i)], r = renderer.dotReach[Int(i)]
                low = min(low, max(0, Int((x - r).rounded(.down))))
                high = max(high, min(width, Int((x + r).rounded(.up)) + 1))
            }
            if fieldReaches { (low, high) = (0, width) }
            wideColumns = low..<max(low, high)
            hasWideSurface = wide.contains { renderer.dotIsSurface[Int($0)] } || (fieldReaches && field.hasSurface)
            for row in 0..<rows.count {
                dermal.clear(from: row * width + low, count: wideColumns.count)
                if hasWideSurface { surface.clear(from: row * width + low, count: wideColumns.count) }
            }
            if fieldReaches {
                for row in rows {
                    field.addRow(yMM: view.originYMM + (Double(row) + 0.5) * rowToMM, dermalPlanes: dermal, surfacePlanes: surface,
                                 line: (row - rows.lowerBound) * width)
                }
            }
            splatWide(wide)
        }
        listNarrow(renderer.components(reaching: rows, start: renderer.narrowStart, members: renderer.narrowMembers))
    }

    func deallocate() {
        dermal.deallocate()
        surface.deallocate()
        firstNode.deallocate()
        listedPixels.deallocate()
        sampleDepths.deallocate()
        nodes.deallocate()
    }

    /// The columns and rows of this band that component `i`'s footprint square overlaps, nil if
    /// none.
    func footprint(_ i: Int) -> (c0: Int, c1: Int, r0: Int, r1: Int)? {
        let cx = renderer.dotX[i], cy = renderer.dotY[i], reach = renderer.dotReach[i]
        let c0 = max(0, Int((cx - reach).rounded(.down))), c1 = min(width - 1, Int((cx + reach).rounded(.down)))
        let r0 = max(rows.lowerBound, Int((cy - reach).rounded(.down))), r1 = min(rows.upperBound - 1, Int((cy + reach).rounded(.down)))
        return c0 <= c1 && r0 <= r1 ? (c0, c1, r0, r1) : nil
    }

    /// Adds each wide component's optical depth at the centres of the pixels it reaches.
    /// A circular one separably: a row of exponentials across and one per row down, four lanes
    /// at a time (`FastExp`, the same on every machine, where libm's expf may differ between
    /// processors with and without FMA); and per row only over the run of columns inside its
    /// footprint, from the chord's half-width, so the loop over them has no test.
    mutating func splatWide(_ components: [Int32]) {
        let r = renderer
        let reachMax = Int(r.widestReach.rounded(.up)) * 2 + 3
        // Padded to whole lane groups.
        let across = UnsafeMutablePointer<Float>.allocate(capacity: reachMax + 4)
        defer { across.deallocate() }
        for i32 in components {
            let i = Int(i32)
            guard let (c0, c1, r0, r1) = footprint(i) else { continue }
            let cx = r.dotX[i], cy = r.dotY[i], reach2 = r.dotReach[i] * r.dotReach[i]
            let q = r.dotShape[i], peak = r.dotPeak[i]
            let target = r.dotIsSurface[i] ? surface : dermal
            if q.y == 0 && q.x == q.z {
                for c in stride(from: c0, through: c1, by: 4) {
                    let dx = SIMD4<Float>(Float(c), Float(c &+ 1), Float(c &+ 2), Float(c &+ 3)) + 0.5 - cx
                    let values = FastExp.exp(-q.x * dx * dx)
                    UnsafeMutableRawPointer(across + (c &- c0)).storeBytes(of: values, as: SIMD4<Float>.self)
                }
                // Four rows at a time: the half-width of the footprint's chord on each (a square
                // root) and the factor down (an exponential), in vectors.
                for base in stride(from: r0, through: r1, by: 4) {
                    let dy = SIMD4<Float>(Float(base), Float(base &+ 1), Float(base &+ 2), Float(base &+ 3)) + 0.5 - cy
                    let dy2 = dy * dy
                    let chord = reach2 - dy2
                    let halves = chord.replacing(with: 0, where: chord .< 0).squareRoot()
                    let downs = FastExp.exp(-q.z * dy2)
                    for k in 0..<min(4, r1 &- base &+ 1) {
                        // The pixels whose centres lie inside the footprint: cx − ½ − half < c <
                        // cx − ½ + half.
                        let low = cx - 0.5 - halves[k], high = cx - 0.5 + halves[k]
                        guard high > 0 else { continue }
                        let first = max(c0, low < 0 ? 0 : Int(low) + 1)
                        let whole = Int(high), last = min(c1, Float(whole) == high ? whole - 1 : whole)
                        guard first <= last else { continue }
                        let line = (base &+ k &- rows.lowerBound) &* width
                        let down = peak * downs[k]
                        let red = target.red + line, green = target.green + line, blue = target.blue + line
                        // Four columns a step, then one: the same sums per pixel (a pixel at a
                        // time, with the index checks, was 19 instructions a pixel).
                        let downRed = SIMD4<Float>(repeating: down.x), downGreen = SIMD4<Float>(repeating: down.y)
                        let downBlue = SIMD4<Float>(repeating: down.z)
                        var c = first
                        while c &+ 3 <= last {
                            let weight = UnsafeRawPointer(across + (c &- c0)).loadUnaligned(as: SIMD4<Float>.self)
                            DepthPlanes.add(downRed * weight, at: red + c)
                            DepthPlanes.add(downGreen * weight, at: green + c)
                            DepthPlanes.add(downBlue * weight, at: blue + c)
                            c &+= 4
                        }
                        while c <= last {
                            let weight = across[c &- c0]
                            red[c] += down.x * weight
                            green[c] += down.y * weight
                            blue[c] += down.z * weight
                            c &+= 1
                        }
                    }
                }
            } else {
                for row in r0...r1 {
                    let dy = Float(row) + 0.5 - cy
                    let line = (row - rows.lowerBound) * width
                    for c in c0...c1 {
                        let dx = Float(c) + 0.5 - cx
                        guard dx * dx + dy * dy < reach2 else { continue }
                        target.add(peak * FastExp.exp(SIMD4(repeating: -(q.x * dx * dx + 2 * q.y * dx * dy + q.z * dy * dy)))[0], at: line + c)
                    }
                }
            }
        }
    }

    /// Lists each narrow component at every pixel whose square its footprint reaches.
    mutating func listNarrow(_ components: [Int32]) {
        let r = renderer
        // Room for every pixel of every footprint's square, reserved at once: growing three
        // arrays node by node was a twelfth of the sampled pixels' cost.
        var room = 0
        for i32 in components {
            if let (c0, c1, r0, r1) = footprint(Int(i32)) { room += (c1 - c0 + 1) * (r1 - r0 + 1) }
        }
        nodes.deallocate()
        nodes = .allocate(capacity: max(room, 1))
        // Pushed in reverse so that each pixel's list runs in index order.
        for i32 in components.reversed() {
            let i = Int(i32)
            guard let (c0, c1, r0, r1) = footprint(i) else { continue }
            let cx = r.dotX[i], cy = r.dotY[i], reach2 = r.dotReach[i] * r.dotReach[i]
            let faint2 = r.dotFaintDistance2[i], rule = r.dotRule[i]
            for row in r0...r1 {
                let y0 = Float(row)
                let dy = max(y0 - cy, 0, cy - (y0 + 1))
                // Wrapping sums and shifts (columns are ≥ 0): the overflow checks and the signed
                // division's fix-ups were a third of this loop (measured 2026-12-03).
                let line = (row &- rows.lowerBound) &* width, words = (row &- rows.lowerBound) &* wordsPerRow
                for c in c0...c1 {
                    // Distance from the centre to the nearest point of the pixel square.
                    let x0 = Float(c)
                    let dx = max(x0 - cx, 0, cx - (x0 + 1))
                    let distance2 = dx * dx + dy * dy
                    guard distance2 < reach2 else { continue }
                    let pixel = line &+ c
                    let word = words &+ (c &>> 6), bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: c & 63)
                    let next = listedPixels[word] & bit != 0 ? firstNode[pixel] : -1
                    (nodes + nodeCount).initialize(to: Node(component: i32, next: next, rule: distance2 > faint2 ? 1 : rule))
                    firstNode[pixel] = Int32(truncatingIfNeeded: nodeCount)
                    nodeCount &+= 1
                    listedPixels[word] |= bit
                }
            }
        }
    }

    /// The mean pigment transmission over each pixel of `row` (lane 3 unused): the type's
    /// equation without skin and hair. Pixels under wide components only, most of a treated
    /// area, are done four at a time with the channels in vectors of four pixels (one
    /// exponential per channel for four pixels; a pixel at a time, the optimiser split the
    /// polynomial into vector and scalar chains); pixels with narrow components then get
    /// their sampled means.
    func transmissions(row: Int, into result: UnsafeMutablePointer<SIMD4<Float>>) {
        result.update(repeating: SIMD4(repeating: 1), count: width)
        let line = (row - rows.lowerBound) * width
        let veil = renderer.veil
        var column = wideColumns.lowerBound
        while column < wideColumns.upperBound {
            let count = min(4, wideColumns.upperBound &- column)
            // Past `wideColumns` (the last group's spare lanes) the planes hold whatever they
            // hold: those lanes' results are not stored, and storing 1 where no lane in range is
            // inked leaves what is there.
            let (red, green, blue) = dermal.load4(at: line &+ column)
            var surfaceRed = SIMD4<Float>.zero, surfaceGreen = SIMD4<Float>.zero, surfaceBlue = SIMD4<Float>.zero
            if hasWideSurface { (surfaceRed, surfaceGreen, surfaceBlue) = surface.load4(at: line &+ column) }
            // Where a pixel has no dermal ink its transmission is exactly 1 (no veil arithmetic),
            // as where no component reaches; e^−0 is exactly 1 for the surface.
            let inked = (red .> 0) .| (green .> 0) .| (blue .> 0)
            if any(inked) || hasWideSurface {
                var tr = veil.x + (1 - veil.x) * FastExp.exp(-red)
                var tg = veil.y + (1 - veil.y) * FastExp.exp(-green)
                var tb = veil.z + (1 - veil.z) * FastExp.exp(-blue)
                let clear = SIMD4<Float>(repeating: 1)
                tr.replace(with: clear, where: .!inked)
                tg.replace(with: clear, where: .!inked)
                tb.replace(with: clear, where: .!inked)
                if hasWideSurface {
                    tr *= FastExp.exp(-surfaceRed)
                    tg *= FastExp.exp(-surfaceGreen)
                    tb *= FastExp.exp(-surfaceBlue)
                }
                if count == 4 {
                    // A whole group, the usual case: four fixed stores, no per-lane branch (0.8 %
                    // of the demo render's instructions, measured 2026-12-03).
                    result[column] = SIMD4(tr[0], tg[0], tb[0], 0)
                    result[column &+ 1] = SIMD4(tr[1], tg[1], tb[1], 0)
                    result[column &+ 2] = SIMD4(tr[2], tg[2], tb[2], 0)
                    result[column &+ 3] = SIMD4(tr[3], tg[3], tb[3], 0)
                } else {
                    for k in 0..<count { result[column &+ k] = SIMD4(tr[k], tg[k], tb[k], 0) }
                }
            }
            column &+= count
        }
        let words = listedPixels + (row - rows.lowerBound) * wordsPerRow
        for word in 0..<wordsPerRow {
            var bits = words[word]
            while bits != 0 {
                let column = word &* 64 &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                var d = SIMD4<Float>.zero, s = SIMD4<Float>.zero
                if wideColumns.contains(column) {
                    d = dermal.pixel(at: line &+ column)
                    if hasWideSurface { s = surface.pixel(at: line &+ column) }
                }
                let head = firstNode[line &+ column], first = nodes[Int(head)]
                if first.next < 0 && s == .zero && !renderer.dotIsSurface[Int(first.component)] {
                    result[column] = singleCoreTransmission(Int(first.component), rule: rules[Int(first.rule)], column: column, row: row, dermal: d)
                } else {
                    result[column] = sampledTransmission(column: column, row: row, head: head, dermal: d, surface: s)
                }
            }
        }
    }

    /// `sampledTransmission` in the common case, one dermal core and no surface ink: its depth
    /// goes straight into the transmission, without the per-sample depth buffer. Inlined in the
    /// row's loop (a call per pixel, with its set-up, cost as much as the samples).
    @inline(__always)
    func singleCoreTransmission(_ i: Int, rule: QuadratureRule, column: Int, row: Int, dermal d: SIMD4<Float>) -> SIMD4<Float> {
        let veil = renderer.veil
        let q = renderer.dotShape[i], peak = renderer.dotPeak[i]
        let x0 = Float(column) - renderer.dotX[i], y0 = Float(row) - renderer.dotY[i]
        var red = SIMD4<Float>.zero, green = SIMD4<Float>.zero, blue = SIMD4<Float>.zero
        for k in 0..<rule.groups {
            let dx = rule.offsetX[k] + x0, dy = rule.offsetY[k] + y0
            let g = FastExp.exp(-(q.x * dx * dx + 2 * q.y * dx * dy + q.z * dy * dy))
            let tr = veil.x + (1 - veil.x) * FastExp.exp(-(SIMD4(repeating: d.x) + peak.x * g))
            let tg = veil.y + (1 - veil.y) * FastExp.exp(-(SIMD4(repeating: d.y) + peak.y * g))
            let tb = veil.z + (1 - veil.z) * FastExp.exp(-(SIMD4(repeating: d.z) + peak.z * g))
            red += rule.weight[k] * tr
            green += rule.weight[k] * tg
            blue += rule.weight[k] * tb
        }
        return SIMD4(red.sum(), green.sum(), blue.sum(), 0)
    }

    /// The mean transmission over the pixel by the finest cubature rule its components ask for
    /// (`ScaleSampling`), the wide components' depths (d, s) taken as constant over it; four
    /// samples at a time. (`singleCoreTransmission` takes the common case.)
    func sampledTransmission(column: Int, row: Int, head: Int32, dermal d: SIMD4<Float>, surface s: SIMD4<Float>) -> SIMD4<Float> {
        var ruleIndex: UInt8 = 1
        var node = head
        var anySurface = s != .zero
        while node >= 0 {
            let i = Int(nodes[Int(node)].component)
            ruleIndex = max(ruleIndex, nodes[Int(node)].rule)
            anySurface = anySurface || renderer.dotIsSurface[i]
            node = nodes[Int(node)].next
        }
        let rule = rules[Int(ruleIndex)]
        let groups = rule.groups
        let veil = renderer.veil
        let depth = sampleDepths
        for k in 0..<groups {
            depth[6 * k] = SIMD4(repeating: d.x)
            depth[6 * k + 1] = SIMD4(repeating: d.y)
            depth[6 * k + 2] = SIMD4(repeating: d.z)
            depth[6 * k + 3] = SIMD4(repeating: s.x)
            depth[6 * k + 4] = SIMD4(repeating: s.y)
            depth[6 * k + 5] = SIMD4(repeating: s.z)
        }
        rule.offsetX.withUnsafeBufferPointer { offsetX in
            rule.offsetY.withUnsafeBufferPointer { offsetY in
                node = head
                while node >= 0 {
                    let i = Int(nodes[Int(node)].component)
                    let q = renderer.dotShape[i], peak = renderer.dotPeak[i]
                    let layer = renderer.dotIsSurface[i] ? 3 : 0
                    let x0 = Float(column) - renderer.dotX[i], y0 = Float(row) - renderer.dotY[i]
                    for k in 0..<groups {
                        let dx = offsetX[k] + x0, dy = offsetY[k] + y0
                        let g = FastExp.exp(-(q.x * dx * dx + 2 * q.y * dx * dy + q.z * dy * dy))
                        depth[6 * k + layer] += peak.x * g
                        depth[6 * k + layer + 1] += peak.y * g
                        depth[6 * k + layer + 2] += peak.z * g
                    }
                    node = nodes[Int(node)].next
                }
            }
        }
        return rule.weight.withUnsafeBufferPointer { weight in
            var red = SIMD4<Float>.zero, green = SIMD4<Float>.zero, blue = SIMD4<Float>.zero
            for k in 0..<groups {
                var tr = veil.x + (1 - veil.x) * FastExp.exp(-depth[6 * k])
                var tg = veil.y + (1 - veil.y) * FastExp.exp(-depth[6 * k + 1])
                var tb = veil.z + (1 - veil.z) * FastExp.exp(-depth[6 * k + 2])
                if anySurface {
                    tr *= FastExp.exp(-depth[6 * k + 3])
                    tg *= FastExp.exp(-depth[6 * k + 4])
                    tb *= FastExp.exp(-depth[6 * k + 5])
                }
                red += weight[k] * tr
                green += weight[k] * tg
                blue += weight[k] * tb
            }
            return SIMD4(red.sum(), green.sum(), blue.sum(), 0)
        }
    }
}

/// Optical depth per pixel, one plane of Floats per channel, with four spare entries at the end
/// so that a four-pixel load from any pixel stays inside. Owns its memory.
struct DepthPlanes {
    let red: UnsafeMutablePointer<Float>
    let green: UnsafeMutablePointer<Float>
    let blue: UnsafeMutablePointer<Float>

    init(pixels: Int) {
        red = .allocate(capacity: pixels + 4)
        green = .allocate(capacity: pixels + 4)
        blue = .allocate(capacity: pixels + 4)
    }

    func deallocate() {
        red.deallocate()
        green.deallocate()
        blue.deallocate()
    }

    func clear(from start: Int, count: Int) {
        (red + start).initialize(repeating: 0, count: count)
        (green + start).initialize(repeating: 0, count: count)
        (blue + start).initialize(repeating: 0, count: count)
    }

    @inline(__always)
    func add(_ depth: SIMD4<Float>, at index: Int) {
        red[index] += depth.x
        green[index] += depth.y
        blue[index] += depth.z
    }

    /// Adds `depths` to the four values from `plane` on.
    @inline(__always)
    static func add(_ depths: SIMD4<Float>, at plane: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(plane)
        raw.storeBytes(of: raw.loadUnaligned(as: SIMD4<Float>.self) + depths, as: SIMD4<Float>.self)
    }

    /// Pixels index…index + 3, a vector per channel.
    @inline(__always)
    func load4(at index: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        (UnsafeRawPointer(red + index).loadUnaligned(as: SIMD4<Float>.self),
         UnsafeRawPointer(green + index).loadUnaligned(as: SIMD4<Float>.self),
         UnsafeRawPointer(blue + index).loadUnaligned(as: SIMD4<Float>.self))
    }

    /// One pixel's depths (R, G, B, 0).
    @inline(__always)
    func pixel(at index: Int) -> SIMD4<Float> { SIMD4(red[index], green[index], blue[index], 0) }
}

/// How a pixel's mean transmission is sampled under a narrow Gaussian of σ pixels: the cheapest
/// of these cubature rules on the pixel square that keeps every pixel within an sRGB level.
/// - σ ≥ 2: one sample at the centre (a *wide* component);
/// - σ ≥ 0.75: 2 × 2 Gauss–Legendre nodes (one lane group);
/// - σ ≥ 0.5: Radon's 7-point rule, exact to total degree 5 (two groups);
/// - σ ≥ 0.3: Stroud's 12-point rule C2 7-1, exact to total degree 7 (three groups);
/// - below: n × n Gauss–Legendre nodes, n = ⌈1.5 / σ⌉ up to 16.
/// (A. H. Stroud, *Approximate Calculation of Multiple Integrals*, 1971; both rules have
/// positive weights and nodes inside the square.) Measured against a 96 × 96 midpoint
/// reference over random dot positions, shapes (elongation to 1.3) and peak optical depths
/// from 1 to 8, σ from 0.1 to 2 px, on skin of reflectance 0.6 (1,200 dots per σ band): the
/// worst pixel is 0.91 sRGB levels off, in the 2 × 2 band (σ 0.75–1), the mean 0.039 levels.
/// The 7- and 12-point rules replaced tensor rules of 9 and 16–25 nodes (n = ⌈1.5 / σ⌉): in
/// their bands the worst went from 0.20 to 0.48 (σ 0.5–0.75), 0.11 to 0.23 (0.375–0.5) and
/// 0.08 to 0.44 (0.3–0.375), still under the 2 × 2 band's, for a third fewer samples where
/// the demo's cores are (σ 0.4–0.75 px at 10 px/mm). The test `quadratureAccuracy` holds
/// every band to one level.
enum ScaleSampling {
    /// Components at least this wide (σ, pixels) whose optical depth never reaches
    /// `faintWideDepth` are drawn as wide ones, at pixel centres: against the pixel's mean the
    /// centre errs by about depth / (24 σ²), under 0.5 % of the transmission here, and their
    /// sums over an area are exact. The test `matchesReference` holds them to one level.
    static let faintWideSigmaPixels = 1.2, faintWideDepth = 0.3

    /// Which of `rules` a component of σ pixels needs; a larger index is a finer rule, so a
    /// pixel takes the largest its components ask for. 0 marks a wide component.
    static func ruleIndex(sigmaPixels σ: Double) -> Int {
        if σ >= 2 { return 0 }
        if σ >= 0.75 { return 1 }
        if σ >= 0.5 { return 2 }
        if σ >= 0.3 { return 3 }
        // 1.5 / σ > 5 here: n from 6.
        return 4 + min(16, Int((1.5 / σ).rounded(.up))) - 6
    }

    /// Where a narrow component's optical depth stays under this in a whole pixel, the 2 × 2
    /// rule samples it well enough. Measured as above, pixel by pixel over the footprints (σ
    /// 0.3–2 px, peaks 1–8, wide depth 0–1.5 under it, skin reflectance 0.05–0.7; 110,000
    /// pixels): where the bound below is under 0.5 the 2 × 2 rule's worst pixel was 0.52 sRGB
    /// levels off (0.59 for σ 0.3–0.5), no worse than the components' own rules (0.61, and
    /// 0.71). Those are 54–63 % of the pixels the cores reach; in the demo, 38 % fewer samples.
    static let faintDepth = 0.5

    /// The squared distance from a component's centre beyond which its depth in a pixel,
    /// bounded by its peak at the pixel's nearest point along its widest σ, is under
    /// `faintDepth`. Only for the 7- and 12-point bands: under a core narrower than 0.3 px a
    /// pixel's mean can hang on a sliver the 2 × 2 nodes miss (infinite: never faint).
    static func faintDistanceSquared(sigmaMajorPixels: Double, sigmaMinorPixels: Double, peakDepth: Double) -> Double {
        guard sigmaMinorPixels >= 0.3 else { return .infinity }
        guard peakDepth > faintDepth else { return 0 }
        return 2 * sigmaMajorPixels * sigmaMajorPixels * log(peakDepth / faintDepth)
    }

    /// Node offsets inside the pixel and weights, in lanes of four samples, padded with weight 0.
    static let rules: [QuadratureRule] = [QuadratureRule(nodesPerSide: 1), QuadratureRule(nodesPerSide: 2),
                                          .radon7, .stroud12] + (6...16).map { QuadratureRule(nodesPerSide: $0) }
}

/// A cubature rule over the unit square, four samples per lane group.
struct QuadratureRule: Sendable {
    let offsetX: [SIMD4<Float>], offsetY: [SIMD4<Float>], weight: [SIMD4<Float>]
    var groups: Int { weight.count }

    /// Nodes (x, y) in [0, 1]² with weights summing to 1.
    init(nodes: [(x: Double, y: Double, weight: Double)]) {
        let groups = (nodes.count + 3) / 4
        var x = [SIMD4<Float>](repeating: SIMD4(repeating: 0.5), count: groups), y = x
        var w = [SIMD4<Float>](repeating: .zero, count: groups)
        for (k, node) in nodes.enumerated() {
            x[k / 4][k % 4] = Float(node.x)
            y[k / 4][k % 4] = Float(node.y)
            w[k / 4][k % 4] = Float(node.weight)
        }
        offsetX = x
        offsetY = y
        weight = w
    }

    /// n × n Gauss–Legendre nodes.
    init(nodesPerSide n: Int) {
        let (nodes, weights) = QuadratureRule.gaussLegendre(n)
        self.init(nodes: (0..<n * n).map { k in (nodes[k % n], nodes[k / n], weights[k % n] * weights[k / n]) })
    }

    /// A rule given on [−1, 1]² (weights summing to 1), moved to the unit square.
    init(centredNodes nodes: [(x: Double, y: Double, weight: Double)]) {
        self.init(nodes: nodes.map { ((1 + $0.x) / 2, (1 + $0.y) / 2, $0.weight) })
    }

    /// Radon's 7-point rule, degree 5: the centre, two points on the y axis, four at (±√⅗, ±√⅓).
    static let radon7: QuadratureRule = {
        let r = (14.0 / 15).squareRoot(), s = (3.0 / 5).squareRoot(), t = (1.0 / 3).squareRoot()
        return QuadratureRule(centredNodes: [(0, 0, 2.0 / 7), (0, r, 5.0 / 63), (0, -r, 5.0 / 63),
                                             (s, t, 5.0 / 36), (s, -t, 5.0 / 36), (-s, t, 5.0 / 36), (-s, -t, 5.0 / 36)])
    }()

    /// Stroud's C2 7-1, degree 7: four points on the axes at r = √(6/7) and two rings of four on
    /// the diagonals.
    static let stroud12: QuadratureRule = {
        let root = 583.0.squareRoot()
        let r = (6.0 / 7).squareRoot(), s = ((114 - 3 * root) / 287).squareRoot(), t = ((114 + 3 * root) / 287).squareRoot()
        let axis = 49.0 / 810, inner = (178_981 + 2769 * root) / 1_888_920, outer = (178_981 - 2769 * root) / 1_888_920
        var nodes: [(x: Double, y: Double, weight: Double)] = [(r, 0, axis), (-r, 0, axis), (0, r, axis), (0, -r, axis)]
        for (d, w) in [(s, inner), (t, outer)] {
            nodes += [(d, d, w), (d, -d, w), (-d, d, w), (-d, -d, w)]
        }
        return QuadratureRule(centredNodes: nodes)
    }()

    /// Nodes in [0, 1] and weights summing to 1: roots of the Legendre polynomial Pₙ by Newton's
    /// method from the usual cosine guess.
    static func gaussLegendre(_ n: Int) -> ([Double], [Double]) {
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        for k in 0..<n {
            var x = cos(Double.pi * (Double(k) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for m in 2...max(2, n) where n >= 2 {
                    let p2 = (Double(2 * m - 1) * x * p1 - Double(m - 1) * p0) / Double(m)
                    p0 = p1
                    p1 = p2
                }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-15 { break }
            }
            nodes[k] = (1 - x) / 2
            weights[k] = 1 / ((1 - x * x) * derivative * derivative)
        }
        return (nodes, weights)
    }
}

/// What the renderer draws pigment over: textured skin and stubble (`ScalpSurface`) or one
/// flat colour (`FlatSkin`). A protocol only to specialise the pixel loop for each; never used
/// as an existential.
protocol SurfaceShading {
    /// Over each pixel of `row`: the mean of (1 − hairCover) · skin into `skin`, and of
    /// hairCover · hair into `hair` (lane 3 unused).
    func shadeRow(_ row: Int, skin: UnsafeMutablePointer<SIMD4<Float>>, hair: UnsafeMutablePointer<SIMD4<Float>>)
}

extension ScalpSurface: SurfaceShading {}

struct FlatSkin: SurfaceShading {
    let skin: LinearRGB
    let width: Int

    func shadeRow(_ row: Int, skin skinTerms: UnsafeMutablePointer<SIMD4<Float>>, hair: UnsafeMutablePointer<SIMD4<Float>>) {
        skinTerms.update(repeating: SIMD4(skin, 0), count: width)
        hair.update(repeating: .zero, count: width)
    }
}
