import Dispatch

/// Variable-density sampling by rank from a progressive tile (`ProgressiveTile`), in the spirit
/// of Kopf et al., "Recursive Wang tiles for real-time blue noise" (SIGGRAPH 2006), which also
/// thin a progressively ordered point set by density. Copies of the tile cover the plane on a
/// turned lattice (`TileFrame`), `tileSideMM` on a side, so that the whole tile is the
/// pattern's peak density; a point of rank k is a dot where the target density D(p) gives
/// k < D(p) / peak × count. That makes:
/// - the invariant exact, for any density field (`ProgressiveTile` says why): a dot's spacing
///   is min(its gap, the nominal spacing for D(p));
/// - the density exact where D is uniform (the tile's count per tile area) and, along a
///   gradient, the local fraction of ranks below the threshold;
/// - layering exact: a later session with a higher cumulative target keeps the earlier
///   session's dots (the same points, lower ranks) and adds the ranks between the two
///   thresholds, as long as both sessions use the same seed, regularity and pattern peak;
/// - speed: a dot costs a density lookup and a comparison; no neighbour searches;
/// - masks kept: no dot in a raster cell of zero density, though bilinear lookup gives the
///   half of such a cell next to a treated one a positive value (the scalp map's cells off
///   the scalp are zero, and a dot there would lie off the head).
///
/// The seed picks one of the tile's eight square symmetries and an offset, so seeds give
/// different patterns from one tile per regularity.
enum TiledSampler {
    /// Sub-squares per tile side: dots are visited block by block, and blocks outside the
    /// domain are skipped (about 16 points each).
    static func blocksPerSide(count: Int) -> Int { max(1, Int((Double(count) / 16).squareRoot())) }

    /// The largest spacing, in mm, a dot with this gap can be given. Its nearest earlier point
    /// is exactly its gap away: in tile units positions are Floats near 1 (rounding 6e-8 each,
    /// and the seed's shift adds as much again), so a spacing of the full gap could exceed the
    /// distance as computed; 1e-6 tile units less is safe.
    @inline(__always)
    static func largestSpacingMM(gap: Float, tileSideMM side: Double) -> Double {
        (Double(gap) - 1e-6) * side
    }

    /// The tile side in mm for a pattern whose whole tile is `peakDotsPerCM2`.
    static func tileSideMM(count: Int, peakDotsPerCM2: Double) -> Double {
        (Double(count) * 100 / peakDotsPerCM2).squareRoot()
    }

    /// The new dots, or nil when `existing` holds dots that are not points of this pattern
    /// (another seed, regularity or pattern peak, or edited): the caller then samples around
    /// them by search (`SamplerState`).
    static func sample(_ request: PoissonDiskRequest, existing: [PoissonDot], threads: Int = 1) -> [PoissonDot]? {
        let raster = request.density
        let peak = request.patternPeakDotsPerCM2 ?? raster.maximumDotsPerCM2
        guard peak > 0, raster.maximumDotsPerCM2 > 0 else { return existing.isEmpty ? [] : nil }
        let tile = ProgressiveTile.shared(regularity: request.regularity)
        let pattern = PlacedTile(tile, seed: request.seed)
        let count = tile.count
        let side = tileSideMM(count: count, peakDotsPerCM2: peak)
        let frame = TileFrame(sideMM: side)
        let bounds = request.bounds
        // The copies whose squares meet the domain: the domain's corners in tile units.
        let corners = [(bounds.minXMM, bounds.minYMM), (bounds.maxXMM, bounds.minYMM),
                       (bounds.minXMM, bounds.maxYMM), (bounds.maxXMM, bounds.maxYMM)].map(frame.tileUnits)
        let firstCopyX = Int(corners.map(\.0).min()!.rounded(.down)), lastCopyX = Int(corners.map(\.0).max()!.rounded(.down))
        let firstCopyY = Int(corners.map(\.1).min()!.rounded(.down)), lastCopyY = Int(corners.map(\.1).max()!.rounded(.down))
        let copiesX = lastCopyX - firstCopyX + 1
        var placed = PlacedRanks(copies: copiesX * (lastCopyY - firstCopyY + 1), count: count)
        for dot in existing {
            guard let (copyX, copyY, rank) = pattern.point(atXMM: dot.xMM, yMM: dot.yMM, in: frame),
                  dot.spacingMM <= largestSpacingMM(gap: tile.gaps[rank], tileSideMM: side) * (1 + 1e-9) else { return nil }
            if (firstCopyX...lastCopyX).contains(copyX) && (firstCopyY...lastCopyY).contains(copyY) {
                placed.insert(copy: (copyY - firstCopyY) * copiesX + copyX - firstCopyX, rank: rank)
            }
        }

        let blocks = pattern.blocksPerSide
        let blockUnits = 1 / Double(blocks)
        // A turned block's extent around its centre, in mm along x and along y.
        let blockHalfExtent = 0.5 * blockUnits * side * (abs(frame.cosine) + abs(frame.sine))
        let ranksPerDensity = Float(Double(count) / peak)
        // s = factor × hexagonal spacing = factor × √(200 / (√3 D)) mm, D in dots per cm².
        let spacingNumerator = Float(Double(tile.spacingFactor) * (200 / Double(3).squareRoot()).squareRoot())
        let rasterScale = 1 / raster.cellSizeMM
        let streamBase = SplitMix64.derive(request.seed, stream: 0x711E &+ UInt64(bitPattern: Int64(request.layer)))
        // Each copy's dots are found on their own and joined in copy order: the same list for
        // any thread count. On two threads or more the copies are shared out, as a density
        // change of the live page waited for the whole scalp's copies on one thread.
        let earlier = placed
        @Sendable func copyDots(_ copy: Int) -> [PoissonDot] {
            let copyX = firstCopyX + copy % copiesX, copyY = firstCopyY + copy / copiesX
            let copyHash = SplitMix64.mix(streamBase ^ SplitMix64.mix(
                UInt64(bitPattern: Int64(copyX)) &* 0x9E37_79B9 &+ UInt64(bitPattern: Int64(copyY))))
            var dots: [PoissonDot] = []
            raster.dotsPerCM2.withUnsafeBufferPointer { values in
                for blockY in 0..<blocks {
                    for blockX in 0..<blocks {
                        let centre = frame.millimetres(Double(copyX) + (Double(blockX) + 0.5) * blockUnits,
                                                       Double(copyY) + (Double(blockY) + 0.5) * blockUnits)
                        guard centre.x - blockHalfExtent < bounds.maxXMM, centre.x + blockHalfExtent > bounds.minXMM,
                              centre.y - blockHalfExtent < bounds.maxYMM, centre.y + blockHalfExtent > bounds.minYMM else { continue }
                        for i in pattern.range(blockX: blockX, blockY: blockY) {
                            let (x, y) = frame.millimetres(Double(copyX) + Double(pattern.xs[i]), Double(copyY) + Double(pattern.ys[i]))
                            guard bounds.contains(xMM: x, yMM: y) else { continue }
                            let u = Float((x - raster.originXMM) * rasterScale), v = Float((y - raster.originYMM) * rasterScale)
                            let density = DensityRaster.bilinear(values, columns: raster.columns, rows: raster.rows,
                                                                 u: u - 0.5, v: v - 0.5)
                            let rank = Int(pattern.ranks[i])
                            guard Float(rank) < density * ranksPerDensity,
                                  raster.cellIsPositive(values, u: u, v: v),
                                  !earlier.contains(copy: copy, rank: rank) else { continue }
                            let nominal = spacingNumerator / density.squareRoot()
                            dots.append(PoissonDot(
                                xMM: x, yMM: y, spacingMM: min(largestSpacingMM(gap: pattern.gaps[i], tileSideMM: side), Double(nominal)),
                                layer: request.layer, diameterMM: request.diameterMM,
                                variationSeed: SplitMix64.mix(copyHash &+ UInt64(rank))))
                        }
                    }
                }
            }
            return dots
        }
        let copies = copiesX * (lastCopyY - firstCopyY + 1)
        let perCopy: [[PoissonDot]]
        if threads > 1 && copies > 1 {
            let workers = min(threads, copies)
            let found = CopyDots(count: copies)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for copy in stride(from: worker, to: copies, by: workers) { found.set(copy, copyDots(copy)) }
            }
            perCopy = found.all
        } else {
            perCopy = (0..<copies).map(copyDots)
        }
        var dots: [PoissonDot] = []
        dots.reserveCapacity(perCopy.reduce(0) { $0 + $1.count })
        for found in perCopy { dots += found }
        return dots
    }
}

/// Each copy's dots as the threads find them; every slot is written by one thread only.
private final class CopyDots: @unchecked Sendable {
    private var slots: [[PoissonDot]]

    init(count: Int) { slots = [[PoissonDot]](repeating: [], count: count) }

    func set(_ copy: Int, _ dots: [PoissonDot]) {
        slots.withUnsafeMutableBufferPointer { $0[copy] = dots }
    }

    var all: [[PoissonDot]] { slots }
}

/// Where the tile's copies lie in the plane: squares of `sideMM`, on a lattice turned by
/// atan(8/15) ≈ 28.1°. Unturned, every copy would sit straight above the last, and a strip
/// along x or y would hold the same few columns of the pattern again and again: counts over
/// a long strip would not average out (measured on 5 mm strips at 4 dots/cm² over 290 mm:
/// ±10 % against ±5 % for the search). Turned, the lattice's only vectors along an axis are
/// 17 copies long, and the shorter ones near an axis (2 copies along, 1 across) land 1/17 of
/// a copy to the side, 8 mm at 100 dots/cm²: a strip meets other columns. The cosine and
/// sine are the Pythagorean 15/17 and 8/17, so every machine computes the same positions
/// (no libm), and a rotation keeps every distance: the invariant stays exact.
struct TileFrame {
    let sideMM: Double
    let cosine = 15.0 / 17
    let sine = 8.0 / 17

    init(sideMM: Double) {
        self.sideMM = sideMM
    }

    /// Tile units (copy index + position in the tile) to mm.
    @inline(__always)
    func millimetres(_ u: Double, _ v: Double) -> (x: Double, y: Double) {
        ((cosine * u - sine * v) * sideMM, (sine * u + cosine * v) * sideMM)
    }

    /// mm to tile units.
    @inline(__always)
    func tileUnits(_ point: (Double, Double)) -> (Double, Double) {
        let x = point.0 / sideMM, y = point.1 / sideMM
        return (cosine * x + sine * y, -sine * x + cosine * y)
    }
}

/// The tile as one seed lays it: turned by one of the square's eight symmetries, shifted, and
/// sorted into blocks, each block's points in rank order.
struct PlacedTile {
    let blocksPerSide: Int
    /// Per block (row-major), where its points start in the arrays below; one more at the end.
    let blockStarts: [Int32]
    let xs: [Float]
    let ys: [Float]
    let ranks: [Int32]
    let gaps: [Float]

    init(_ tile: ProgressiveTile, seed: UInt64) {
        var generator = Xoshiro256StarStar(seed: SplitMix64.derive(seed, stream: 0x711E5))
        let symmetry = generator.next() & 7
        let offsetX = Float(generator.nextUnit()), offsetY = Float(generator.nextUnit())
        let blocks = TiledSampler.blocksPerSide(count: tile.count)
        blocksPerSide = blocks
        let n = tile.count
        var moved = [(Float, Float)](repeating: (0, 0), count: n)
        var starts = [Int32](repeating: 0, count: blocks * blocks + 1)
        func block(_ p: (Float, Float)) -> Int {
            min(Int(p.1 * Float(blocks)), blocks - 1) * blocks + min(Int(p.0 * Float(blocks)), blocks - 1)
        }
        for j in 0..<n {
            var x = tile.xs[j], y = tile.ys[j]
            if symmetry & 4 != 0 { swap(&x, &y) }
            if symmetry & 1 != 0 { x = 1 - x }
            if symmetry & 2 != 0 { y = 1 - y }
            moved[j] = (ProgressiveTile.wrapped(x + offsetX), ProgressiveTile.wrapped(y + offsetY))
            starts[block(moved[j]) + 1] += 1
        }
        for b in 0..<(blocks * blocks) { starts[b + 1] += starts[b] }
        var fill = starts
        var xs = [Float](repeating: 0, count: n), ys = xs, gaps = xs
        var ranks = [Int32](repeating: 0, count: n)
        for j in 0..<n {
            let b = block(moved[j])
            let slot = Int(fill[b])
            fill[b] += 1
            (xs[slot], ys[slot]) = moved[j]
            ranks[slot] = Int32(j)
            gaps[slot] = tile.gaps[j]
        }
        blockStarts = starts
        self.xs = xs
        self.ys = ys
        self.ranks = ranks
        self.gaps = gaps
    }

    @inline(__always)
    func range(blockX: Int, blockY: Int) -> Range<Int> {
        let b = blockY * blocksPerSide + blockX
        return Int(blockStarts[b])..<Int(blockStarts[b + 1])
    }

    /// Block offsets, the home block first: a point lies in a neighbour only when rounding
    /// moved it across a block's edge.
    static let homeFirst = [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, -1), (-1, 1), (1, 1)]

    /// The copy and rank of the tile point at (x, y) mm, or nil if no point is there (within
    /// a nanometre: positions are recomputed the same way every time).
    func point(atXMM x: Double, yMM y: Double, in frame: TileFrame) -> (Int, Int, Int)? {
        let (u, v) = frame.tileUnits((x, y))
        let copyX = Int(u.rounded(.down)), copyY = Int(v.rounded(.down))
        let homeX = min(Int((u - Double(copyX)) * Double(blocksPerSide)), blocksPerSide - 1)
        let homeY = min(Int((v - Double(copyY)) * Double(blocksPerSide)), blocksPerSide - 1)
        for (dx, dy) in PlacedTile.homeFirst {
            var bx = homeX + dx, by = homeY + dy, cx = copyX, cy = copyY
            if bx < 0 { bx += blocksPerSide; cx -= 1 } else if bx >= blocksPerSide { bx -= blocksPerSide; cx += 1 }
            if by < 0 { by += blocksPerSide; cy -= 1 } else if by >= blocksPerSide { by -= blocksPerSide; cy += 1 }
            for i in range(blockX: bx, blockY: by) {
                let p = frame.millimetres(Double(cx) + Double(xs[i]), Double(cy) + Double(ys[i]))
                if abs(p.x - x) <= 1e-9 && abs(p.y - y) <= 1e-9 { return (cx, cy, Int(ranks[i])) }
            }
        }
        return nil
    }
}

/// Which (copy, rank) points earlier layers already hold: one bit each.
struct PlacedRanks {
    private var words: [UInt64]
    private let count: Int
    private(set) var isEmpty = true

    init(copies: Int, count: Int) {
        self.count = count
        words = []
        wordCount = (copies * count + 63) / 64
    }

    private let wordCount: Int

    mutating func insert(copy: Int, rank: Int) {
        if words.isEmpty { words = [UInt64](repeating: 0, count: wordCount) }
        let bit = copy * count + rank
        words[bit >> 6] |= 1 << UInt64(bit & 63)
        isEmpty = false
    }

    @inline(__always)
    func contains(copy: Int, rank: Int) -> Bool {
        guard !isEmpty else { return false }
        let bit = copy * count + rank
        return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }
}
