// The final sweep: every grid cell the coverage mask leaves open is searched with a quadtree
// until a dot fits or no single disc leaves room.

extension SamplerState {
    /// Row-major over the grid from `start` to the start of row `end`: the first cell the
    /// coverage mask leaves open where a dot fits seeds new growth. Returns the cell to resume
    /// from, or nil when the rows are full. Most empty cells are full in the mask by now (93 %
    /// in a uniform field): one load.
    mutating func sweep(from start: Int, toRow end: Int) -> Int? {
        var column = start % grid.stride, row = start / grid.stride
        while row < end {
            while column < grid.columns {
                let cell = grid.index(column: column, row: row)
                if !coverage.isFull(cell), fillEmptyCell(column: column, row: row) { return cell }
                column += 1
            }
            column = 0
            row += 1
        }
        return nil
    }

    /// Places a dot in a grid cell the coverage mask leaves open, if one fits anywhere in it.
    ///
    /// Maximal-fill test after Ebeida et al. ("Efficient maximal Poisson-disk sampling",
    /// SIGGRAPH 2011): a square is certainly full if one nearby dot's exclusion disc holds all
    /// four of its corners. The cell is split into quarters; only squares no single disc
    /// covers are tried, at a random point, from level `sweepTryDepth`, and split further down
    /// to `sweepDepth`. Exclusion radii use the smallest spacing a dot in this cell can get
    /// (`cellSpacings`), so "covered" is never claimed wrongly; in a varying field each square
    /// is tested again with its own, larger, smallest spacing (from the exact peak of the
    /// bilinear target over it), and a square whose target is 0 everywhere is dropped.
    ///
    /// Shortcuts that change no result: squares down to subcells (depth 3) are settled by the
    /// mask, and in a uniform field the quadtree starts from the open subcells; a try that
    /// lands in a gathered disc is refused without the full grid scan. Where the spacing
    /// spans many cells (the sparse end of a varying field) the quadtree is shallower, so its
    /// finest squares stay the same fraction of the spacing as in a uniform field.
    mutating func fillEmptyCell(column: Int, row: Int) -> Bool {
        let cell = grid.index(column: column, row: row)
        let size = grid.cellSize
        let x0 = Float(column) * size, y0 = Float(row) * size
        let lowest = cellSpacings[cell]
        let reach = reach(spacing: lowest, x: x0 + 0.5 * size, y: y0 + 0.5 * size)
        let discCount = grid.gatherDiscs(x0: x0, y0: y0, size: size, spacing: lowest, reach: reach, onlyReaching: rasterIsUniform,
                                         into: gathered.values, lane: gathered.lane, cells: gathered.cells)
        // The levels are meant relative to the spacing: where it spans many cells (the sparse
        // end of a varying field, the grid being sized for the dense end) the cell is already
        // that much finer, and the full depth would split slivers of a thousandth of a spacing.
        // 2^shift ≤ lowest / (√2·cell) < 2^(shift+1); 0 in a uniform field, whose cells are
        // sized for its own smallest spacing.
        let shift = max(0, Int((lowest * (0.5 * Float(2).squareRoot()) * grid.inverseCellSize).exponent))
        let tryDepth = Float(max(1, SamplerState.sweepTryDepth - shift))
        let finalDepth = Float(max(SamplerState.sweepTryDepth - shift, SamplerState.sweepDepth - shift, 1))
        // In a uniform field the gathered discs are this cell's exact conflict discs, all within
        // `fits`'s reach; in a varying one a gathered disc is a sure conflict only where `fits`
        // is sure to look (`SpatialGrid.conflictAmong`).
        let sureConflictDistance = rasterIsUniform ? Float.infinity : 0.98 * lowest * lowest
        let cellJitter = rasterIsUniform ? 1 : jitterFactor(column: column, row: row)
        var stackCount = 4
        let fromSubcells = rasterIsUniform && tryDepth > 3
        // In the open subcell being split, the gathered discs that reach it (`fromSubcells`).
        var nearCount = discCount
        // Above depth 3 the quadtree only splits what the mask leaves open: it starts from the
        // open subcells themselves (`fromSubcells`), in the order it would reach them (the
        // same tries, the same dots). The quadtree works depth first, the fourth quarter (x
        // and y high) first, so it reaches depth-3 squares in descending order of their Morton
        // code (row and column bits interleaved): each is taken when the stack runs empty,
        // from these bits rather than all stacked at the start, sorted: a cell the sweep opens
        // has a dozen open subcells, and a try in the first few mostly places a dot.
        var openSubcells: UInt64 = 0
        if fromSubcells {
            openSubcells = SamplerState.mortonOrdered(~coverage.words[cell])
            stackCount = 0
        } else {
            let half = 0.5 * size
            squares[0] = SweepSquare(x: x0, y: y0, side: half, depth: 1)
            squares[1] = SweepSquare(x: x0 + half, y: y0, side: half, depth: 1)
            squares[2] = SweepSquare(x: x0, y: y0 + half, side: half, depth: 1)
            squares[3] = SweepSquare(x: x0 + half, y: y0 + half, side: half, depth: 1)
        }
        repeat {
            if openSubcells != 0 {
                let morton = 63 &- openSubcells.leadingZeroBitCount
                openSubcells &= ~(1 &<< UInt64(morton))
                squares[0] = SamplerState.subcellSquare(morton: morton, x0: x0, y0: y0, size: size)
                stackCount = 1
            }
            while stackCount > 0 {
                stackCount -= 1
                let square = squares[stackCount]
                // No dot goes outside the domain: the part of an edge cell there is not searched.
                if square.x >= widthMM || square.y >= heightMM { continue }
                // Squares deeper than a subcell lie in one the mask left open, and so do the
                // subcells `fromSubcells` starts from.
                if !fromSubcells, square.depth <= 3, coverage.covers(square, cell: cell, x0: x0, y0: y0) { continue }
                // Everything below an open subcell is tested against the few discs that reach it
                // (a disc that covers or holds anything in it reaches it): the same answers.
                let discs = fromSubcells ? nearDiscs : gathered
                if fromSubcells && square.depth == 3 { nearCount = gathered.reaching(square, count: discCount, into: nearDiscs) }
                // The mask leaves open some subcells a single disc holds (`DiscMarkTable` marks
                // about 95 % of what the discs hold): tested from the subcells down.
                if discs.cover(square, count: nearCount) { continue }
                if !rasterIsUniform {
                    // In a varying field the cell's smallest spacing can be far below a square's
                    // (at a mask's soft edge the density falls to 0 across the cell): bound the
                    // square's own density, skip it where that is 0, else test it with the larger
                    // discs its own smallest spacing gives.
                    let squarePeak = peakDensity(x0: square.x, y0: square.y, x1: square.x + square.side, y1: square.y + square.side)
                    if squarePeak <= 0 { continue }
                    let squareLowest = baseSpacing(density: squarePeak) * cellJitter
                    if squareLowest > lowest, gathered.cover(square, count: discCount, spacing: squareLowest) { continue }
                }
                if square.depth >= tryDepth {
                    let bits = generator.next()
                    let x = square.x + square.side * Float(bits >> 40) * 0x1p-24
                    let y = square.y + square.side * Float((bits >> 16) & 0xFF_FFFF) * 0x1p-24
                    // Rounding can put a point on the cell's far edge into the next cell, whose
                    // spacing differs: those go to `tryPlace`.
                    let surelyRefused = grid.columnAndRow(x: x, y: y) == (column, row)
                        && discs.contain(x: x, y: y, count: nearCount, sureWithin: sureConflictDistance)
                    if !surelyRefused, tryPlace(x: x, y: y, gatheredCount: discCount) { return true }
                    if square.depth >= finalDepth { continue }
                }
                let half = 0.5 * square.side, depth = square.depth + 1
                squares[stackCount] = SweepSquare(x: square.x, y: square.y, side: half, depth: depth)
                squares[stackCount + 1] = SweepSquare(x: square.x + half, y: square.y, side: half, depth: depth)
                squares[stackCount + 2] = SweepSquare(x: square.x, y: square.y + half, side: half, depth: depth)
                squares[stackCount + 3] = SweepSquare(x: square.x + half, y: square.y + half, side: half, depth: depth)
                stackCount += 4
            }
        } while openSubcells != 0
        return false
    }

    /// The subcell with Morton code `morton` of the cell at (x0, y0), as the quadtree's
    /// depth-3 square. Corners are summed as the quadtree sums them (Float addition is not
    /// associative).
    @inline(__always)
    static func subcellSquare(morton: Int, x0: Float, y0: Float, size: Float) -> SweepSquare {
        let half1 = 0.5 * size, half2 = 0.5 * half1, half3 = 0.5 * half2
        let column = morton & 1 | morton >> 1 & 2 | morton >> 2 & 4
        let row = morton >> 1 & 1 | morton >> 2 & 2 | morton >> 3 & 4
        // Adding 0 where the quadtree adds nothing changes no bit, and spares a branch the
        // processor cannot predict per term.
        var x = x0, y = y0
        x += half1 * Float(column >> 2)
        x += half2 * Float(column >> 1 & 1)
        x += half3 * Float(column & 1)
        y += half1 * Float(row >> 2)
        y += half2 * Float(row >> 1 & 1)
        y += half3 * Float(row & 1)
        return SweepSquare(x: x, y: y, side: half3, depth: 3)
    }

    /// The bits of a coverage word (bit 8·row + column) moved to the subcells' Morton codes
    /// (column bits at even positions, row bits at odd): the index bits (c0 c1 c2 r0 r1 r2)
    /// become (c0 r0 c1 r1 c2 r2) by three swaps of two index bits each (delta swaps).
    @inline(__always)
    static func mortonOrdered(_ word: UInt64) -> UInt64 {
        @inline(__always)
        func swapped(_ x: UInt64, mask: UInt64, distance: UInt64) -> UInt64 {
            let t = ((x &>> distance) ^ x) & mask
            return x ^ t ^ (t &<< distance)
        }
        let r0c1 = swapped(word, mask: 0x00CC_00CC_00CC_00CC, distance: 6)
        let c1c2 = swapped(r0c1, mask: 0x00F0_00F0_00F0_00F0, distance: 4)
        return swapped(c1c2, mask: 0x0000_FF00_0000_FF00, distance: 8)
    }
}
