import PoissonDisk

/// The bare scalp as the map view sees it, everything but the pigment: skin with its colour,
/// mottling, pores, sheen and scars (`SkinTexture`, `PoreTile`), and the existing hair shaved
/// to stubble (`HairStubble`). Built once per view; then a pure function of a point, so rows
/// can be evaluated in any order on any thread with bit-identical results. All randomness comes
/// from the scene seed (streams `skinTexture` and `existingHair`).
///
/// `sample` gives the surface at a point; `pixelMean` the mean over a pixel of
/// hairCover · hair + (1 − hairCover) · skin, which is what a camera records where there is no
/// pigment. It is computed from pre-filtered data (pores box-filtered to the pixel, hairs as
/// rectangles convolved with the pixel's square), not by supersampling, and agrees with averaging
/// `sample` over the pixel up to how hairs overlap inside it (measured in the tests: area means
/// within 0.05 %, a pixel within 0.2 % of the skin's luminance on average, within 5 % at the
/// 99th percentile, worst ≈ 24 % where several hairs of one FU cross one pixel by their root).
public struct ScalpSurface: Sendable {
    public let view: MapView
    /// The existing hair's colour, linear.
    public let hairColor: LinearRGB
    let texture: SkinTexture
    let poresA: PoreTile
    let poresB: PoreTile
    /// Their pixel means at this view's pixels.
    let pixelPoresA: PixelPoreTile
    let pixelPoresB: PixelPoreTile
    let hair: HairStubble
    /// How much the buried shaft darkens each channel: none where the hair is as light as skin.
    let buriedTint: LinearRGB
    /// The shadow the hair shafts under the skin cast through it (`HairStubble.transportShadow`),
    /// drawn by the renderer with the ink: its narrower components listed, its wider ones summed
    /// once per view into a field every image of the view adds.
    public let hairShadow: [InkDot]
    let hairShadowField: DiffuseField

    // Pixel → cell and pixel → pore lattice coordinates: u = x · scale + offset.
    let cellScale: Float, cellOffsetX: Float, cellOffsetY: Float
    let poreScaleA: Float, poreOffsetXA: Float, poreOffsetYA: Float
    let poreScaleB: Float, poreOffsetXB: Float, poreOffsetYB: Float
    /// Where each pixel column's and row's centre falls on the cells, the pore tiles and the
    /// hair bins, worked out once per view with the same arithmetic as for any point: a pixel's
    /// lookups then need no floor or division (they were half of the surface's cost).
    let columnSteps: [PixelSteps], rowSteps: [PixelSteps]
    /// `columnSteps` as `shadeRow`'s bare-skin loop reads them (`ColumnShading`).
    let columnShading: [ColumnShading]

    /// Pores: ~0.8 per mm², split over two tiles (our estimate: on the scalp the visible pores
    /// are mostly follicle openings, at about the FU density of 60–100 per cm², DOMAIN.md).
    static let poresPerMM2 = 0.8
    /// Pore lattice 0.02 mm (a 0.1 mm pore spans 5 steps); tiles of 640 and 521 steps repeat
    /// every 12.8 and 10.42 mm, together only every few metres. A view stretches each tile to
    /// a whole number of its pixels (`PixelPoreTile`): by under 0.4 % at 10 px/mm, under 4 % at
    /// the coarsest 1 px/mm, so a pore lies where it lies in another view of the same scale,
    /// and within that fraction of its distance from the chart's origin at another scale.
    static let porePitchMM = 0.02
    static let poreTileSizes = (640, 521)
    /// `sample` filters hairs with a box this many pixels wide: half a pixel, so that two
    /// samples per pixel side (the renderer's least) never miss a hair between them.
    static let sampleFilterPixels: Float = 0.5

    /// The surface of `view` with hair growing from `follicularUnits` (`FollicleLayout`'s, placed
    /// once for the whole map and shared by every view of it).
    public init(_ parameters: SurfaceParameters, map: ScalpMap, view: MapView, follicularUnits: [PoissonDot]) {
        self.view = view
        let skinSeed = SplitMix64.derive(parameters.seed, stream: RandomStream.skinTexture.rawValue)
        let pixelMM = 1 / view.pixelsPerMM
        let sizes = ScalpSurface.poreTileSizes, pitch = ScalpSurface.porePitchMM
        let periods = (PixelPoreTile.period(size: sizes.0, pitchMM: pitch, pixelsPerMM: view.pixelsPerMM),
                       PixelPoreTile.period(size: sizes.1, pitchMM: pitch, pixelsPerMM: view.pixelsPerMM))
        // Lattice steps per pixel, and the stretched lattice pitch in mm.
        let stepsPerPixel = (PixelPoreTile.stepsPerPixel(size: sizes.0, period: periods.0),
                             PixelPoreTile.stepsPerPixel(size: sizes.1, period: periods.1))
        let pitches = (pixelMM / stepsPerPixel.0, pixelMM / stepsPerPixel.1)
        poresA = PoreTile(size: sizes.0, pitchMM: pitches.0, poresPerMM2: ScalpSurface.poresPerMM2 / 2,
                          seed: SplitMix64.derive(skinSeed, stream: 10))
        poresB = PoreTile(size: sizes.1, pitchMM: pitches.1, poresPerMM2: ScalpSurface.poresPerMM2 / 2,
                          seed: SplitMix64.derive(skinSeed, stream: 11))
        texture = SkinTexture(skin: parameters.skin, map: map, view: view, meanPoreDepth: poresA.meanDepth + poresB.meanDepth, seed: skinSeed)
        hair = HairStubble(existingHair: parameters.existingHair, map: map, view: view, follicularUnits: follicularUnits)
        hairColor = parameters.existingHair.color.linear
        let shadow = hair.transportShadow(hairColor: hairColor, view: view, depthMM: parameters.existingHair.shaftShadowDepthMM)
        hairShadow = shadow.filter { $0.sigmaMM < DiffuseField.minimumSigmaMM }
        let veil = parameters.veil
        hairShadowField = DiffuseField(components: shadow.filter { $0.sigmaMM >= DiffuseField.minimumSigmaMM }, view: view,
                                       dermalScale: SIMD4<Float>(1 / (1 - veil.x), 1 / (1 - veil.y), 1 / (1 - veil.z), 0))
        let skin = parameters.skin.color.linear
        buriedTint = LinearRGB(max(0, 1 - hairColor.x / max(skin.x, 1e-6)), max(0, 1 - hairColor.y / max(skin.y, 1e-6)),
                               max(0, 1 - hairColor.z / max(skin.z, 1e-6)))
        cellScale = Float(pixelMM / map.cellMM)
        cellOffsetX = Float((view.originXMM - texture.originXMM) / map.cellMM - 0.5)
        cellOffsetY = Float((view.originYMM - texture.originYMM) / map.cellMM - 0.5)
        poreScaleA = Float(stepsPerPixel.0)
        poreOffsetXA = Float(view.originXMM / pitches.0)
        poreOffsetYA = Float(view.originYMM / pitches.0)
        poreScaleB = Float(stepsPerPixel.1)
        // Tile B is also shifted so that the two tiles' origins do not coincide.
        poreOffsetXB = Float(view.originXMM / pitches.1) + 137.5
        poreOffsetYB = Float(view.originYMM / pitches.1) + 291.25
        pixelPoresA = PixelPoreTile(poresA, period: periods.0, offsetX: poreOffsetXA, offsetY: poreOffsetYA)
        pixelPoresB = PixelPoreTile(poresB, period: periods.1, offsetX: poreOffsetXB, offsetY: poreOffsetYB)
        let textureSize = (texture.columns, texture.rows), binSize = hair.binSize, cellScale = cellScale
        func steps(count: Int, offset: Float, cells: Int, bins: Int) -> [PixelSteps] {
            (0..<count).map { pixel in
                PixelSteps(cell: ScalpSurface.cellStep((Float(pixel) + 0.5) * cellScale + offset, count: cells),
                           poreA: Int32(pixel % periods.0), poreB: Int32(pixel % periods.1),
                           hairBin: pixel / binSize < bins ? Int32(pixel / binSize) : -1)
            }
        }
        columnSteps = steps(count: view.widthPixels, offset: cellOffsetX, cells: textureSize.0, bins: hair.binColumns)
        rowSteps = steps(count: view.heightPixels, offset: cellOffsetY, cells: textureSize.1, bins: hair.binRows)
        columnShading = columnSteps.map { step in
            ColumnShading(fraction: SIMD4(repeating: step.cell.fraction),
                          cellOffset: UInt32(step.cell.index) * UInt32(MemoryLayout<SIMD4<Float>>.stride),
                          poreA: UInt32(step.poreA), poreB: UInt32(step.poreB))
        }
    }

    /// A pixel centre's place along one axis of each lattice the surface reads.
    struct PixelSteps {
        var cell: LatticeStep
        /// The pixel's column (or row) in each `PixelPoreTile`.
        var poreA: Int32
        var poreB: Int32
        /// The hair bin's column or row (−1: outside the bins).
        var hairBin: Int32
    }

    /// A column's `PixelSteps` in the form the bare-skin loop of `shadeRow` reads with the
    /// fewest instructions (28 → 23 a pixel, measured 2026-12-03): the blend across already in
    /// all lanes, the left cell as a byte offset into the blended row (the right one is the
    /// next: `blendedCellRow` repeats the last cell past the end, where `cellStep` clamps), and
    /// unsigned columns, which widen to an index for free.
    struct ColumnShading {
        var fraction: SIMD4<Float>
        var cellOffset: UInt32
        var poreA: UInt32
        var poreB: UInt32
    }

    /// At a point in pixel coordinates of `view` (x right, y down; pixel (c, r) spans
    /// [c, c+1) × [r, r+1)).
    public func sample(x: Float, y: Float) -> SurfaceSample {
        let (base, poreStrength) = cellValue(x: x, y: y)
        let depth = poreDepth(x: x, y: y)
        let (cover, buried, sheen) = hair.coverage(x: x, y: y, filter: ScalpSurface.sampleFilterPixels)
        let bare = bareSkin(base: base, poreStrength: poreStrength, poreDepth: depth)
        let skin = bare * (LinearRGB(repeating: 1) - buriedTint * buried)
        return SurfaceSample(skin: skin, hairCover: cover, hair: hairColor + LinearRGB(repeating: HairStubble.highlight * sheen))
    }

    /// The mean over pixel (column, row) of hairCover · hair + (1 − hairCover) · skin.
    public func pixelMean(column: Int, row: Int) -> LinearRGB {
        let terms = pixelTerms(column: column, row: row)
        return terms.hair + terms.skin
    }

    /// The two parts of `pixelMean`: the mean of hairCover · hair, and of (1 − hairCover) · skin,
    /// the part pigment under the hair darkens.
    public func pixelTerms(column: Int, row: Int) -> (hair: LinearRGB, skin: LinearRGB) {
        let across = columnSteps[column], down = rowSteps[row]
        let (base, poreStrength) = cellValue(across.cell, down.cell)
        let depth = pixelPoresA.depths[Int(down.poreA) * pixelPoresA.period + Int(across.poreA)]
            + pixelPoresB.depths[Int(down.poreB) * pixelPoresB.period + Int(across.poreB)]
        let bare = bareSkin(base: base, poreStrength: poreStrength, poreDepth: depth)
        guard across.hairBin >= 0, down.hairBin >= 0 else { return (.zero, bare) }
        let (cover, buried, sheen) = hair.coverage(x: Float(column) + 0.5, y: Float(row) + 0.5, filter: 1,
                                                   bin: Int(down.hairBin) * hair.binColumns + Int(across.hairBin))
        let terms = underHair(bareSkin: SIMD4(bare, 0), cover: cover, buried: buried, sheen: sheen)
        return (LinearRGB(terms.hair.x, terms.hair.y, terms.hair.z), LinearRGB(terms.skin.x, terms.skin.y, terms.skin.z))
    }

    /// `pixelTerms` for every column of `row`, lane 3 unused: the same values, with the skin
    /// raster's two rows blended once per image row instead of once per pixel, and in two passes: bare
    /// skin for every column in a tight loop, then the stubble over the columns whose hair bins
    /// hold any hair (separate loops let the processor overlap pixels; one loop doing both ran
    /// at the hair code's pace everywhere).
    func shadeRow(_ row: Int, skin: UnsafeMutablePointer<SIMD4<Float>>, hair hairTerms: UnsafeMutablePointer<SIMD4<Float>>) {
        let down = rowSteps[row]
        let cellRow = blendedCellRow(down.cell)
        defer { cellRow.deallocate() }
        let rowA = Int(down.poreA) * pixelPoresA.period, rowB = Int(down.poreB) * pixelPoresB.period
        pixelPoresA.depths.withUnsafeBufferPointer { poresA in
            pixelPoresB.depths.withUnsafeBufferPointer { poresB in
                columnShading.withUnsafeBufferPointer { steps in
                    let cells = UnsafeRawPointer(cellRow)
                    for column in 0..<steps.count {
                        let across = steps[column]
                        let left = cells.load(fromByteOffset: Int(across.cellOffset), as: SIMD4<Float>.self)
                        let right = cells.load(fromByteOffset: Int(across.cellOffset) &+ MemoryLayout<SIMD4<Float>>.stride, as: SIMD4<Float>.self)
                        let cell = left + (right - left) * across.fraction
                        let depth = poresA[rowA &+ Int(across.poreA)] + poresB[rowB &+ Int(across.poreB)]
                        // Lane 3 is left holding a by-product (no one reads it): zeroing it cost shuffles.
                        skin[column] = cell * (1 - cell.w * depth)
                        hairTerms[column] = .zero
                    }
                }
            }
        }
        guard down.hairBin >= 0 else { return }
        // Four neighbouring pixels of one bin at a time (`HairStubble.coverage`).
        let hairRow = Int(down.hairBin) * hair.binColumns, binSize = hair.binSize, y = Float(row) + 0.5
        let width = columnSteps.count
        // Pixel centres of a group: exact in Float (columns are far below 2²³).
        let centres = SIMD4<Float>(0.5, 1.5, 2.5, 3.5)
        hair.withBins { bins in
            hair.hairedColumns.withUnsafeBufferPointer { hairedColumns in
                for k in Int(hair.hairedStart[Int(down.hairBin)])..<Int(hair.hairedStart[Int(down.hairBin) + 1]) {
                    let binColumn = Int(hairedColumns[k])
                    let end = min((binColumn + 1) * binSize, width)
                    for first in stride(from: binColumn * binSize, to: end, by: 4) {
                        // No hair over any of the four: the bare skin and zero hair stand.
                        guard let (cover, buried, sheen) = hair.coverage(x: Float(first) + centres, y: y, filter: 1,
                                                                         bin: hairRow &+ binColumn, in: bins),
                              any((cover .> 0) .| (buried .> 0)) else { continue }
                        for lane in 0..<min(4, end - first) {
                            let column = first + lane
                            (hairTerms[column], skin[column]) = underHair(bareSkin: skin[column], cover: cover[lane], buried: buried[lane], sheen: sheen[lane])
                        }
                    }
                }
            }
        }
    }

    /// Row `down` of the skin's cells blended toward the next one, as a new buffer, with the last
    /// cell repeated once past the end (`ColumnShading`).
    func blendedCellRow(_ down: LatticeStep) -> UnsafeMutablePointer<SIMD4<Float>> {
        let columns = texture.columns
        let row = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: columns + 1)
        texture.cells.withUnsafeBufferPointer { cells in
            // Row pointers, so the loop has no index sums to check for overflow.
            let top = cells.baseAddress! + Int(down.index) * columns, bottom = cells.baseAddress! + Int(down.next) * columns
            for i in 0..<columns { (row + i).initialize(to: top[i] + (bottom[i] - top[i]) * down.fraction) }
        }
        row.advanced(by: columns).initialize(to: row[columns - 1])
        return row
    }

    @inline(__always)
    func bareSkin(base: LinearRGB, poreStrength: Float, poreDepth: Float) -> LinearRGB { base * (1 - poreStrength * poreDepth) }

    /// The stubble over bare skin at a pixel, from the hairs' cover there: the skin darkened by
    /// buried shafts and partly covered, and the cover's own reflectance (lane 3 unused, 0).
    /// No branch for hairless pixels, which are as unpredictable as the hairs: there the
    /// arithmetic multiplies the skin by exactly 1 and the hair by 0.
    @inline(__always)
    func underHair(bareSkin: SIMD4<Float>, cover: Float, buried: Float, sheen: Float) -> (hair: SIMD4<Float>, skin: SIMD4<Float>) {
        let skin = bareSkin * (SIMD4(1, 1, 1, 0) - SIMD4(buriedTint, 0) * buried)
        let highlight = SIMD4<Float>(HairStubble.highlight, HairStubble.highlight, HairStubble.highlight, 0)
        return (cover * (SIMD4(hairColor, 0) + highlight * sheen), (1 - cover) * skin)
    }

    /// The skin's slowly varying colour and pore strength, bilinear over the 0.5 mm cells.
    @inline(__always)
    func cellValue(x: Float, y: Float) -> (LinearRGB, Float) {
        cellValue(ScalpSurface.cellStep(x * cellScale + cellOffsetX, count: texture.columns),
                  ScalpSurface.cellStep(y * cellScale + cellOffsetY, count: texture.rows))
    }

    /// Cell coordinate u on an axis of `count` cells, clamped to the raster (its edge cells
    /// extend outward).
    static func cellStep(_ u: Float, count: Int) -> LatticeStep {
        let clamped = min(max(u, 0), Float(count - 1))
        let i = min(Int(clamped), max(count - 2, 0))
        return LatticeStep(index: Int32(i), next: Int32(min(i + 1, count - 1)), fraction: clamped - Float(i))
    }

    @inline(__always)
    func cellValue(_ across: LatticeStep, _ down: LatticeStep) -> (LinearRGB, Float) {
        let columns = texture.columns
        return texture.cells.withUnsafeBufferPointer { cells in
            // Blended down first, then across, as `shadeRow` does a row at a time.
            let a = cells[Int(down.index) * columns + Int(across.index)], b = cells[Int(down.index) * columns + Int(across.next)]
            let c = cells[Int(down.next) * columns + Int(across.index)], d = cells[Int(down.next) * columns + Int(across.next)]
            let left = a + (c - a) * down.fraction, right = b + (d - b) * down.fraction
            let value = left + (right - left) * across.fraction
            return (LinearRGB(value.x, value.y, value.z), value.w)
        }
    }

    /// Pore depth of both tiles at a point.
    @inline(__always)
    func poreDepth(x: Float, y: Float) -> Float {
        let ua = x * poreScaleA + poreOffsetXA, va = y * poreScaleA + poreOffsetYA
        let ub = x * poreScaleB + poreOffsetXB, vb = y * poreScaleB + poreOffsetYB
        return poresA.depth.withUnsafeBufferPointer { PoreTile.lookup($0, size: poresA.size, u: ua, v: va) }
            + poresB.depth.withUnsafeBufferPointer { PoreTile.lookup($0, size: poresB.size, u: ub, v: vb) }
    }
}
