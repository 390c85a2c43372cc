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
    /// Per cell: linear RGB and the pore strength, row-major over the map's bounds.
    let cells: [SIMD4<Float>]
    let columns: Int
    let rows: Int

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
    /// R^0.75 (computed as √R · ⁴√R: sqrt is exactly rounded, so the same on every machine) of the skin's reflectance, which keeps the contrast similar on light and dark skin
    /// (hypopigmented scars on dark skin read clearly paler), with green and blue 2.5 % lower.
    static let scarTint = LinearRGB(1, 0.975, 0.975)
    /// Scar tissue is smoother: mottling reduced to 30 % and no pores.
    static let scarMottlingKept = 0.3

    static func scarTone(of skin: LinearRGB) -> LinearRGB {
        let root = skin.squareRoot()
        return root * root.squareRoot() * scarTint
    }

    init(scene: Scene, map: ScalpMap, meanPoreDepth: Float, seed: UInt64) {
        columns = map.columns
        rows = map.rows
        let t = scene.skin.texture, shine = scene.skin.shine
        let mottleCoarse = ValueNoise(seed: SplitMix64.derive(seed, stream: 1), pitchMM: SkinTexture.mottlingPitchesMM.coarse)
        let mottleFine = ValueNoise(seed: SplitMix64.derive(seed, stream: 2), pitchMM: SkinTexture.mottlingPitchesMM.fine)
        let redness = ValueNoise(seed: SplitMix64.derive(seed, stream: 3), pitchMM: SkinTexture.rednessPitchMM)
        let sheenNoise = ValueNoise(seed: SplitMix64.derive(seed, stream: 4), pitchMM: SkinTexture.sheenPitchMM)
        let skin = scene.skin.color.linear
        let scarTone = SkinTexture.scarTone(of: skin)
        let count = columns * rows
        var sheenField = [Double](repeating: 0, count: count)
        for row in 0..<rows {
            let y = map.bounds.minYMM + (Double(row) + 0.5) * map.cellMM
            for column in 0..<columns {
                let x = map.bounds.minXMM + (Double(column) + 0.5) * map.cellMM
                let s = max(0, sheenNoise.value(xMM: x, yMM: y))
                sheenField[row * columns + column] = s * s
            }
        }
        var weightedSheen = 0.0, baldWeight = 0.0
        for index in 0..<count where map.region[index] != nil {
            weightedSheen += (1 - Double(map.hairFraction[index])) * sheenField[index]
            baldWeight += 1 - Double(map.hairFraction[index])
        }
        let meanSheen = baldWeight > 0 ? weightedSheen / baldWeight : 0
        var cells = [SIMD4<Float>](repeating: .zero, count: count)
        for row in 0..<rows {
            let y = map.bounds.minYMM + (Double(row) + 0.5) * map.cellMM
            for column in 0..<columns {
                let x = map.bounds.minXMM + (Double(column) + 0.5) * map.cellMM
                let index = row * columns + column
                let scar = Double(map.scarCoverage[index]), hair = Double(map.hairFraction[index])
                let mottle = 0.7 * mottleCoarse.value(xMM: x, yMM: y) + 0.3 * mottleFine.value(xMM: x, yMM: y)
                let lum = 1 + t * SkinTexture.mottlingAmplitude * mottle * (1 - (1 - SkinTexture.scarMottlingKept) * scar)
                let n2 = t * redness.value(xMM: x, yMM: y)
                let red = LinearRGB(Float(1 + SkinTexture.rednessAmplitude.red * n2),
                                    Float(1 - SkinTexture.rednessAmplitude.greenBlue * n2),
                                    Float(1 - SkinTexture.rednessAmplitude.greenBlue * n2))
                let sheen = shine * SkinTexture.sheenAmplitude * (1 - hair) * (sheenField[index] - meanSheen)
                let pores = t * SkinTexture.poreDarkening * (1 - scar)
                let normal = skin * red * Float(lum / (1 - pores * Double(meanPoreDepth)))
                let colour = normal + (scarTone - normal) * Float(scar) + LinearRGB(repeating: Float(sheen))
                cells[index] = SIMD4(colour.x, colour.y, colour.z, Float(pores))
            }
        }
        self.cells = cells
    }
}
