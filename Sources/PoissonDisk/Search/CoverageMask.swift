/// Which parts of the grid no newcomer can take: each grid cell split into 8 × 8 subcells, one
/// bit each (a UInt64 per cell, bit 8·row + column), set once some dot's exclusion disc holds
/// the whole subcell. A taken cell, and one where the target is 0 throughout, is full; so is
/// every subcell of the last grid column and row that lies outside the domain.
///
/// Why: most candidates, in growth and in the final sweep, land where a dot already excludes
/// them, and most empty cells the sweep visits are already covered by the union of their
/// neighbours' discs. A bit test settles those in a few instructions, instead of a scan of
/// the grid neighbourhood (a candidate) or a quadtree over gathered discs (an empty cell);
/// only the rest pay for the exact checks. A bit is set only where every point conflicts with
/// the marking dot under the sampler's rule (the disc shrunk by a margin far above Float
/// rounding), or lies outside the domain, so the mask never lets a conflict through. In a
/// uniform field it refuses only what the exact checks refuse (the bounds check included); in
/// a varying one it can also refuse a mean-rule conflict just beyond the reach
/// `SpatialGrid.fits` estimates for the newcomer.
///
/// Discs up to two cells in radius (every disc of a uniform field at the default regularity;
/// in a varying field, those of dots whose own spacing is below two cells, out to two cells)
/// are marked from `DiscMarkTable`, a load and an OR per cell, which marks about 95 % of the
/// subcells they hold; larger ones by `mark`, which works out every subcell. What the table
/// leaves open costs exact checks, not results: growth refuses the same candidates, and the
/// sweep opens more cells, whose tries can differ (measured 2026-11-25: the same dots on the
/// three benchmarks; the calibration runs gave the same K and layer figures to the last digit
/// printed; of ten two-layer fills at regularities 0 to 1, one differed, with the same count).
///
/// Cells share the grid's indexing (`SpatialGrid.stride`), so one index serves both. Memory:
/// 8 bytes per grid cell, like the grid linear in the area at the finest spacing, and the
/// table's 30 KB per radius class (20 classes, 0.6 MB, built once per process and shared by
/// every run) whatever the area.
struct CoverageMask {
    let stride: Int
    let columns: Int
    let rows: Int
    /// Subcells per millimetre: 8 / cell size. `Int(x · subcellsPerMM)` is the subcell column
    /// of x; `>> 3` gives the same grid column as `SpatialGrid.columnAndRow` (scaling by a
    /// power of two commutes with Float rounding).
    let subcellsPerMM: Float
    let subcellSize: Float
    /// The subcell column and row of the grid's last cell column and row, far side.
    let lastSubcellColumn: Int
    let lastSubcellRow: Int
    let words: UnsafeMutablePointer<UInt64>
    /// Scratch for `mark`: two vectors per grid column.
    let columnFarSquares: UnsafeMutablePointer<SIMD4<Float>>
    /// The marks of discs up to two cells in radius, for `markFromTable`.
    let table: DiscMarkTable
    /// Radius classes per millimetre: `Int(r · radiusClassesPerMM)` is the class of radius r.
    let radiusClassesPerMM: Float

    static let subdivisions = 8
    /// Exclusion radii are shrunk by this factor before marking: far above the Float rounding
    /// of coordinates (about 3·10⁻⁵ mm at 300 mm), so a marked point is one the exact check
    /// (which compares with a factor 1.00001 the other way) refuses too.
    static let radiusMargin: Float = 0.9995
    static let full: UInt64 = ~0

    /// `smallestRadius` and `largestRadius` (mm) bound the exclusion radii `mark` and
    /// `markFromTable` will be given: the table holds the classes between them.
    init(grid: SpatialGrid, smallestRadius: Float, largestRadius: Float) {
        stride = grid.stride
        columns = grid.columns
        rows = grid.rows
        subcellsPerMM = Float(CoverageMask.subdivisions) * grid.inverseCellSize
        subcellSize = grid.cellSize / Float(CoverageMask.subdivisions)
        lastSubcellColumn = grid.columns * CoverageMask.subdivisions - 1
        lastSubcellRow = grid.rows * CoverageMask.subdivisions - 1
        words = .allocate(capacity: stride * rows)
        words.initialize(repeating: 0, count: stride * rows)
        columnFarSquares = .allocate(capacity: 2 * columns)
        radiusClassesPerMM = subcellsPerMM * Float(DiscMarkTable.classesPerSubcell)
        table = DiscMarkTable(smallestRadius: smallestRadius * subcellsPerMM, largestRadius: largestRadius * subcellsPerMM)
    }

    func deallocate() {
        words.deallocate()
        columnFarSquares.deallocate()
    }

    /// Can `markFromTable` mark a disc of radius `reach` (mm)?
    @inline(__always)
    func tableHolds(reach: Float) -> Bool { reach * subcellsPerMM < DiscMarkTable.largestRadiusInSubcells }

    /// Marks, like `mark` and never more than it, a dot's disc from `table`: a load and an OR per
    /// cell within `reach` of the dot and at most two cells away (all of them if `tableHolds`
    /// the reach; farther ones are left alone). Cells whose radius is below the table's classes
    /// are left alone too; those above it get its largest class.
    @inline(__always)
    func markFromTable(x: Float, y: Float, reach: Float, radius: (_ cell: Int) -> Float) {
        let quantaPerMM = subcellsPerMM * Float(DiscMarkTable.quantaPerSubcell)
        let u = Int(x * quantaPerMM), v = Int(y * quantaPerMM)
        // The dot's own column and row, unclamped (Float rounding can put a dot on the grid's
        // far edge one past them): offsets are what the table is keyed by.
        let centreColumn = u &>> DiscMarkTable.quantaPerCellShift, centreRow = v &>> DiscMarkTable.quantaPerCellShift
        let i = u & (DiscMarkTable.quantaPerCell &- 1), j = v & (DiscMarkTable.quantaPerCell &- 1)
        let inverseCell = subcellsPerMM * (1 / Float(CoverageMask.subdivisions))
        let reachCells = DiscMarkTable.neighbourReach
        let row0 = max(Int((y - reach) * inverseCell), 0, centreRow &- reachCells)
        let row1 = min(Int((y + reach) * inverseCell), rows - 1, centreRow &+ reachCells)
        let column0 = max(Int((x - reach) * inverseCell), 0, centreColumn &- reachCells)
        let column1 = min(Int((x + reach) * inverseCell), columns - 1, centreColumn &+ reachCells)
        guard row0 <= row1, column0 <= column1 else { return }
        for row in row0...row1 {
            for column in column0...column1 {
                let cell = row &* stride &+ column
                let word = words[cell]
                if word == CoverageMask.full { continue }
                let radiusClass = min(Int(radius(cell) * radiusClassesPerMM), table.largestClass)
                if radiusClass < table.smallestClass { continue }
                words[cell] = word | table.word(radiusClass: radiusClass, dx: column &- centreColumn, dy: row &- centreRow, i: i, j: j)
            }
        }
    }

    @inline(__always)
    func isFull(_ cell: Int) -> Bool { words[cell] == CoverageMask.full }

    /// The grid cell of (x, y) ≥ 0, as `SpatialGrid.columnAndRow` finds it, and the bit of the
    /// subcell holding it.
    @inline(__always)
    func cellAndBit(x: Float, y: Float) -> (column: Int, row: Int, bit: UInt64) {
        // At the grid's far edges Float rounding can put a point past the last subcell: that
        // one is the nearest, and in the clamped cell. Clamping the subcell index gives both
        // the cell and the subcell in it, with one clamp instead of two.
        let u = min(Int(x * subcellsPerMM), lastSubcellColumn), v = min(Int(y * subcellsPerMM), lastSubcellRow)
        return (u &>> 3, v &>> 3, 1 &<< UInt64(truncatingIfNeeded: (v & 7) &<< 3 | u & 7))
    }

    /// Are all the subcells of square (x, y, size, depth) of the sweep's quadtree over the cell
    /// at (x0, y0) marked? Depth d ≤ 3 squares are 8/2^d subcells wide and start on a subcell
    /// edge; deeper ones lie inside one subcell.
    @inline(__always)
    func covers(_ square: SweepSquare, cell: Int, x0: Float, y0: Float) -> Bool {
        let word = words[cell]
        if word == 0 { return false }
        // The square's corner is a multiple of 1/8 subcell from the cell's: a small bias makes
        // the truncation robust to rounding.
        let u = Int((square.x - x0) * subcellsPerMM + 0.0078125)
        let v = Int((square.y - y0) * subcellsPerMM + 0.0078125)
        let depth = Int(square.depth)
        let width = depth >= 3 ? 1 : CoverageMask.subdivisions >> depth
        let rowBits: UInt64 = ((1 &<< UInt64(width)) &- 1) &<< UInt64(u)
        // One byte per subcell row: repeat the row's bits `width` times, 8 bits apart.
        let rows: UInt64 = width == 8 ? ~0 : ((1 &<< UInt64(8 &* width)) &- 1) / 255
        let mask = (rowBits &* rows) &<< UInt64(8 &* v)
        return word & mask == mask
    }

    /// Marks the subcells that one dot's exclusion disc holds whole: the exact reference for
    /// `markFromTable`, and the marks of discs too large for the table. The disc's radius differs
    /// per grid cell (it depends on the smallest spacing a newcomer there can get): `radius`
    /// gives it for a cell index. Only cells within `reach` of the dot are looked at, and
    /// those already full (taken ones among them) are left alone.
    @inline(__always)
    func mark(x: Float, y: Float, reach: Float, radius: (_ cell: Int) -> Float) {
        let inverseCell = subcellsPerMM * (1 / Float(CoverageMask.subdivisions))
        let row0 = max(Int((y - reach) * inverseCell), 0), row1 = min(Int((y + reach) * inverseCell), rows - 1)
        let column0 = max(Int((x - reach) * inverseCell), 0), column1 = min(Int((x + reach) * inverseCell), columns - 1)
        guard row0 <= row1, column0 <= column1 else { return }
        let lane = SIMD4<Float>(0, 1, 2, 3)
        // The farthest squared distance in x from the dot to each subcell column of each grid
        // column in range (A: subcell columns 0–3, B: 4–7), shared by all the rows.
        for column in column0...column1 {
            let columnBase = Float(column &<< 3)
            let leftA = (columnBase + lane) * subcellSize - x, rightA = (columnBase + lane + 1) * subcellSize - x
            let leftB = (columnBase + lane + 4) * subcellSize - x, rightB = (columnBase + lane + 5) * subcellSize - x
            let slot = 2 &* (column &- column0)
            columnFarSquares[slot] = SpatialGrid.maximum(leftA * leftA, rightA * rightA)
            columnFarSquares[slot &+ 1] = SpatialGrid.maximum(leftB * leftB, rightB * rightB)
        }
        let reach2 = reach * reach * CoverageMask.radiusMargin * CoverageMask.radiusMargin
        for row in row0...row1 {
            // The same in y for the cell row's eight subcell rows.
            let rowBase = Float(row &<< 3)
            let topA = (rowBase + lane) * subcellSize - y, bottomA = (rowBase + lane + 1) * subcellSize - y
            let topB = (rowBase + lane + 4) * subcellSize - y, bottomB = (rowBase + lane + 5) * subcellSize - y
            let farA = SpatialGrid.maximum(topA * topA, bottomA * bottomA)
            let farB = SpatialGrid.maximum(topB * topB, bottomB * bottomB)
            // No subcell row's far distance is below the nearer end row's (but in the dot's own
            // cell row, where the smallest can be lower: that only marks a little less).
            let nearestRow = min(farA[0], farB[3])
            guard nearestRow < reach2 else { continue }
            // A subcell with bits to gain has its far corner within reach: its far side within
            // this of x.
            let span = (reach2 - nearestRow).squareRoot()
            let first = max(Int((x - span) * inverseCell), column0), last = min(Int((x + span) * inverseCell), column1)
            guard first <= last else { continue }
            for column in first...last {
                let cell = row &* stride &+ column
                let word = words[cell]
                if word == CoverageMask.full { continue }
                let r = radius(cell) * CoverageMask.radiusMargin
                let r2 = r * r
                if r2 <= nearestRow { continue }
                // A subcell is inside when its farthest corner is: far x² + far y² < r².
                let slot = 2 &* (column &- column0)
                let wideA = columnFarSquares[slot], wideB = columnFarSquares[slot &+ 1]
                // The end subcells bound the farthest ones: a cell wholly inside (common where
                // the spacing spans many cells) needs no bits worked out.
                if max(wideA[0], wideB[3]) + max(farA[0], farB[3]) < r2 {
                    words[cell] = CoverageMask.full
                    continue
                }
                let limitsA = SIMD4<Float>(repeating: r2) - farA, limitsB = SIMD4<Float>(repeating: r2) - farB
                var low = SIMD4<UInt32>(repeating: 0), high = SIMD4<UInt32>(repeating: 0)
                for j in 0..<4 {
                    let shift = UInt32(8 &* j)
                    low |= CoverageMask.bits(wideA, wideB, below: limitsA[j], shift: shift)
                    high |= CoverageMask.bits(wideA, wideB, below: limitsB[j], shift: shift)
                }
                words[cell] = word | UInt64(low.wrappedSum()) | UInt64(high.wrappedSum()) &<< 32
            }
        }
    }

    /// One subcell row's eight bits, at `shift`, spread over four lanes (their sum is the
    /// row's byte): lane k holds columns k and k + 4, set where the column's far x² is below t.
    @inline(__always)
    static func bits(_ wideA: SIMD4<Float>, _ wideB: SIMD4<Float>, below t: Float, shift: UInt32) -> SIMD4<UInt32> {
        let limit = SIMD4<Float>(repeating: t)
        let a = SIMD4<UInt32>(1, 2, 4, 8) &<< shift, b = SIMD4<UInt32>(16, 32, 64, 128) &<< shift
        return unsafeBitCast(wideA .< limit, to: SIMD4<UInt32>.self) & a | unsafeBitCast(wideB .< limit, to: SIMD4<UInt32>.self) & b
    }

}
