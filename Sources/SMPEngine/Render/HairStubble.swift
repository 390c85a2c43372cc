import PoissonDisk

/// The existing hair, shaved to stubble, as the map view sees it from above: follicular units
/// (FU) placed by Poisson-disk sampling at the map's hair density, 1–4 hairs each, every hair a
/// short dark stroke from its root in the direction hair grows, plus the shaft still under the
/// skin, seen through the epidermis as a faint shadow behind the root (what makes a freshly
/// shaved head read darker than bald skin). The hairs of one FU share one follicular canal, so
/// the shadow is drawn once per FU, along its first hair.
///
/// Coverage is anti-aliased: a hair is a rectangle (shaft width × visible length) convolved
/// with a square filter (see `coverage`), so its integral over the image is its area whatever
/// the filter, and a hair thinner than a pixel covers part of it.
/// Hairs are binned in square tiles of `binSize` pixels, each listing the hairs that reach it.
struct HairStubble: Sendable {
    /// Shaft diameter: Caucasian ~72 µm, Asian ~80 µm, African ~73 µm (DOMAIN.md, sourced).
    static let shaftWidthMM: Float = 0.075
    /// FU sizes 1/2/3/4 hairs = 28/53/18/1 % (DOMAIN.md, Tsai 2002 / OAE 2017), as
    /// `FollicleLayout` counts them.
    static let fuSizeCumulative: [Double] = [0.28, 0.81, 0.99, 1.0]
    /// Stubble longer than this lies down and tangles rather than standing as short strokes;
    /// the model stops there (long hair is not modelled: it would cover the skin).
    static let maximumVisibleLengthMM: Float = 3
    /// Seen from above a hair leaving the scalp at 20–45° shows cos(angle) ≈ 0.7–0.95 of its
    /// length; with growth differing between hairs, per-hair factor 0.7…1.05 (our estimate).
    static let visibleLengthFactor: ClosedRange<Float> = 0.7...1.05
    /// The shaft under the skin: the follicle runs on beneath the surface opposite to the
    /// emerging hair, steeply (30–60°), so it stays visible through the epidermis (≈ 0.1–0.3 mm)
    /// for only about 0.6 mm seen from above; 0.12 mm wide (shaft and sheath in the follicle's
    /// funnel); darkening the skin at the root by 0.45 + 0.1 (k − 1) for an FU of k hairs (a thicker bundle casts a darker shadow), fading
    /// linearly with depth (our estimates): the dark dot at each root of a freshly shaved head.
    static let buriedLengthMM: Float = 0.6
    static let buriedWidthMM: Float = 0.12
    static func buriedDarkening(hairs: Int) -> Float { 0.45 + 0.1 * Float(hairs - 1) }
    /// Hairs of one FU leave the same opening, splayed slightly: roots within ±0.04 mm,
    /// directions within ±0.25 rad of the FU's, the FU within ±0.3 rad of the flow (estimates).
    static let rootSpreadMM: Float = 0.04
    static let hairJitter: Float = 0.25
    static let fuJitter: Float = 0.3
    /// Specular highlight along a shaft, added to the hair's colour at its axis: keratin
    /// (n ≈ 1.55) reflects about 4.6 % at normal incidence; a top-down view under diffuse light
    /// catches part of it (our estimate: 3 %). It makes dark stubble read as round shafts.
    static let highlight: Float = 0.03
    /// Hairs are binned in squares of about this side (whole pixels, 2 to 32).
    static let binSizeMM = 0.4

    let halfWidth: Float
    let buriedHalfWidth: Float
    let buriedLength: Float
    let binSize: Int
    let binColumns: Int
    let binRows: Int
    let binStart: [Int32]
    /// Per row of bins, the columns of the bins that list any hair (`hairedStart[row]..<
    /// hairedStart[row + 1]` in `hairedColumns`): a row of the image visits only those, since
    /// most bins of a bald top hold none and testing each of them costs more than the few
    /// haired ones.
    let hairedStart: [Int32]
    let hairedColumns: [Int32]
    /// Per bin, what the per-pixel loop needs to reject a hair, copied in bin order: the loop
    /// reads its bin front to back instead of chasing an index per hair into `records` (that
    /// dependent load was the hair code's largest cost).
    let binEntries: [BinnedHair]
    /// Every hair, one record each; the per-pixel loop reads the record of a hair that
    /// reaches the pixel.
    let records: [Record]
    var count: Int { records.count }

    /// One hair, in pixel units of the view, with its pixel footprint's trapezoid for a
    /// 1-pixel filter (see `trapezoidCDF`).
    struct Record {
        var rootX: Float, rootY: Float, dirX: Float, dirY: Float, length: Float
        /// The FU's shadow under the skin, on its first hair; 0 on the others.
        var buriedDarkening: Float
        /// Which FU the hair belongs to (hairs of one FU have consecutive indices).
        var unit: Int32
        /// h, k, 1/a and 1/(2ab) for the widths a = max(|dirX|, |dirY|), b = min(…) (≥ 0.001).
        var h: Float, k: Float, inverseA: Float, inverseTwoAB: Float
    }

    /// A hair as listed in a bin: where it is, and its index in `records`.
    struct BinnedHair {
        var rootX: Float, rootY: Float, dirX: Float, dirY: Float, length: Float
        /// `Record.h`.
        var h: Float
        var hair: Int32
    }

    init(existingHair: Scene.ExistingHair, map: ScalpMap, view: MapView, follicularUnits placed: [PoissonDot]) {
        let scale = Float(view.pixelsPerMM)
        halfWidth = HairStubble.shaftWidthMM / 2 * scale
        buriedHalfWidth = HairStubble.buriedWidthMM / 2 * scale
        buriedLength = HairStubble.buriedLengthMM * scale
        binSize = min(32, max(2, Int((HairStubble.binSizeMM * view.pixelsPerMM).rounded())))
        binColumns = (view.widthPixels + binSize - 1) / binSize
        binRows = (view.heightPixels + binSize - 1) / binSize

        var xs: [Float] = [], ys: [Float] = [], dxs: [Float] = [], dys: [Float] = [], lengths: [Float] = [], shadows: [Float] = [], units: [Int32] = []
        // In rows of a bin's size, left to right (ties by the sampler's order): the hairs a bin lists
        // then lie together in `records`, where in the sampler's order reading a reached hair's
        // record missed the cache (a sixth of the cover's time). The order is the chart's, the
        // same in every view, and every pixel folds its hairs in it.
        let follicularUnits = placed.enumerated()
            .map { (row: Int(($0.element.yMM / HairStubble.binSizeMM).rounded(.down)), x: $0.element.xMM, index: $0.offset, unit: $0.element) }
            .sorted { ($0.row, $0.x, $0.index) < ($1.row, $1.x, $1.index) }
            .map(\.unit)
        let stubbleMM = min(Float(existingHair.stubbleLengthMM), HairStubble.maximumVisibleLengthMM)
        let whorl = SIMD2<Float>(Float(map.whorl.x), Float(map.whorl.y))
        for (unitIndex, unit) in follicularUnits.enumerated() {
            var random = SplitMix64(seed: unit.variationSeed)
            func uniform() -> Float { Float(random.next() >> 40) * 0x1p-24 }
            let u = Double(uniform())
            let hairs = (HairStubble.fuSizeCumulative.firstIndex { u < $0 } ?? 3) + 1
            let root = SIMD2<Float>(Float(unit.xMM), Float(unit.yMM))
            let flow = HairStubble.rotated(HairStubble.flow(at: root, whorl: whorl), by: (2 * uniform() - 1) * HairStubble.fuJitter)
            for hair in 0..<hairs {
                let offset = SIMD2<Float>(2 * uniform() - 1, 2 * uniform() - 1) * HairStubble.rootSpreadMM
                let direction = HairStubble.rotated(flow, by: (2 * uniform() - 1) * HairStubble.hairJitter)
                let factor = HairStubble.visibleLengthFactor.lowerBound
                    + uniform() * (HairStubble.visibleLengthFactor.upperBound - HairStubble.visibleLengthFactor.lowerBound)
                let p = root + offset
                xs.append((p.x - Float(view.originXMM)) * scale)
                ys.append((p.y - Float(view.originYMM)) * scale)
                dxs.append(direction.x)
                dys.append(direction.y)
                lengths.append(stubbleMM * factor * scale)
                shadows.append(hair == 0 ? HairStubble.buriedDarkening(hairs: hairs) : 0)
                units.append(Int32(unitIndex))
            }
        }

        // Bins: a hair is listed in every bin whose square comes within its reach of the hair's
        // segment (from the buried end to the tip), padded by the widest filter (1 px).
        let reach = max(halfWidth, buriedHalfWidth) + 1
        let binSize = self.binSize, binColumns = self.binColumns, binRows = self.binRows
        let buried = buriedLength
        func forEachBin(_ i: Int, _ body: (Int) -> Void) {
            let ax = xs[i] - dxs[i] * buried, ay = ys[i] - dys[i] * buried
            let bx = xs[i] + dxs[i] * lengths[i], by = ys[i] + dys[i] * lengths[i]
            let size = Float(binSize)
            let c0 = max(0, Int(((min(ax, bx) - reach) / size).rounded(.down)))
            let c1 = min(binColumns - 1, Int(((max(ax, bx) + reach) / size).rounded(.down)))
            let r0 = max(0, Int(((min(ay, by) - reach) / size).rounded(.down)))
            let r1 = min(binRows - 1, Int(((max(ay, by) + reach) / size).rounded(.down)))
            guard c0 <= c1, r0 <= r1 else { return }
            let halfDiagonal = size * 0.7072
            for row in r0...r1 {
                for column in c0...c1 {
                    let cx = (Float(column) + 0.5) * size, cy = (Float(row) + 0.5) * size
                    if HairStubble.distanceToSegment(cx, cy, ax, ay, bx, by) <= halfDiagonal + reach { body(row * binColumns + column) }
                }
            }
        }
        // Each hair's bins, hair after hair, found once, rather than once to count the bins and
        // again to fill them.
        var reachedBins: [Int32] = [], reachedEnds: [Int] = []
        reachedEnds.reserveCapacity(xs.count)
        for i in xs.indices {
            forEachBin(i) { reachedBins.append(Int32($0)) }
            reachedEnds.append(reachedBins.count)
        }
        var counts = [Int32](repeating: 0, count: binColumns * binRows + 1)
        for bin in reachedBins { counts[Int(bin) + 1] += 1 }
        for k in 1..<counts.count { counts[k] += counts[k - 1] }
        var fill = counts
        var members = [Int32](repeating: 0, count: Int(counts.last ?? 0))
        var reached = 0
        for i in xs.indices {
            for bin in reachedBins[reached..<reachedEnds[i]] {
                members[Int(fill[Int(bin)])] = Int32(i)
                fill[Int(bin)] += 1
            }
            reached = reachedEnds[i]
        }
        records = xs.indices.map { i in
            let a = max(abs(dxs[i]), abs(dys[i])), b = max(min(abs(dxs[i]), abs(dys[i])), 1e-3)
            return Record(rootX: xs[i], rootY: ys[i], dirX: dxs[i], dirY: dys[i], length: lengths[i], buriedDarkening: shadows[i],
                          unit: units[i], h: (a + b) / 2, k: (a - b) / 2, inverseA: 1 / a, inverseTwoAB: 1 / (2 * a * b))
        }
        binStart = counts
        var hairedStart: [Int32] = [0], hairedColumns: [Int32] = []
        for row in 0..<binRows {
            for column in 0..<binColumns where counts[row * binColumns + column] < counts[row * binColumns + column + 1] {
                hairedColumns.append(Int32(column))
            }
            hairedStart.append(Int32(hairedColumns.count))
        }
        self.hairedStart = hairedStart
        self.hairedColumns = hairedColumns
        let hairRecords = records
        binEntries = members.map { i in
            let r = hairRecords[Int(i)]
            return BinnedHair(rootX: r.rootX, rootY: r.rootY, dirX: r.dirX, dirY: r.dirY, length: r.length, h: r.h, hair: i)
        }
    }

    /// The direction hair grows at a chart point: away from the crown whorl, turning clockwise
    /// around it near the whorl (84 % of whorls are clockwise, DOMAIN.md), and combed forward
    /// in front of it (hair on the top of the head grows toward the forehead). Built with sqrt
    /// only, so it is the same on every machine. Chart y grows toward the back of the head.
    static func flow(at p: SIMD2<Float>, whorl: SIMD2<Float>) -> SIMD2<Float> {
        let r = p - whorl
        let distance = (r * r).sum().squareRoot()
        guard distance > 1e-3 else { return SIMD2(0, -1) }
        let radial = r / distance
        let clockwise = SIMD2(-radial.y, radial.x)   // clockwise on an image with y down
        let swirl: Float = 1.2 / (1 + (distance / 25) * (distance / 25))
        let forward = min(1, max(0, (whorl.y - p.y) / 40)) * 0.4
        return normalized(radial + swirl * clockwise + SIMD2(0, -forward))
    }

    static func normalized(_ v: SIMD2<Float>) -> SIMD2<Float> {
        let length = (v * v).sum().squareRoot()
        return length > 0 ? v / length : SIMD2(0, -1)
    }

    /// Rotated by a small angle (radians), without trigonometry: tan-like step then renormalise.
    static func rotated(_ v: SIMD2<Float>, by angle: Float) -> SIMD2<Float> {
        normalized(v + angle * SIMD2(-v.y, v.x))
    }

    static func distanceToSegment(_ px: Float, _ py: Float, _ ax: Float, _ ay: Float, _ bx: Float, _ by: Float) -> Float {
        let ex = bx - ax, ey = by - ay
        let lengthSquared = ex * ex + ey * ey
        let t = lengthSquared > 0 ? min(1, max(0, ((px - ax) * ex + (py - ay) * ey) / lengthSquared)) : 0
        let dx = px - (ax + t * ex), dy = py - (ay + t * ey)
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The cumulative distribution of the sum of two centred uniform variables of widths a ≥ b
    /// (h = (a + b)/2, k = (a − b)/2): a trapezoid, the profile of a square a pixel's footprint
    /// projected onto a direction at angle θ (widths |cos θ| and |sin θ|).
    /// Per lane, without branches (which lane takes which piece is unpredictable).
    @inline(__always)
    static func trapezoidCDF(_ x: SIMD4<Float>, h: Float, k: Float, inverseA: Float, inverseTwoAB: Float) -> SIMD4<Float> {
        let low = x + h, high = h - x
        var value = 0.5 + x * inverseA
        value.replace(with: low * low * inverseTwoAB, where: x .< -k)
        value.replace(with: 1 - high * high * inverseTwoAB, where: x .> k)
        value.replace(with: 1, where: x .>= h)
        value.replace(with: 0, where: x .<= -h)
        return value
    }

    /// A buried shaft's filtered cover at offsets `along` and `across` from its root (before its
    /// darkening): its width's trapezoid integral across, its length's along, tapered with
    /// depth. A call of its own: inlined in the row loop, the optimiser fused its four trapezoids
    /// into wide vectors and split them again, and a shadowed hair cost three times the
    /// instructions (measured 2026-12-03).
    @inline(never)
    static func buriedShadow(along: SIMD4<Float>, across: SIMD4<Float>, h: Float, k: Float, inverseA: Float, inverseTwoAB: Float,
                             halfWidth: Float, length: Float, inverseLength: Float) -> SIMD4<Float> {
        @inline(__always) func F(_ v: SIMD4<Float>) -> SIMD4<Float> {
            trapezoidCDF(v, h: h, k: k, inverseA: inverseA, inverseTwoAB: inverseTwoAB)
        }
        let crossBuried = F(halfWidth - across) + F(halfWidth + across) - 1
        let alongBuried = F(-along) - F(-length - along)
        let taper = clamped(1 + along * inverseLength)
        return crossBuried * alongBuried * taper
    }

    /// Each lane clamped to [0, 1]. (`pointwiseMin` and `pointwiseMax` were not inlined: a
    /// call each, a tenth of the hair code.)
    @inline(__always)
    static func clamped(_ v: SIMD4<Float>) -> SIMD4<Float> {
        v.replacing(with: 0, where: v .< 0).replacing(with: 1, where: v .> 1)
    }

    /// |v| per lane: the sign bit cleared, as `abs` does.
    @inline(__always)
    static func magnitude(_ v: SIMD4<Float>) -> SIMD4<Float> {
        unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt32>.self) & 0x7FFF_FFFF, to: SIMD4<Float>.self)
    }

    /// The cover of one FU's hairs at a point from their own covers cᵢ: halfway between max cᵢ
    /// (right where they overlap, near the shared root) and 1 − Π(1 − cᵢ) (right where they are
    /// apart). The same at a point where cᵢ are 0 or 1; inside a pixel, closer to the area the
    /// hairs cover together than either (measured against supersampling: see the tests).
    @inline(__always)
    static func unitCover(max: SIMD4<Float>, uncovered: SIMD4<Float>) -> SIMD4<Float> { (max + 1 - uncovered) / 2 }

    /// At a point (pixels): the hair cover (FUs combined as 1 − Π(1 − FU cover)) and the buried shafts' darkening of
    /// the skin (Σ over FUs, at most 1: FUs hardly overlap, and a sum keeps pixel means exact),
    /// each hair filtered by a square `filter` pixels wide, axis-aligned like the pixel: in the
    /// hair's frame its footprint projects to a trapezoid both across and along the hair, so a
    /// hair crossing a pixel at any angle covers it by its area there (exact away from the ends).
    /// `sheen` is 1 − (t / half width)² at the offset t from the axis of the hair covering the
    /// point most: the highlight along a round shaft (mean 2/3 across it), blended toward 2/3 as
    /// the filter widens to the shaft's width (a pixel wider than a shaft sees its mean).
    @inline(__always)
    func coverage(x: Float, y: Float, filter: Float) -> (cover: Float, buried: Float, sheen: Float) {
        guard x >= 0, y >= 0 else { return (0, 0, 0) }
        let column = Int(x) / binSize, row = Int(y) / binSize
        guard column < binColumns, row < binRows else { return (0, 0, 0) }
        return coverage(x: x, y: y, filter: filter, bin: row * binColumns + column)
    }

    /// `coverage` at a point known to lie in `bin`.
    @inline(__always)
    func coverage(x: Float, y: Float, filter: Float, bin: Int) -> (cover: Float, buried: Float, sheen: Float) {
        let c = coverage(x: SIMD4(repeating: x), y: y, filter: filter, bin: bin)
        return (c.cover[0], c.buried[0], c.sheen[0])
    }

    /// The bins' arrays as buffer pointers: a row's loop fetches them once, where fetching them
    /// for every group of four pixels, inside a closure the optimiser would not inline, cost as
    /// much as the hairs' own arithmetic (a group lists only a few hairs).
    struct Bins {
        let start: UnsafeBufferPointer<Int32>
        let entries: UnsafeBufferPointer<BinnedHair>
        let records: UnsafeBufferPointer<Record>
    }

    func withBins<Result>(_ body: (Bins) -> Result) -> Result {
        binStart.withUnsafeBufferPointer { start in
            binEntries.withUnsafeBufferPointer { entries in
                records.withUnsafeBufferPointer { records in
                    body(Bins(start: start, entries: entries, records: records))
                }
            }
        }
    }

    /// `coverage` at four points of one row in `bin`, a lane each: every lane does exactly what
    /// the one-point form does (the same operations in the same order, so the same bits). The
    /// renderer hands it four neighbouring pixels: most hairs of a bin miss all four, and one
    /// test then rejects the hair for the four at once (per pixel, the unpredictable branch of
    /// that test was the hair code's largest cost).
    @inline(__always)
    func coverage(x: SIMD4<Float>, y: Float, filter: Float, bin: Int)
        -> (cover: SIMD4<Float>, buried: SIMD4<Float>, sheen: SIMD4<Float>) {
        withBins { coverage(x: x, y: y, filter: filter, bin: bin, in: $0) } ?? (.zero, .zero, .zero)
    }

    /// `coverage(x:y:filter:bin:)`, nil where no hair of the bin covers or shadows any of the four
    /// points (where that form gives zero in every lane, as most groups of a haired bin do).
    @inline(__always)
    func coverage(x: SIMD4<Float>, y: Float, filter: Float, bin: Int, in bins: Bins)
        -> (cover: SIMD4<Float>, buried: SIMD4<Float>, sheen: SIMD4<Float>)? {
        typealias Lanes = SIMD4<Float>
        let first = Int(bins.start[bin]), end = Int(bins.start[bin &+ 1])
        var uncovered = Lanes(repeating: 1), buried = Lanes.zero, unitMax = Lanes.zero, unitUncovered = Lanes(repeating: 1)
        var currentUnit = SIMD4<Int32>(repeating: -1)
        var strongest = Lanes.zero, offset = Lanes(repeating: 1)
        var touched = false
        let inverseBuried = 1 / buriedLength
        let halfWidth = self.halfWidth, buriedHalfWidth = self.buriedHalfWidth, buriedLength = self.buriedLength
        let inverseFilter = 1 / filter
        let entries = bins.entries.baseAddress!, records = bins.records.baseAddress!
        var index = first
        while index < end {
            let entry = entries[index]
            index &+= 1
            let dx = x - entry.rootX, dy = y - entry.rootY
            let along = dx * entry.dirX + dy * entry.dirY
            let across = HairStubble.magnitude(dy * entry.dirX - dx * entry.dirY)
            let h = entry.h * filter
            let reached = across .< buriedHalfWidth + h .& along .> -buriedLength - h .& along .< entry.length + h
            guard any(reached) else { continue }
            let hair = records[Int(entry.hair)]
            let m = hair.k * filter, inverseA = hair.inverseA * inverseFilter
            let inverseTwoAB = hair.inverseTwoAB * inverseFilter * inverseFilter
            @inline(__always) func F(_ v: Lanes) -> Lanes {
                HairStubble.trapezoidCDF(v, h: h, k: m, inverseA: inverseA, inverseTwoAB: inverseTwoAB)
            }
            if hair.buriedDarkening > 0 {
                let shadowed = reached .& along .< h
                if any(shadowed) {
                    touched = true
                    let shadow = HairStubble.buriedShadow(along: along, across: across, h: h, k: m, inverseA: inverseA, inverseTwoAB: inverseTwoAB,
                                                          halfWidth: buriedHalfWidth, length: buriedLength, inverseLength: inverseBuried)
                    buried.replace(with: buried + shadow * hair.buriedDarkening, where: shadowed)
                }
            }
            let covered = reached .& across .< halfWidth + h .& along .> -h
            guard any(covered) else { continue }
            touched = true
            let cross = F(halfWidth - across) + F(halfWidth + across) - 1
            let alongHair = F(hair.length - along) + F(along) - 1
            let newUnit = covered .& currentUnit .!= hair.unit
            if any(newUnit) {
                uncovered.replace(with: uncovered * (1 - HairStubble.unitCover(max: unitMax, uncovered: unitUncovered)), where: newUnit)
                unitMax.replace(with: 0, where: newUnit)
                unitUncovered.replace(with: 1, where: newUnit)
                currentUnit.replace(with: hair.unit, where: newUnit)
            }
            let c = cross * alongHair
            let stronger = covered .& c .> strongest
            strongest.replace(with: c, where: stronger)
            offset.replace(with: across, where: stronger)
            unitMax.replace(with: c, where: covered .& c .> unitMax)
            unitUncovered.replace(with: unitUncovered * (1 - c), where: covered)
        }
        // Nothing covered and nothing shadowed: the sums below would give exactly zero.
        guard touched else { return nil }
        uncovered *= 1 - HairStubble.unitCover(max: unitMax, uncovered: unitUncovered)
        let r = HairStubble.clamped(offset / halfWidth)
        // Filtered: toward the shaft's mean 2/3 as the filter widens relative to the shaft.
        let profile = 1 - r * r, blend = min(1, filter / (2 * halfWidth))
        let sheen = (profile + (2 / 3 - profile) * blend).replacing(with: 0, where: strongest .<= 0)
        return (1 - uncovered, HairStubble.clamped(buried), sheen)
    }
}
