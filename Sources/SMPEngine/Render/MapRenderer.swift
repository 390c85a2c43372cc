import Dispatch
import Foundation

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
    /// `surface`'s pixel terms kept from an earlier image of the same view (the live page's),
    /// read instead of shading its rows again; nil shades them.
    let shading: ShadedSurface?
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

    /// `threads` build the wide components' field (`DiffuseField`), the same for any count;
    /// `fieldBlurs` false splats each of its components (the tests' reference).
    public init(view: MapView, skin: LinearRGB, surface: ScalpSurface? = nil, veil: LinearRGB = .zero, dots allDots: [InkDot],
                threads: Int = 1) {
        self.init(view: view, skin: skin, surface: surface, veil: veil, dots: allDots, threads: threads, fieldBlurs: true)
    }

    /// `shading`: `surface`'s terms already worked out (`ShadedSurface`), for this same view.
    init(view: MapView, skin: LinearRGB, surface: ScalpSurface?, shading: ShadedSurface? = nil, veil: LinearRGB, dots allDots: [InkDot],
         threads: Int, fieldBlurs: Bool) {
        precondition(shading == nil || (surface != nil && shading!.width == view.widthPixels && shading!.height == view.heightPixels),
                     "MapRenderer: the kept surface terms are \(shading.map { "\($0.width) × \($0.height)" } ?? "none") for a surface of "
                        + "\(view.widthPixels) × \(view.heightPixels) pixels; they must be that surface's own")
        self.view = view
        self.skin = skin
        self.surface = surface
        self.shading = shading
        self.veil = veil
        // Dermal depths are the transport kernel's loss L; the transmission's form
        // V + (1 − V) e^(−D) takes D = L / (1 − V), so that its darkening is L to first order.
        let dermalScale = SIMD4<Float>(1 / (1 - veil.x), 1 / (1 - veil.y), 1 / (1 - veil.z), 0)
        self.dermalScale = dermalScale
        let wide = allDots.filter { $0.sigmaMM >= DiffuseField.minimumSigmaMM && $0.amount > 0 }
        // With two threads or more the field is built beside the narrow components' lists below:
        // those are one thread's work (a sort and per-component maps, about a tenth of a live
        // page's change), which would leave a core idle. The field has the same bits either way.
        let building = DispatchGroup(), slot = FieldSlot()
        let buildField = { @Sendable [hairShadowField = surface?.hairShadowField] in
            DiffuseField(components: wide, view: view, dermalScale: dermalScale, adding: hairShadowField, threads: threads, blurs: fieldBlurs)
        }
        if threads > 1 { DispatchQueue.global().async(group: building) { slot.field = buildField() } }
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
        building.wait()
        field = slot.field ?? buildField()
    }

    public var widthPixels: Int { view.widthPixels }
    public var heightPixels: Int { view.heightPixels }
    public var pixelsPerMM: Double? { view.pixelsPerMM }

    /// Renders pixel rows `rows` as RGB8 into `output`, rows `rowStride` bytes apart.
    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        guard !rows.isEmpty else { return }
        // Unwrapped once: an optional struct this large is copied on every pixel's use.
        if let shading {
            renderRows(rows, into: output, rowStride: rowStride, over: shading)
        } else if let surface {
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

/// The diffuse field a background thread built, for the thread that waited for it.
private final class FieldSlot: @unchecked Sendable {
    var field: DiffuseField?
}
