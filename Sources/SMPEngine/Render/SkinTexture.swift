import PoissonDisk

/// The skin's slowly varying colour on the map's 0.5 mm cells: the scene's skin colour with
/// mottling, a red (erythema) variation, a sheen where the scalp is bald, and scar tissue; plus
/// per cell how strongly pores show. Fine pores come from `PoreTile`s at the renderer's
/// resolution; everything here varies over millimetres or more, so a bilinear lookup of the
/// cells is its value at a point and its mean over a pixel alike.
///
/// Per cell, with n₁, n₂, n₃ value noise in −1…1 and t = `skin.texture`, σ = `skin.shine`:
///
///     lum    = 1 + t · 0.08 · n₁ · (1 − 0.7 scar)                 mottling
///     red    = (1 + 0.05 t n₂, 1 − 0.02 t n₂, 1 − 0.02 t n₂)   erythema
///     sheen  = σ · 0.03 · (1 − hair) · (s − s̄),  s = max(0, n₃)²   added to every channel
///     pores  = t · 0.35 · (1 − scar)                          darkening at a pore's centre
///     colour = mix(skin ⊙ red · lum / (1 − pores · mean pore depth), scarTone, scar) + sheen
///
/// The sheen is specular, so it adds grey light rather than scaling the skin's colour: it shows
/// on dark skin and hardly on light skin, as on real bald heads. Every variation has zero mean
/// (s̄ is the mean of s over the bald scalp, weighted by 1 − hair) and the pores' mean darkening
/// is divided out, so the mean reflectance of untreated skin is the scene's colour: the preset is
/// what a camera records on average.
struct SkinTexture: Sendable {
    /// Per cell: linear RGB and the pore strength, row-major over the map's bounds widened by
    /// whole cells to cover the view: a view reaching past the chart (a hairline close-up
    /// showing the forehead) sees textured skin there, not the raster's edge cells stretched
    /// into stripes.
    let cells: [SIMD4<Float>]
    let columns: Int
    let rows: Int
    /// The raster's first cell corner, mm, on the map's cell grid.
    let originXMM: Double
    let originYMM: Double

    /// Mottling: a few % luminance over several mm (our estimate from close-up scalp photos).
    static let mottlingAmplitude = 0.08
    static let mottlingPitchesMM = (coarse: 5.0, fine: 1.6)
    /// Erythema: a slight red variation over several mm (our estimate).
    static let rednessAmplitude = (red: 0.05, greenBlue: 0.02)
    static let rednessPitchMM = 7.0
    /// Sheen of bald scalp: soft highlights over tens of mm adding up to 3 % reflectance at
    /// shine 1 (our estimate: skin lipids reflect about 4 % at normal incidence, Fresnel with
    /// n ≈ 1.5; a top-down map under diffuse light catches part of it, so it stays gentle).
    static let sheenAmplitude = 0.03
    static let sheenPitchMM = 40.0
    /// Darkening at a pore's centre at texture 1 (our estimate).
    static let poreDarkening = 0.35
    /// Scar tissue: paler (DOMAIN.md, "The scalp") and slightly pinker. Our estimate: a lift
    /// R^0.625 (computed as √R · ⁸√R: sqrt is exactly rounded, so the same on every machine) of
    /// the skin's reflectance, which keeps the contrast similar on light and dark skin
    /// (hypopigmented scars on dark skin read clearly paler), with green and blue 2.5 % lower.
    static let scarTint = LinearRGB(1, 0.975, 0.975)
    /// Scar tissue is smoother: mottling reduced to 30 % and no pores.
    static let scarMottlingKept = 0.3
    /// Scar tissue is smooth and slightly shiny: this much reflectance added where it is (our
    /// estimate, two thirds of bald scalp's strongest sheen at shine 1).
    static let scarSheen: Float = 0.02

    static func scarTone(of skin: LinearRGB) -> LinearRGB {
        let root = skin.squareRoot()
        return root * root.squareRoot().squareRoot() * scarTint
    }

    init(skin parameters: Scene.Skin, map: ScalpMap, view: MapView, meanPoreDepth: Float, seed: UInt64) {
        // Whole cells added on each side until the view is covered (one more for the bilinear
        // blend at its edge).
        let cellMM = map.cellMM
        let left = max(0, Int(((map.bounds.minXMM - view.originXMM) / cellMM).rounded(.up)) + 1)
        let top = max(0, Int(((map.bounds.minYMM - view.originYMM) / cellMM).rounded(.up)) + 1)
        let right = max(0, Int(((view.originXMM + view.widthMM - map.bounds.minXMM - Double(map.columns) * cellMM) / cellMM).rounded(.up)) + 1)
        let bottom = max(0, Int(((view.originYMM + view.heightMM - map.bounds.minYMM - Double(map.rows) * cellMM) / cellMM).rounded(.up)) + 1)
        columns = map.columns + left + right
        rows = map.rows + top + bottom
        originXMM = map.bounds.minXMM - Double(left) * cellMM
        originYMM = map.bounds.minYMM - Double(top) * cellMM
        /// The map cell under texture cell (column, row), nil off the chart.
        func mapIndex(_ column: Int, _ row: Int) -> Int? {
            let c = column - left, r = row - top
            return (0..<map.columns).contains(c) && (0..<map.rows).contains(r) ? r * map.columns + c : nil
        }
        let t = parameters.texture, shine = parameters.shine
        let mottleCoarse = ValueNoise(seed: SplitMix64.derive(seed, stream: 1), pitchMM: SkinTexture.mottlingPitchesMM.coarse)
        let mottleFine = ValueNoise(seed: SplitMix64.derive(seed, stream: 2), pitchMM: SkinTexture.mottlingPitchesMM.fine)
        let redness = ValueNoise(seed: SplitMix64.derive(seed, stream: 3), pitchMM: SkinTexture.rednessPitchMM)
        let sheenNoise = ValueNoise(seed: SplitMix64.derive(seed, stream: 4), pitchMM: SkinTexture.sheenPitchMM)
        let skin = parameters.color.linear
        let scarTone = SkinTexture.scarTone(of: skin)
        let count = columns * rows
        // Cell centres, and each noise at every one of them.
        let xs = (0..<columns).map { [originXMM] column in originXMM + (Double(column) + 0.5) * cellMM }
        let ys = (0..<rows).map { [originYMM] row in originYMM + (Double(row) + 0.5) * cellMM }
        let coarse = mottleCoarse.values(xsMM: xs, ysMM: ys), fine = mottleFine.values(xsMM: xs, ysMM: ys)
        let reddening = redness.values(xsMM: xs, ysMM: ys)
        let sheenField = sheenNoise.values(xsMM: xs, ysMM: ys).map { value in
            let s = max(0, value)
            return s * s
        }
        var weightedSheen = 0.0, baldWeight = 0.0
        for row in 0..<rows {
            for column in 0..<columns {
                guard let index = mapIndex(column, row), map.region[index] != nil else { continue }
                weightedSheen += (1 - Double(map.hairFraction[index])) * sheenField[row * columns + column]
                baldWeight += 1 - Double(map.hairFraction[index])
            }
        }
        let meanSheen = baldWeight > 0 ? weightedSheen / baldWeight : 0
        var cells = [SIMD4<Float>](repeating: .zero, count: count)
        for row in 0..<rows {
            for column in 0..<columns {
                let index = row * columns + column
                // Off the chart: plain bald skin (no scar, no hair).
                let onMap = mapIndex(column, row)
                let scar = onMap.map { Double(map.scarCoverage[$0]) } ?? 0, hair = onMap.map { Double(map.hairFraction[$0]) } ?? 0
                let mottle = 0.7 * coarse[index] + 0.3 * fine[index]
                let lum = 1 + t * SkinTexture.mottlingAmplitude * mottle * (1 - (1 - SkinTexture.scarMottlingKept) * scar)
                let n2 = t * reddening[index]
                let red = LinearRGB(Float(1 + SkinTexture.rednessAmplitude.red * n2),
                                    Float(1 - SkinTexture.rednessAmplitude.greenBlue * n2),
                                    Float(1 - SkinTexture.rednessAmplitude.greenBlue * n2))
                let sheen = shine * SkinTexture.sheenAmplitude * (1 - hair) * (sheenField[index] - meanSheen)
                let pores = t * SkinTexture.poreDarkening * (1 - scar)
                let normal = skin * red * Float(lum / (1 - pores * Double(meanPoreDepth)))
                let colour = normal + (scarTone - normal) * Float(scar) + LinearRGB(repeating: Float(sheen) + SkinTexture.scarSheen * Float(scar))
                cells[index] = SIMD4(colour.x, colour.y, colour.z, Float(pores))
            }
        }
        self.cells = cells
    }
}
