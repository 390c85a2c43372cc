/// The sampler's background grid: cells of side ≤ s_min/√2, so a cell holds at most one dot
/// (two dots in one cell are closer than s_min, a conflict for any pair).
///
/// The conflict rule is the *mean* rule: a newcomer c and a dot j conflict when closer than
/// (s_c + s_j)/2. That is never looser than the contract's min(s_c, s_j), and unlike the min
/// rule it is unbiased along a density gradient: with the min rule every gap takes the spacing
/// of its denser end, which overshoots the target by 40 % where the spacing changes fast (the
/// first millimetres of a soft hairline ramp; measured). A dot of an earlier layer takes part
/// with the spacing the *new* target gives at its place, so it counts as a dot of the new
/// layer and, where the earlier layer already meets the new target, nothing is added; and it
/// is never approached closer than min(s_c, s_old), the contract for the pair.
///
/// One formula covers all: m = max(a_j + s_c/2, min(s_c, c_j)), per cell
/// (a, c) = (s_j/2, s_j) for a dot of this layer (the max is then the mean),
/// (s_new/2, s_old) for an earlier layer's, and (-∞, 0) when empty (m = 0 never reports a
/// conflict, so emptiness needs no branch).
///
/// Structure of arrays, so a row of four cells is one SIMD load per quantity; rows are padded
/// with eight empty cells so two 4-wide loads from any column never run past a row. Coordinates are relative to
/// the grid origin, in mm. Owns its memory: call `deallocate()` once.
struct SpatialGrid {
    let columns: Int
    let rows: Int
    /// Floats per row: `columns` plus the padding.
    let stride: Int
    let cellSize: Float
    let inverseCellSize: Float
    let xs: UnsafeMutablePointer<Float>
    let ys: UnsafeMutablePointer<Float>
    let halfSpacings: UnsafeMutablePointer<Float>
    let contractSpacings: UnsafeMutablePointer<Float>

    /// Eight, so two 4-wide loads from any column stay inside the row's memory.
    static let padding = 8
    /// Accepted pairs must pass a Double-precision check too, whatever Float rounding did.
    static let safety: Float = 1.000_01

    init(columns: Int, rows: Int, cellSize: Float) {
        self.columns = columns
        self.rows = rows
        stride = columns + SpatialGrid.padding
        self.cellSize = cellSize
        inverseCellSize = 1 / cellSize
        let count = stride * rows
        xs = .allocate(capacity: count)
        ys = .allocate(capacity: count)
        halfSpacings = .allocate(capacity: count)
        contractSpacings = .allocate(capacity: count)
        for pointer in [xs, ys, contractSpacings] { pointer.initialize(repeating: 0, count: count) }
        halfSpacings.initialize(repeating: -.infinity, count: count)
    }

    func deallocate() {
        for pointer in [xs, ys, halfSpacings, contractSpacings] { pointer.deallocate() }
    }

    @inline(__always)
    func index(x: Float, y: Float) -> Int {
        let (column, row) = columnAndRow(x: x, y: y)
        return row &* stride &+ column
    }

    @inline(__always)
    func columnAndRow(x: Float, y: Float) -> (column: Int, row: Int) {
        (min(Int(x * inverseCellSize), columns - 1), min(Int(y * inverseCellSize), rows - 1))
    }

    /// Wrapping arithmetic here and in the hot loops' other index sums (`DensityRaster`'s
    /// lookups, `GatheredDiscs`' lanes): the values are far from overflowing (a grid has at most
    /// `PoissonDiskRequest.maximumGridCells` cells), and the checks cost in the hot loops.
    @inline(__always)
    func index(column: Int, row: Int) -> Int { row &* stride &+ column }

    @inline(__always)
    func isEmpty(_ index: Int) -> Bool { contractSpacings[index] == 0 }

    /// Puts a dot of the layer being sampled, with spacing s, in cell `index`.
    @inline(__always)
    func store(_ index: Int, x: Float, y: Float, spacing: Float) {
        xs[index] = x
        ys[index] = y
        halfSpacings[index] = 0.5 * spacing
        contractSpacings[index] = spacing
    }

    /// Puts a dot of an earlier layer in cell `index`: placed with `oldSpacing`, it takes
    /// part with `newSpacing`, the spacing of the new target at its place.
    func storeEarlierLayer(_ index: Int, x: Float, y: Float, oldSpacing: Float, newSpacing: Float) {
        xs[index] = x
        ys[index] = y
        halfSpacings[index] = 0.5 * newSpacing
        contractSpacings[index] = oldSpacing
    }

    /// The conflict distances of four cells for a newcomer of spacing s (see the type's doc).
    @inline(__always)
    func conflictDistance4(_ cell: Int, _ s: SIMD4<Float>) -> SIMD4<Float> {
        SpatialGrid.maximum(SpatialGrid.load4(halfSpacings + cell) + 0.5 * s,
                            SpatialGrid.minimum(s, SpatialGrid.load4(contractSpacings + cell)))
    }

    /// The cell range that holds every dot within `reach` of the square [x0, x1] × [y0, y1].
    @inline(__always)
    func cellRange(x0: Float, y0: Float, x1: Float, y1: Float, reach: Float) -> (column0: Int, column1: Int, row0: Int, row1: Int) {
        // Int() truncates toward zero; the clamps make that harmless at the low edge.
        (max(Int((x0 - reach) * inverseCellSize), 0), min(Int((x1 + reach) * inverseCellSize), columns - 1),
         max(Int((y0 - reach) * inverseCellSize), 0), min(Int((y1 + reach) * inverseCellSize), rows - 1))
    }

    /// True if no dot lies within its conflict distance of a newcomer at (x, y) with spacing s.
    /// `reach` bounds the distances looked at: at least s, so the min(s, sⱼ) contract is
    /// always checked in full; beyond s only larger-spacing neighbours matter, for the mean
    /// rule. Four cells per load; the cells a load reads past the range are padding or real
    /// cells, and checking a real cell more is still an exact check.
    @inline(__always)
    func fits(x: Float, y: Float, spacing s: Float, reach: Float) -> Bool {
        let range = cellRange(x0: x, y0: y, x1: x, y1: y, reach: reach)
        let px = SIMD4<Float>(repeating: x), py = SIMD4<Float>(repeating: y), ps = SIMD4<Float>(repeating: s)
        @inline(__always)
        func conflicts(_ cell: Int) -> SIMDMask<SIMD4<Int32>> {
            let dx = SpatialGrid.load4(xs + cell) - px
            let dy = SpatialGrid.load4(ys + cell) - py
            let m = conflictDistance4(cell, ps)
            return dx * dx + dy * dy .< m * m * SpatialGrid.safety
        }
        var row = range.row0
        if range.column1 - range.column0 < 8 {
            // The usual width (a uniform field's reach spans at most five cells): two loads
            // per row, two rows per branch, no inner loop.
            while row < range.row1 {
                let cell = row &* stride &+ range.column0
                if any((conflicts(cell) .| conflicts(cell &+ 4)) .| (conflicts(cell &+ stride) .| conflicts(cell &+ stride &+ 4))) { return false }
                row += 2
            }
            if row == range.row1 {
                let cell = row &* stride &+ range.column0
                if any(conflicts(cell) .| conflicts(cell &+ 4)) { return false }
            }
            return true
        }
        while row <= range.row1 {
            var cell = row &* stride &+ range.column0
            let last = row &* stride &+ range.column1
            while cell <= last {
                if any(conflicts(cell)) { return false }
                cell += 4
            }
            row += 1
        }
        return true
    }

    /// Writes (x, y, r²) of every dot whose exclusion disc for a newcomer of spacing s reaches
    /// the square [x0, x0 + size]² into `discs` (structure of arrays: x at 0, y at `lane`, r² at
    /// 2·`lane`, and the (a, c) of the conflict rule at 3·`lane` and 4·`lane`, to work out r for
    /// another s), padded to a multiple of four with discs that cover nothing (r = 0); returns
    /// how many. `cells` gets each one's cell index, for `conflictAmong`.
    ///
    /// `onlyReaching`: keep only discs that reach the square, for callers whose newcomers in
    /// it all have spacing s exactly (a uniform field); a varying field re-tests squares with
    /// larger spacings and keeps every dot in range.
    func gatherDiscs(x0: Float, y0: Float, size: Float, spacing s: Float, reach: Float, onlyReaching: Bool,
                     into discs: UnsafeMutablePointer<Float>, lane: Int, cells: UnsafeMutablePointer<Int32>) -> Int {
        let range = cellRange(x0: x0, y0: y0, x1: x0 + size, y1: y0 + size, reach: reach)
        let ps = SIMD4<Float>(repeating: s), zero = SIMD4<Float>(repeating: 0)
        let xa = SIMD4<Float>(repeating: x0), xb = SIMD4<Float>(repeating: x0 + size)
        let ya = SIMD4<Float>(repeating: y0), yb = SIMD4<Float>(repeating: y0 + size)
        let laneIndex = SIMD4<Int32>(0, 1, 2, 3)
        let laneBits = SIMD4<Int32>(1, 2, 4, 8)
        var count = 0
        for row in range.row0...range.row1 {
            var cell = row &* stride &+ range.column0
            let last = row &* stride &+ range.column1
            while cell <= last {
                // Four cells at a time; empty cells and padding have r = 0 and drop out.
                let gx = SpatialGrid.load4(xs + cell), gy = SpatialGrid.load4(ys + cell)
                let a = SpatialGrid.load4(halfSpacings + cell), c = SpatialGrid.load4(contractSpacings + cell)
                let r = SpatialGrid.maximum(a + 0.5 * ps, SpatialGrid.minimum(ps, c))
                var keep = (c .!= zero) .& (laneIndex .<= SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: last &- cell)))
                if onlyReaching {
                    let dx = SpatialGrid.maximum(SpatialGrid.maximum(xa - gx, gx - xb), zero)
                    let dy = SpatialGrid.maximum(SpatialGrid.maximum(ya - gy, gy - yb), zero)
                    keep = keep .& (dx * dx + dy * dy .< r * r)
                }
                if any(keep) {
                    // All four lanes stored at once, then the kept ones moved down over the
                    // others in memory: picking single lanes out of the vectors went through
                    // the stack, lane by lane.
                    SpatialGrid.store4(gx, discs + count)
                    SpatialGrid.store4(gy, discs + (lane &+ count))
                    SpatialGrid.store4(r * r, discs + (2 &* lane &+ count))
                    SpatialGrid.store4(a, discs + (3 &* lane &+ count))
                    SpatialGrid.store4(c, discs + (4 &* lane &+ count))
                    UnsafeMutableRawPointer(cells + count).storeBytes(
                        of: SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: cell)) &+ laneIndex, as: SIMD4<Int32>.self)
                    var kept = Int((laneBits & unsafeBitCast(keep, to: SIMD4<Int32>.self)).wrappedSum())
                    let first = count
                    while kept != 0 {
                        let from = first &+ kept.trailingZeroBitCount
                        kept &= kept &- 1
                        if from != count {
                            for field in 0..<5 { discs[field &* lane &+ count] = discs[field &* lane &+ from] }
                            cells[count] = cells[from]
                        }
                        count &+= 1
                    }
                }
                cell &+= 4
            }
        }
        var padded = count
        while padded & 3 != 0 {
            discs[padded] = 0
            discs[lane + padded] = 0
            discs[2 * lane + padded] = 0
            discs[3 * lane + padded] = -.infinity
            discs[4 * lane + padded] = 0
            padded += 1
        }
        return count
    }

    /// True if one of the `count` dots in `cells` conflicts with a newcomer at (x, y) with
    /// spacing s and lies where `fits(x:y:spacing:reach:)` is sure to look: closer
    /// than 0.99 s (it scans every cell within its reach ≥ s; the margin keeps that true
    /// through Float rounding of the range's bounds), or in a cell of its range for `reach`
    /// (pass 0 where the reach is not known yet). That scan would then find the dot too, by
    /// the same arithmetic (lane 0 of the same vector code), so it need not run. The sweep's
    /// tries mostly land in slivers between two discs of the few dots it gathered.
    @inline(__always)
    func conflictAmong(_ cells: UnsafeMutablePointer<Int32>, count: Int, x: Float, y: Float, spacing s: Float, reach: Float) -> Bool {
        let range = cellRange(x0: x, y0: y, x1: x, y1: y, reach: reach)
        let px = SIMD4<Float>(repeating: x), py = SIMD4<Float>(repeating: y), ps = SIMD4<Float>(repeating: s)
        let near = 0.98 * s * s
        for k in 0..<count {
            let cell = Int(cells[k])
            let dx = SpatialGrid.load4(xs + cell) - px
            let dy = SpatialGrid.load4(ys + cell) - py
            let m = conflictDistance4(cell, ps)
            let d2 = dx * dx + dy * dy
            guard (d2 .< m * m * SpatialGrid.safety)[0] else { continue }
            if d2[0] < near { return true }
            let row = cell / stride, column = cell - row * stride
            if row >= range.row0, row <= range.row1, column >= range.column0, column <= range.column1 { return true }
        }
        return false
    }

    /// The largest number of cells `gatherDiscs` can visit for reaches up to `reach`, plus
    /// its padding.
    func gatherCapacity(forReach reach: Float) -> Int {
        let span = Int((reach * 2 + cellSize) * inverseCellSize) + 3
        return span * span + 4
    }

    // The standard library's pointwiseMin/Max were not inlined here (a call per use, measured
    // with perf); a select on a comparison mask compiles to minps/maxps-like code.
    @inline(__always)
    static func minimum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        a.replacing(with: b, where: b .< a)
    }

    @inline(__always)
    static func maximum(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        a.replacing(with: b, where: b .> a)
    }

    @inline(__always)
    static func load4(_ pointer: UnsafeMutablePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
    }

    @inline(__always)
    static func store4(_ value: SIMD4<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD4<Float>.self)
    }
}
