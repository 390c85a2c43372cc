import Testing
@testable import PoissonDisk

/// The coverage mask may mark only subcells where every point conflicts with the marking dot:
/// `CoverageMask.mark` works that out per subcell; `markFromTable`, which the sampler uses for
/// most dots, must never mark more, and should mark nearly as much (what it leaves open costs
/// the sweep exact checks).
@Suite("Coverage mask")
struct CoverageMaskTests {
    /// Up to 1.99 cells every disc is within the table's reach; up to 2.6 cells (as in a
    /// varying field, whose dots use the table when their own spacing is below two cells) it
    /// marks only the cells two away, still never more than the exact test.
    @Test("table marks are a subset of the exact marks, and at least 90 % of them", arguments: [Float(1.99), 2.6])
    func tableMarksAreASubsetOfExactMarks(largestRadiusInCells: Float) {
        let cellSize: Float = 0.51
        let columns = 12, rows = 12
        let grid = SpatialGrid(columns: columns, rows: rows, cellSize: cellSize)
        // Radii from the smallest a run's grid allows (√2 cells) to the table's largest.
        let smallest = cellSize * Float(2).squareRoot(), largest = cellSize * largestRadiusInCells
        let exact = CoverageMask(grid: grid, smallestRadius: smallest, largestRadius: largest)
        let table = CoverageMask(grid: grid, smallestRadius: smallest, largestRadius: largest)
        defer {
            grid.deallocate()
            exact.deallocate()
            table.deallocate()
        }
        let cellCount = grid.stride * rows
        var radii = [Float](repeating: 0, count: cellCount)
        var generator = Xoshiro256StarStar(seed: 11)
        func unit() -> Float { Float(generator.next() >> 40) * 0x1p-24 }
        var exactBits = 0, tableBits = 0, extraBits = 0
        for _ in 0..<2000 {
            for cell in 0..<cellCount { radii[cell] = smallest + (largest - smallest) * unit() }
            // Every cell its own radius, as a jittered field gives; the disc's reach is the largest.
            let x = cellSize * (4 + 4 * unit()), y = cellSize * (4 + 4 * unit())
            let reach = radii.max()!
            exact.words.update(repeating: 0, count: cellCount)
            table.words.update(repeating: 0, count: cellCount)
            exact.mark(x: x, y: y, reach: reach) { radii[$0] }
            table.markFromTable(x: x, y: y, reach: reach) { radii[$0] }
            for cell in 0..<cellCount {
                exactBits += exact.words[cell].nonzeroBitCount
                tableBits += table.words[cell].nonzeroBitCount
                extraBits += (table.words[cell] & ~exact.words[cell]).nonzeroBitCount
            }
        }
        #expect(extraBits == 0, "\(extraBits) subcells marked by the table and not by the exact test")
        let share = Double(tableBits) / Double(exactBits)
        if table.tableHolds(reach: largest) { #expect(share >= 0.9, "the table marks \(share) of the exact bits") }
    }
}
