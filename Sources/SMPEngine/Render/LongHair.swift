import Foundation

/// Long hair as a head view shows it (`Scene.ExistingHair.lengthMM` of at least
/// `Scene.lyingHairMinimumMM`): hair lying over the scalp from a centre parting that runs from
/// the front hairline back to the crown whorl, and radially from the whorl behind it, in
/// strands. Where it is thin the scalp shows through, most along the parting and around the
/// whorl, which is where thinning long hair shows it (Ludwig's widening part); that scalp is
/// the map's, so SMP's dots under the hair make it show less.
///
/// How much of a point's scalp the hair hides: the hairs lying over it are those rooted
/// upstream within one hair length, so their optical depth is
///
///     τ = hairsPerCM2 · f · min(lengthMM, d) / 10 · w · strands
///
/// with f the map's hair fraction there (what hair loss left), d the distance from the parting
/// or the whorl (hair grows from there toward the point), w = 0.007 cm a hair's width, and
/// `strands` the clumping of the hair into strands (0.15…1.85, mean 1); d is lengthened by
/// `liftMM`, hair's rise from the scalp before it lies down; the hair covers
/// 1 − e^−τ. A full head (200 hairs/cm²) at the parting covers about 57 % of the scalp, three
/// centimetres away 99 %; at a Ludwig II mid-scalp's 40 %, 29 % and 86 %. Our model, not
/// a measurement; it shows where and roughly how much scalp a thinning head shows.
///
/// Here the hair is a colour on the scalp's surface: what lies on the vault, with the scalp
/// seen through it. Hair long enough to fall past the vault's sides is also a volume that
/// hangs from them (`HangingHair`).
struct LongHair: Sendable {
    let color: LinearRGB
    let hairsPerCM2: Double
    let lengthMM: Double
    /// The map's hair fraction, 0 off the scalp, per cell of `cellMM` from (originX, originY).
    let fraction: [Float]
    let originXMM: Double
    let originYMM: Double
    let cellMM: Double
    let columns: Int
    let rows: Int
    /// Where the parting ends and the hair starts to grow radially: the whorl on the head.
    let whorl: SIMD3<Double>
    /// The vault's top at the midline, to measure the distance from the parting.
    let vault: SIMD3<Double>
    let strands: ValueNoise
    let fineStrands: ValueNoise

    /// A hair's width, cm, and the strands' width across and length along, mm.
    static let hairWidthCM = 0.007
    static let strandWidthMM = 1.6
    static let strandLengthMM = 45.0
    static let fineStrandWidthMM = 0.35
    static let liftMM = 6.0
    static let edgeSoftnessMM = 3.0

    /// nil when the scene's hair is short enough to stand as stubble (the map's own hair shows).
    init?(scene: Scene, map: ScalpMap, cranium: Cranium) {
        let hair = scene.existingHair
        guard hair.lengthMM >= Scene.lyingHairMinimumMM, hair.hairsPerCM2 > 0 else { return nil }
        color = hair.color.linear
        hairsPerCM2 = hair.hairsPerCM2
        lengthMM = hair.lengthMM
        // Softened over `edgeSoftnessMM`: long hair lies over the hairline's irregular edge
        // instead of stopping at it.
        fraction = ScalpMap.boxBlur(zip(map.hairFraction, map.region).map { $1 == nil ? 0 : $0 }, columns: map.columns, rows: map.rows,
                                    radius: max(1, Int((Self.edgeSoftnessMM / map.cellMM).rounded())))
        originXMM = map.bounds.minXMM
        originYMM = map.bounds.minYMM
        cellMM = map.cellMM
        columns = map.columns
        rows = map.rows
        whorl = cranium.point(chartX: map.whorl.x, chartY: map.whorl.y) ?? SIMD3(0, 0, cranium.radii.z)
        vault = cranium.radii
        strands = ValueNoise(seed: scene.seed ^ 0x4C6F_6E67_4861_6972, pitchMM: 1)
        fineStrands = ValueNoise(seed: scene.seed ^ 0x5374_7261_6E64_7331, pitchMM: 1)
    }

    /// The map's hair fraction at chart point `c`, bilinear between cell centres.
    func hairFraction(at c: SIMD2<Double>) -> Double {
        let u = (c.x - originXMM) / cellMM - 0.5, v = (c.y - originYMM) / cellMM - 0.5
        let fu = u.rounded(.down), fv = v.rounded(.down)
        let tu = u - fu, tv = v - fv
        func at(_ column: Int, _ row: Int) -> Double {
            guard column >= 0, row >= 0, column < columns, row < rows else { return 0 }
            return Double(fraction[row * columns + column])
        }
        let c0 = Int(fu), r0 = Int(fv)
        let top = at(c0, r0) + (at(c0 + 1, r0) - at(c0, r0)) * tu
        let bottom = at(c0, r0 + 1) + (at(c0 + 1, r0 + 1) - at(c0, r0 + 1)) * tu
        return top + (bottom - top) * tv
    }

    /// How much of the scalp at surface point `p` (normal `n`, chart point `c`) the hair
    /// covers, 0…1, and the direction its strands lie in there (unit, tangent). `footprintMM`,
    /// the pixel's size on the surface, fades the strands to their mean where they are finer
    /// than a pixel.
    func cover(at p: SIMD3<Double>, normal n: SIMD3<Double>, chart c: SIMD2<Double>, footprintMM: Double)
        -> (cover: Double, strand: SIMD3<Double>) {
        let f = hairFraction(at: c)
        guard f > 0.002 else { return (0, SIMD3(0, 0, -1)) }
        // In front of the whorl the hair lies sideways from the midline (strands in planes of
        // constant y); behind it, radially from the whorl (strands in planes through its
        // vertical axis). Both across coordinates are 0 at the whorl's plane and grow toward
        // the back, so the strands run on without a seam.
        let across: Double, sideways: SIMD3<Double>, fromRoot: Double
        let back = p.y - whorl.y
        if back <= 0 {
            across = back
            sideways = SIMD3(0, 1, 0)
            // The parting: the midline of the vault at this depth.
            let t = min(max(p.y / vault.y, -1), 1)
            let partingZ = vault.z * (1 - t * t).squareRoot()
            fromRoot = (p.x * p.x + (partingZ - p.z) * (partingZ - p.z)).squareRoot()
        } else {
            let radial = (p.x * p.x + back * back).squareRoot()
            let angle = atan2(abs(p.x), back)   // 0 at the back midline, π/2 at the whorl's plane
            across = 60 * (Double.pi / 2 - angle)
            sideways = radial > 1e-6 ? SIMD3(back / radial, -p.x / radial, 0) : SIMD3(0, 1, 0)
            let d = p - whorl
            fromRoot = (d * d).sum().squareRoot()
        }
        var strand = SIMD3(n.y * sideways.z - n.z * sideways.y, n.z * sideways.x - n.x * sideways.z, n.x * sideways.y - n.y * sideways.x)
        let length = (strand * strand).sum().squareRoot()
        strand = length > 1e-9 ? strand / length : SIMD3(0, 0, -1)
        let clumping = self.clumping(across: across, along: -p.z + abs(p.x), footprintMM: footprintMM)
        // Hairs rise from the scalp before they lie down, so even at the parting the hair beside
        // it covers some (`liftMM` of upstream hair, our estimate).
        let upstream = min(lengthMM, fromRoot + Self.liftMM)
        let depth = hairsPerCM2 * f * upstream / 10 * Self.hairWidthCM * clumping
        return (1 - exp(-max(depth, 0)), strand)
    }

    /// How many hairs a strand gathers at (`across`, `along`) mm on the hair's own lattice,
    /// relative to the mean (0.15…1.85): clumps about `strandWidthMM` across and
    /// `strandLengthMM` along, wavy, with finer strands inside; their contrast fades where a
    /// pixel (`footprintMM` on the surface) spans several.
    func clumping(across: Double, along: Double, footprintMM: Double) -> Double {
        let wave = 1.2 * sin(along / 23 + across / 31)
        let coarse = strands.value(xMM: (across + wave) / Self.strandWidthMM, yMM: along / Self.strandLengthMM)
        let fine = fineStrands.value(xMM: (across + wave) / Self.fineStrandWidthMM, yMM: along / (0.3 * Self.strandLengthMM))
        let coarseContrast = min(1, Self.strandWidthMM / max(2 * footprintMM, 1e-6))
        let fineContrast = min(1, Self.fineStrandWidthMM / max(2 * footprintMM, 1e-6))
        return 1 + 0.4 * coarseContrast * coarse + 0.45 * fineContrast * fine
    }

    /// Hair's own highlight (Kajiya and Kay): a fibre along `strand` shines where the half
    /// vector `half` is perpendicular to it, a narrow white band across the strands, under the
    /// key light's `lit` (its cosine on the surface).
    static func sheen(strand: SIMD3<Double>, half: SIMD3<Double>, lit: Double) -> Double {
        let alongHalf = (strand * half).sum()
        let across = max(1 - alongHalf * alongHalf, 0).squareRoot()
        let a2 = across * across, a4 = a2 * a2, a8 = a4 * a4, a16 = a8 * a8, a32 = a16 * a16
        return 0.22 * a32 * a16 * lit
    }
}
