#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Poisson-disk point set on the unit torus whose points come in a *progressive* order: every
/// prefix of the order is itself an even spread (the first k points cover the square about as
/// well as k points can), so a density field can pick a subset by rank, like a blue-noise
/// dither mask picks pixels by threshold. `TiledSampler` lays copies of it over the plane.
///
/// What makes the spacing invariant exact rather than approximate: each point j carries its
/// *gap* eⱼ, the distance (on the torus) from j to the nearest point earlier in the order, or
/// to its own next copy. Any subset of the tiled plane then keeps every pair i before j at
/// least eⱼ apart, so a dot given a spacing sⱼ ≤ eⱼ can never break min(sᵢ, sⱼ) ≤ distance,
/// whatever the density field selects. Periodic copies keep every torus distance.
///
/// Built once per regularity and process (`shared(regularity:)`):
/// 1. Progressive dart throwing (random sequential addition with a shrinking radius, after
///    McCool & Fiume's "Hierarchical Poisson disk sampling distributions", 1992): candidates on
///    a jittered grid, four per final point, visited in one random order; each pass accepts
///    every candidate at least r from all points so far, then r shrinks by `radiusRatio`. A
///    ratio near 1 packs evenly; a lower one leaves each pass a wider range of neighbour
///    distances: irregular, like follicles.
/// 2. For the even settings, rounds of pair repulsion (soft disks of radius
///    `relaxationRadius` hexagonal spacings) push the closest pairs apart: at regularity 1,
///    48 rounds raise ρ from 0.675 to 0.82 (measured 2026-12-03, 16,384 points asked; 32
///    rounds reach 0.80, a wider disk or a stronger push less).
/// 3. A last dart pass at `fillRadius` (`fill`) fills what holes are left.
/// 4. The final points ranked again by finer passes (`progressiveOrder`): step 1 shaped the
///    set, this gives every density between two passes an even subset.
/// 5. The exact gaps of the final order (`gaps`).
///
/// Built once per process and regularity (tens to hundreds of milliseconds, most of it the
/// repulsion's rounds; Benchmarks/NOTES.md), then shared.
public struct ProgressiveTile: Sendable {
    /// Points in progressive order, coordinates in [0, 1).
    public let xs: [Float]
    public let ys: [Float]
    /// eⱼ: distance from point j to the nearest earlier point or to its own copy (≤ 1).
    public let gaps: [Float]
    /// A dot's nominal spacing as a multiple of the hexagonal spacing for its density: the
    /// spacing it reports, when its gap is not smaller. Chosen above the tile's covering
    /// radius, so no empty circle is as wide as the spacing (`Shape`).
    public let spacingFactor: Float

    public var count: Int { xs.count }

    /// How the regularity knob sets the construction.
    public struct Shape: Sendable, Equatable {
        /// Each dart-throwing pass uses this fraction of the previous pass's radius.
        public var radiusRatio: Double
        /// Rounds of pair repulsion after the passes.
        public var relaxationRounds: Int
        /// Soft-disk radius of the repulsion, in hexagonal spacings of the whole tile.
        public var relaxationRadius: Double
        /// The ranking passes' radius ratio (`progressiveOrder`).
        public var rankingRadiusRatio: Double
        /// The last pass's radius, in hexagonal spacings of the whole tile (`fill`).
        public var fillRadius: Double
        /// `ProgressiveTile.spacingFactor`.
        public var spacingFactor: Double

        public static func at(regularity: Double) -> Shape {
            let r = min(max(regularity, 0), 1)
            return Shape(radiusRatio: 0.75 + 0.22 * r, relaxationRounds: Int((48 * r * r).rounded()),
                         relaxationRadius: 1.0, rankingRadiusRatio: ProgressiveTile.rankingRatio,
                         fillRadius: 0.62 + 0.2 * r, spacingFactor: 0.95 - 0.05 * r)
        }
    }

    /// About this many points asked of step 1 (the tile ends with 17,000–23,000, more at
    /// lower regularity): a copy is √(count / peak density) wide, about 135 mm at 100 dots/cm²
    /// and the default regularity (a scalp chart is 250–360 mm across).
    public static let targetCount = 16_384
    /// Measured 2026-12-03 over 30 seeds, a 0 → 100 ramp at regularity 0.35: 0.9, 0.95 and
    /// 0.98 scatter 5 mm strip counts alike (±10 % at 4 dots/cm², ±2–4 % above); 0.98 took
    /// 10 % longer to build.
    static let rankingRatio = 0.95

    public init(regularity: Double, targetCount: Int = ProgressiveTile.targetCount, seed: UInt64 = 0x7117_E5EED) {
        let shape = Shape.at(regularity: regularity)
        var generator = Xoshiro256StarStar(seed: seed)
        var (xs, ys) = ProgressiveTile.throwDarts(count: targetCount, radiusRatio: shape.radiusRatio, generator: &generator)
        if shape.relaxationRounds > 0 {
            ProgressiveTile.relax(&xs, &ys, rounds: shape.relaxationRounds,
                                  radius: Float(shape.relaxationRadius) * ProgressiveTile.hexagonalSpacing(count: xs.count))
        }
        ProgressiveTile.fill(&xs, &ys, radius: Float(shape.fillRadius) * ProgressiveTile.hexagonalSpacing(count: xs.count),
                             generator: &generator)
        (xs, ys) = ProgressiveTile.progressiveOrder(xs, ys, radiusRatio: Float(shape.rankingRadiusRatio), generator: &generator)
        self.xs = xs
        self.ys = ys
        gaps = ProgressiveTile.gaps(xs, ys)
        spacingFactor = Float(shape.spacingFactor)
    }

    /// The spacing of a hexagonal packing of `count` points on the unit square.
    static func hexagonalSpacing(count: Int) -> Float {
        (2 / (Float(3).squareRoot() * Float(count))).squareRoot()
    }

    /// Torus distance squared.
    @inline(__always)
    static func distanceSquared(_ ax: Float, _ ay: Float, _ bx: Float, _ by: Float) -> Float {
        var dx = abs(ax - bx), dy = abs(ay - by)
        dx = min(dx, 1 - dx)
        dy = min(dy, 1 - dy)
        return dx * dx + dy * dy
    }

    /// Step 1: passes of dart throwing over a fixed set of candidates with a shrinking radius,
    /// until a pass ends with at least `count` points (a pass always finishes, so the last
    /// radius is filled to the end: no pass leaves holes behind).
    static func throwDarts(count: Int, radiusRatio: Double, generator: inout Xoshiro256StarStar) -> ([Float], [Float]) {
        let side = max(4, Int((Double(4 * count)).squareRoot().rounded()))
        let grid = TorusGrid(side: side)
        let candidates = side * side
        let cell = 1 / Float(side)
        // One candidate per cell, stored by cell so that an accepted point's updates read its
        // neighbourhood row by row; `visiting` is the one random order the passes share.
        var visiting = Array(0..<Int32(candidates))
        for i in stride(from: candidates - 1, to: 0, by: -1) {
            visiting.swapAt(i, generator.nextIndex(below: i + 1))
        }
        var cx = [Float](repeating: 0, count: candidates), cy = [Float](repeating: 0, count: candidates)
        for c in visiting {
            let c = Int(c)
            cx[c] = (Float(c % side) + Float(generator.nextUnit())) * cell
            cy[c] = (Float(c / side) + Float(generator.nextUnit())) * cell
        }
        // Nearest accepted point, squared; -1 once accepted.
        var nearest = [Float](repeating: .infinity, count: candidates)
        var xs: [Float] = [], ys: [Float] = []
        xs.reserveCapacity(count + count / 2)
        ys.reserveCapacity(count + count / 2)
        var radius = Float(0.5)
        cx.withUnsafeBufferPointer { cx in
            cy.withUnsafeBufferPointer { cy in
                visiting.withUnsafeBufferPointer { visiting in
                    nearest.withUnsafeMutableBufferPointer { nearest in
                        while xs.count < count {
                            let r2 = radius * radius
                            let reach = min(Int(radius * Float(side)) + 1, side / 2)
                            for slot in 0..<candidates where nearest[Int(visiting[slot])] >= r2 {
                                let c = Int(visiting[slot])
                                let x = cx[c], y = cy[c]
                                xs.append(x)
                                ys.append(y)
                                nearest[c] = -1
                                grid.forEachCell(around: c, reach: reach) { other in
                                    let d2 = distanceSquared(x, y, cx[other], cy[other])
                                    if d2 < nearest[other] { nearest[other] = d2 }
                                }
                            }
                            radius *= Float(radiusRatio)
                        }
                    }
                }
            }
        }
        return (xs, ys)
    }

    /// Step 2: rounds of soft-disk repulsion on the torus. Every pair closer than `radius`
    /// is pushed apart by half its overlap (a quarter each), all moves computed before any is
    /// applied, so the result does not depend on the visiting order. Each round sorts the
    /// points by cell (cells at least `radius` wide), so a point's neighbours are in its 3 × 3
    /// cells and are read in memory order.
    static func relax(_ xs: inout [Float], _ ys: inout [Float], rounds: Int, radius: Float) {
        let n = xs.count
        guard n > 1, rounds > 0 else { return }
        let grid = TorusGrid(cellAtLeast: radius)
        var starts = [Int32](repeating: 0, count: grid.cellCount + 1)
        var sortedX = [Float](repeating: 0, count: n), sortedY = sortedX
        var order = [Int32](repeating: 0, count: n)
        let r2 = radius * radius
        for _ in 0..<rounds {
            grid.sort(xs, ys, starts: &starts, order: &order, intoX: &sortedX, intoY: &sortedY)
            order.withUnsafeBufferPointer { order in
                starts.withUnsafeBufferPointer { starts in
                    sortedX.withUnsafeBufferPointer { sx in
                        sortedY.withUnsafeBufferPointer { sy in
                            xs.withUnsafeMutableBufferPointer { xs in
                                ys.withUnsafeMutableBufferPointer { ys in
                                    // Points are visited in cell order, neighbours read from the
                                    // sorted copies; each move goes back to the point's own index,
                                    // which is its rank.
                                    for cell in 0..<grid.cellCount {
                                        for i in Int(starts[cell])..<Int(starts[cell + 1]) {
                                            let x = sx[i], y = sy[i]
                                            var mx: Float = 0, my: Float = 0
                                            grid.forEachCell(around: cell, reach: 1) { c in
                                                for k in Int(starts[c])..<Int(starts[c + 1]) where k != i {
                                                    let ddx = TorusGrid.nearestImage(x - sx[k]), ddy = TorusGrid.nearestImage(y - sy[k])
                                                    let d2 = ddx * ddx + ddy * ddy
                                                    guard d2 < r2, d2 > 0 else { continue }
                                                    let d = d2.squareRoot()
                                                    let push = 0.25 * (radius - d) / d
                                                    mx += ddx * push
                                                    my += ddy * push
                                                }
                                            }
                                            xs[Int(order[i])] = wrapped(x + mx)
                                            ys[Int(order[i])] = wrapped(y + my)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Step 3: one more dart pass over fresh candidates (eight per point) at `radius`: every
    /// hole the earlier steps left that a disk of that radius fits gets a point. Makes the
    /// whole tile maximal at `radius` (up to the candidates' spacing).
    static func fill(_ xs: inout [Float], _ ys: inout [Float], radius: Float, generator: inout Xoshiro256StarStar) {
        let grid = TorusGrid(cellAtLeast: radius)
        var head = [Int32](repeating: -1, count: grid.cellCount)
        var next = [Int32](repeating: -1, count: xs.count)
        for j in xs.indices {
            let c = grid.cell(xs[j], ys[j])
            next[j] = head[c]
            head[c] = Int32(j)
        }
        let candidateSide = Int((Double(8 * xs.count)).squareRoot())
        var cells = Array(0..<Int32(candidateSide * candidateSide))
        for i in stride(from: cells.count - 1, to: 0, by: -1) { cells.swapAt(i, generator.nextIndex(below: i + 1)) }
        let r2 = radius * radius
        let inverseSide = 1 / Float(candidateSide)
        for c in cells {
            let c = Int(c)
            let x = (Float(c % candidateSide) + Float(generator.nextUnit())) * inverseSide
            let y = (Float(c / candidateSide) + Float(generator.nextUnit())) * inverseSide
            let home = grid.cell(x, y)
            let homeX = home % grid.side, homeY = home / grid.side
            var fits = true
            search: for dy in -1...1 {
                let row = grid.wrap(homeY + dy) * grid.side
                for dx in -1...1 {
                    var k = Int(head[row + grid.wrap(homeX + dx)])
                    while k >= 0 {
                        if distanceSquared(x, y, xs[k], ys[k]) < r2 { fits = false; break search }
                        k = Int(next[k])
                    }
                }
            }
            if fits {
                xs.append(x)
                ys.append(y)
                next.append(head[home])
                head[home] = Int32(xs.count - 1)
            }
        }
    }

    /// A coordinate brought back into [0, 1).
    @inline(__always)
    static func wrapped(_ value: Float) -> Float {
        var v = value - value.rounded(.down)
        if v >= 1 { v = 0 }
        return v
    }

    /// Step 4: the ranks. The earlier steps shaped the set; its order is set again by
    /// dart-throwing passes over the set's own points, in one random order, with a radius
    /// shrinking by `radiusRatio` a pass: each pass takes every point at least r from all
    /// taken so far. Each prefix is then an even, amorphous spread. (The passes of step 1 were
    /// too coarse at the natural settings: a density between two passes' thresholds took a
    /// random subset of a pass, and 5 mm strips at 4 dots/cm² scattered by ±11 %. Strict
    /// farthest-point order was worse, ±20 %: its early prefixes grow into near-lattices
    /// across the whole tile, and a thin strip then holds one row or two. Both measured
    /// before the copies' lattice was turned, `TileFrame`.)
    static func progressiveOrder(_ xs: [Float], _ ys: [Float], radiusRatio: Float,
                                 generator: inout Xoshiro256StarStar) -> (xs: [Float], ys: [Float]) {
        let n = xs.count
        let grid = TorusGrid(cellAtLeast: hexagonalSpacing(count: n))
        var starts = [Int32](repeating: 0, count: grid.cellCount + 1)
        var order = [Int32](repeating: 0, count: n)
        var sortedX = [Float](repeating: 0, count: n), sortedY = sortedX
        grid.sort(xs, ys, starts: &starts, order: &order, intoX: &sortedX, intoY: &sortedY)
        var visiting = Array(0..<Int32(n))
        for i in stride(from: n - 1, to: 0, by: -1) { visiting.swapAt(i, generator.nextIndex(below: i + 1)) }
        // Squared distance to the nearest point taken, as far as it matters: a taken point
        // lowers it only within the pass's radius, and nothing farther can block a later pass.
        // -1 once taken.
        var nearest = [Float](repeating: 2, count: n)
        var rankedX: [Float] = [], rankedY: [Float] = []
        rankedX.reserveCapacity(n)
        rankedY.reserveCapacity(n)
        let side = grid.side
        let cellWidth = 1 / Float(side)
        // Below half the closest pair's distance every point fits: the last pass takes all.
        let takeAllBelow = 0.25 * hexagonalSpacing(count: n)
        var radius: Float = 0.5
        starts.withUnsafeBufferPointer { starts in
            sortedX.withUnsafeBufferPointer { sortedX in
                sortedY.withUnsafeBufferPointer { sortedY in
                    visiting.withUnsafeBufferPointer { visiting in
                        nearest.withUnsafeMutableBufferPointer { nearest in
                            while rankedX.count < n {
                                let r2 = radius < takeAllBelow ? 0 : radius * radius
                                let reach = min(Int(radius / cellWidth) + 1, side / 2)
                                for point in visiting where nearest[Int(point)] >= r2 {
                                    let p = Int(point)
                                    nearest[p] = -1
                                    let x = sortedX[p], y = sortedY[p]
                                    rankedX.append(x)
                                    rankedY.append(y)
                                    grid.forEachCell(around: grid.cell(x, y), reach: reach) { c in
                                        for q in Int(starts[c])..<Int(starts[c + 1]) {
                                            let d2 = distanceSquared(x, y, sortedX[q], sortedY[q])
                                            if d2 < nearest[q] { nearest[q] = d2 }
                                        }
                                    }
                                }
                                radius *= radiusRatio
                            }
                        }
                    }
                }
            }
        }
        return (rankedX, rankedY)
    }

    /// Step 5: eⱼ for every point, exactly: points go into a grid in order, and each looks
    /// outward ring by ring through the earlier ones until no closer point can remain.
    static func gaps(_ xs: [Float], _ ys: [Float]) -> [Float] {
        let n = xs.count
        let side = max(1, Int(1 / hexagonalSpacing(count: n)))
        let cell = 1 / Float(side)
        // Row and column indices from -side - 1 to 2 side + 1, wrapped (rings reach side / 2 + 1).
        let wrap = (0..<(3 * side + 3)).map { ($0 - side - 1 + 2 * side) % side }
        var head = [Int32](repeating: -1, count: side * side)
        var next = [Int32](repeating: -1, count: n)
        var gaps = [Float](repeating: 1, count: n)
        for j in 0..<n {
            let x = xs[j], y = ys[j]
            let homeX = min(Int(x * Float(side)), side - 1), homeY = min(Int(y * Float(side)), side - 1)
            // The nearest distance squared so far: its square root at the end is the smallest
            // root, as the root is monotonic and correctly rounded.
            var best2: Float = 1
            var ring = 0
            while ring <= side / 2 + 1 {
                // Points in this ring and beyond are at least (ring - 1) cells away.
                let floor = Float(ring - 1) * cell
                if ring > 0 && best2 <= floor * floor { break }
                for dy in -ring...ring {
                    let onEdge = abs(dy) == ring
                    let row = wrap[homeY + dy + side + 1] * side
                    for dx in stride(from: -ring, through: ring, by: onEdge ? 1 : 2 * max(ring, 1)) {
                        var k = Int(head[row + wrap[homeX + dx + side + 1]])
                        while k >= 0 {
                            best2 = min(best2, distanceSquared(x, y, xs[k], ys[k]))
                            k = Int(next[k])
                        }
                    }
                }
                ring += 1
            }
            gaps[j] = best2.squareRoot()
            let c = homeY * side + homeX
            next[j] = head[c]
            head[c] = Int32(j)
        }
        return gaps
    }

}

/// A square grid over the unit torus with cells at least a given width, so that everything
/// within that distance of a point is in the point's 3 × 3 cells (at least 3 cells a side, so
/// those nine are distinct).
struct TorusGrid {
    let side: Int
    var cellCount: Int { side * side }

    init(cellAtLeast width: Float) {
        side = max(3, min(4096, Int(1 / width)))
    }

    init(side: Int) {
        self.side = side
    }

    /// Calls `body` with every cell within `reach` cells of `cell` along both axes (a square of
    /// 2 reach + 1 cells a side, wrapped; reach at most side / 2, so no cell is visited twice
    /// unless the square wraps onto itself at reach = side / 2), row by row.
    @inline(__always)
    func forEachCell(around cell: Int, reach: Int, _ body: (Int) -> Void) {
        let homeX = cell % side, homeY = cell / side
        for dy in -reach...reach {
            let row = wrap(homeY + dy) * side
            var column = homeX - reach
            if column < 0 { column += side }
            for _ in 0...(2 * reach) {
                body(row + column)
                column += 1
                if column == side { column = 0 }
            }
        }
    }

    @inline(__always)
    func cell(_ x: Float, _ y: Float) -> Int {
        min(Int(y * Float(side)), side - 1) * side + min(Int(x * Float(side)), side - 1)
    }

    /// A row or column index one step outside 0..<side brought back in.
    @inline(__always)
    func wrap(_ index: Int) -> Int {
        index < 0 ? index + side : (index >= side ? index - side : index)
    }

    /// A coordinate difference in (-1, 1) as the difference to the nearest copy.
    @inline(__always)
    static func nearestImage(_ d: Float) -> Float {
        d > 0.5 ? d - 1 : (d < -0.5 ? d + 1 : d)
    }

    /// Counting sort of the points by cell: `starts[c]..<starts[c + 1]` index cell c's points
    /// in the sorted arrays, and `order` gives each sorted point's index in `xs`.
    func sort(_ xs: [Float], _ ys: [Float], starts: inout [Int32], order: inout [Int32],
              intoX sortedX: inout [Float], intoY sortedY: inout [Float]) {
        for c in starts.indices { starts[c] = 0 }
        for i in xs.indices { starts[cell(xs[i], ys[i]) + 1] += 1 }
        for c in 0..<cellCount { starts[c + 1] += starts[c] }
        var fill = starts
        for i in xs.indices {
            let c = cell(xs[i], ys[i])
            sortedX[Int(fill[c])] = xs[i]
            sortedY[Int(fill[c])] = ys[i]
            order[Int(fill[c])] = Int32(i)
            fill[c] += 1
        }
    }
}

extension ProgressiveTile {
    /// The tile for `regularity`, built on first use and kept for the process.
    public static func shared(regularity: Double) -> ProgressiveTile {
        cache.tile(regularity: regularity)
    }

    private static let cache = TileCache()
}

/// Tiles by regularity, behind a lock (pthread: this module does without Foundation, and
/// Synchronization's Mutex needs macOS 15). Building one takes tens of milliseconds, and two
/// threads asking at once build it once.
private final class TileCache: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var tiles: [UInt64: ProgressiveTile] = [:]

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    func tile(regularity: Double) -> ProgressiveTile {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let tile = tiles[regularity.bitPattern] { return tile }
        let tile = ProgressiveTile(regularity: regularity)
        tiles[regularity.bitPattern] = tile
        return tile
    }
}
