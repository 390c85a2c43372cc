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
    let hair: HairStubble
    /// How much the buried shaft darkens each channel: none where the hair is as light as skin.
    let buriedTint: LinearRGB

    // Pixel → cell and pixel → pore lattice coordinates: u = x · scale + offset.
    let cellScale: Float, cellOffsetX: Float, cellOffsetY: Float
    let poreScaleA: Float, poreOffsetXA: Float, poreOffsetYA: Float
    let poreScaleB: Float, poreOffsetXB: Float, poreOffsetYB: Float

    /// Pores: ~0.8 per mm², split over two tiles (our estimate: on the scalp the visible pores
    /// are mostly follicle openings, at about the FU density of 60–100 per cm², DOMAIN.md).
    static let poresPerMM2 = 0.8
    /// Pore lattice 0.02 mm (a 0.1 mm pore spans 5 steps); tiles of 640 and 521 steps repeat
    /// every 12.8 and 10.42 mm, together only every few metres.
    static let porePitchMM = 0.02
    static let poreTileSizes = (640, 521)
    /// `sample` filters hairs with a box this many pixels wide: half a pixel, so that two
    /// samples per pixel side (the renderer's least) never miss a hair between them.
    static let sampleFilterPixels: Float = 0.5

    public init(scene: Scene, map: ScalpMap, view: MapView) {
        self.view = view
        let skinSeed = SplitMix64.derive(scene.seed, stream: RandomStream.skinTexture.rawValue)
        let pixelMM = 1 / view.pixelsPerMM
        poresA = PoreTile(size: ScalpSurface.poreTileSizes.0, pitchMM: ScalpSurface.porePitchMM,
                          poresPerMM2: ScalpSurface.poresPerMM2 / 2, seed: SplitMix64.derive(skinSeed, stream: 10), pixelMM: pixelMM)
        poresB = PoreTile(size: ScalpSurface.poreTileSizes.1, pitchMM: ScalpSurface.porePitchMM,
                          poresPerMM2: ScalpSurface.poresPerMM2 / 2, seed: SplitMix64.derive(skinSeed, stream: 11), pixelMM: pixelMM)
        texture = SkinTexture(scene: scene, map: map, meanPoreDepth: poresA.meanDepth + poresB.meanDepth, seed: skinSeed)
        hair = HairStubble(scene: scene, map: map, view: view,
                           seed: SplitMix64.derive(scene.seed, stream: RandomStream.existingHair.rawValue))
        hairColor = scene.existingHair.color.linear
        let skin = scene.skin.color.linear
        buriedTint = LinearRGB(max(0, 1 - hairColor.x / max(skin.x, 1e-6)), max(0, 1 - hairColor.y / max(skin.y, 1e-6)),
                               max(0, 1 - hairColor.z / max(skin.z, 1e-6)))
        cellScale = Float(pixelMM / map.cellMM)
        cellOffsetX = Float((view.originXMM - map.bounds.minXMM) / map.cellMM - 0.5)
        cellOffsetY = Float((view.originYMM - map.bounds.minYMM) / map.cellMM - 0.5)
        poreScaleA = Float(pixelMM / poresA.pitchMM)
        poreOffsetXA = Float(view.originXMM / poresA.pitchMM)
        poreOffsetYA = Float(view.originYMM / poresA.pitchMM)
        poreScaleB = Float(pixelMM / poresB.pitchMM)
        // Tile B is also shifted so that the two tiles' origins do not coincide.
        poreOffsetXB = Float(view.originXMM / poresB.pitchMM) + 137.5
        poreOffsetYB = Float(view.originYMM / poresB.pitchMM) + 291.25
    }

    /// At a point in pixel coordinates of `view` (x right, y down; pixel (c, r) spans
    /// [c, c+1) × [r, r+1)).
    public func sample(x: Float, y: Float) -> SurfaceSample {
        let (base, poreStrength) = cellValue(x: x, y: y)
        let depth = poreDepth(x: x, y: y, filtered: false)
        let (cover, buried, sheen) = hair.coverage(x: x, y: y, filter: ScalpSurface.sampleFilterPixels)
        let skin = base * (1 - poreStrength * depth) * (LinearRGB(repeating: 1) - buriedTint * buried)
        return SurfaceSample(skin: skin, hairCover: cover, hair: hairColor + LinearRGB(repeating: HairStubble.highlight * sheen))
    }

    /// The mean over pixel (column, row) of hairCover · hair + (1 − hairCover) · skin.
    public func pixelMean(column: Int, row: Int) -> LinearRGB {
        let x = Float(column) + 0.5, y = Float(row) + 0.5
        let (base, poreStrength) = cellValue(x: x, y: y)
        let depth = poreDepth(x: x, y: y, filtered: true)
        let (cover, buried, sheen) = hair.coverage(x: x, y: y, filter: 1)
        let skin = base * (1 - poreStrength * depth) * (LinearRGB(repeating: 1) - buriedTint * buried)
        return cover * (hairColor + LinearRGB(repeating: HairStubble.highlight * sheen)) + (1 - cover) * skin
    }

    /// The skin's slowly varying colour and pore strength, bilinear over the 0.5 mm cells.
    @inline(__always)
    func cellValue(x: Float, y: Float) -> (LinearRGB, Float) {
        let columns = texture.columns, rows = texture.rows
        let u = min(max(x * cellScale + cellOffsetX, 0), Float(columns - 1))
        let v = min(max(y * cellScale + cellOffsetY, 0), Float(rows - 1))
        let i = min(Int(u), max(columns - 2, 0)), j = min(Int(v), max(rows - 2, 0))
        let fx = u - Float(i), fy = v - Float(j)
        let i1 = min(i + 1, columns - 1), j1 = min(j + 1, rows - 1)
        return texture.cells.withUnsafeBufferPointer { cells in
            let a = cells[j * columns + i], b = cells[j * columns + i1]
            let c = cells[j1 * columns + i], d = cells[j1 * columns + i1]
            let top = a + (b - a) * fx, bottom = c + (d - c) * fx
            let value = top + (bottom - top) * fy
            return (LinearRGB(value.x, value.y, value.z), value.w)
        }
    }

    /// Pore depth of both tiles at a point, or its mean over the pixel centred there.
    @inline(__always)
    func poreDepth(x: Float, y: Float, filtered: Bool) -> Float {
        let ua = x * poreScaleA + poreOffsetXA, va = y * poreScaleA + poreOffsetYA
        let ub = x * poreScaleB + poreOffsetXB, vb = y * poreScaleB + poreOffsetYB
        let a: Float, b: Float
        if filtered {
            a = poresA.pixelMeanDepth.withUnsafeBufferPointer { PoreTile.lookup($0, size: poresA.size, u: ua, v: va) }
            b = poresB.pixelMeanDepth.withUnsafeBufferPointer { PoreTile.lookup($0, size: poresB.size, u: ub, v: vb) }
        } else {
            a = poresA.depth.withUnsafeBufferPointer { PoreTile.lookup($0, size: poresA.size, u: ua, v: va) }
            b = poresB.depth.withUnsafeBufferPointer { PoreTile.lookup($0, size: poresB.size, u: ub, v: vb) }
        }
        return a + b
    }
}
