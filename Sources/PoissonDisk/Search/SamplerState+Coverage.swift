// What a placed dot marks in the coverage mask (`CoverageMask`), and the cells outside the
// domain marked before the run.

extension SamplerState {
    /// Marks full the subcells of the last grid column and row that lie wholly outside the
    /// domain: no dot goes there, and left open they kept the sweep splitting and trying the
    /// edge cells down to its finest squares, where most of the sweep's tries then landed
    /// (Benchmarks/NOTES.md). A subcell is marked only if
    /// its near edge is a hundredth of a subcell past the domain's: `CoverageMask.cellAndBit`
    /// puts no point inside the domain there, whatever the Float rounding.
    func markOutsideDomain() {
        let subcells = CoverageMask.subdivisions
        @inline(__always)
        func outsideLanes(_ cell: Int, _ extent: Float) -> UInt64 {
            // Bit k set where subcell column (or row) k of grid column (or row) `cell` is outside.
            var lanes: UInt64 = 0
            for k in 0..<subcells where Float(cell &* subcells &+ k) >= extent * coverage.subcellsPerMM + 0.01 {
                lanes |= 1 << UInt64(k)
            }
            return lanes
        }
        let columnBits = outsideLanes(grid.columns - 1, widthMM), rowBits = outsideLanes(grid.rows - 1, heightMM)
        // Subcell column bits repeated in every subcell row, and whole subcell rows.
        let rightEdge = columnBits &* 0x0101_0101_0101_0101
        var topEdge: UInt64 = 0
        for k in 0..<subcells where rowBits & (1 << UInt64(k)) != 0 { topEdge |= 0xFF << UInt64(8 * k) }
        for row in 0..<grid.rows { coverage.words[grid.index(column: grid.columns - 1, row: row)] |= rightEdge }
        for column in 0..<grid.columns { coverage.words[grid.index(column: column, row: grid.rows - 1)] |= topEdge }
    }

    /// Marks what the dot just stored in `cell` at (x, y) excludes (`CoverageMask`): its own
    /// cell, and in each nearby cell the disc within which it conflicts with the smallest-
    /// spacing newcomer that cell can get, no farther than `fits` looks (`reachLimit` spacings).
    /// In a uniform field the cells looked at hold every such disc. In a varying one, those of
    /// newcomers up to 1.5 times this dot's (new-layer) spacing, which is all but the sparse
    /// side of a mask's edge; and where the exact marks are used, only up to the largest
    /// spacing the gradient leads to expect nearby (`largestNeighbourSpacing`; a sixth of
    /// `mark`'s work on the ramp benchmark, the same dots). Marking less only leaves more to
    /// the exact checks. Discs up to two cells in radius are marked from the table
    /// (`CoverageMask.markFromTable`), and in a varying field those of dots whose own spacing
    /// is below two cells, out to two cells.
    ///
    /// `mutating` though it writes only through `coverage`'s pointer: called from a mutating
    /// method, a non-mutating one got a copy of the whole state (552 bytes) per new dot.
    @inline(__always)
    mutating func markCoverage(cell: Int, x: Float, y: Float) {
        let half = grid.halfSpacings[cell], contract = grid.contractSpacings[cell]
        // A local, like `fillCellSpacings`' (which says why).
        let cellSpacings = cellSpacings
        @inline(__always)
        func radius(_ s: Float) -> Float {
            min(max(half + 0.5 * s, min(s, contract)), SamplerState.reachLimit * s)
        }
        coverage.words[cell] = CoverageMask.full
        if rasterIsUniform {
            let reach = radius(uniformLargestSpacing)
            if coverage.tableHolds(reach: reach) {
                if uniformSpacingsWithinTwofold && contract == 2 * half {
                    // A dot of this layer (c = 2a) whose spacing is at most twice any newcomer's
                    // s: `radius` is then the mean a + s/2 exactly (its max and min cannot pick
                    // the other terms, Float rounding being monotone), without them: the same
                    // dots, with less work per mark.
                    coverage.markFromTable(x: x, y: y, reach: reach) { cell in half + 0.5 * cellSpacings[cell] }
                } else {
                    coverage.markFromTable(x: x, y: y, reach: reach) { cell in radius(cellSpacings[cell]) }
                }
            } else {
                coverage.mark(x: x, y: y, reach: reach) { cell in radius(cellSpacings[cell]) }
            }
            return
        }
        // In a varying field the disc for a newcomer of the dot's own spacing is what the cells
        // around it mostly get, and if the table holds that, what lies beyond its two cells is
        // little.
        if coverage.tableHolds(reach: radius(2 * half)) {
            coverage.markFromTable(x: x, y: y, reach: radius(3 * half)) { cell in radius(cellSpacings[cell]) }
        } else {
            let largest = min(3 * half, largestNeighbourSpacing(spacing: 2 * half, x: x, y: y))
            coverage.mark(x: x, y: y, reach: radius(largest)) { cell in radius(cellSpacings[cell]) }
        }
    }
}
