// Density → spacing: the target density at a point, the spacing a dot there gets (with its
// cell's jitter), and how far a newcomer must look for conflicts.

extension SamplerState {
    // MARK: Density and spacing

    /// Target density at a grid-relative position, dots/cm².
    @inline(__always)
    func density(x: Float, y: Float) -> Float {
        if rasterIsUniform { return uniformDensity }
        return raster.dotsPerCM2.withUnsafeBufferPointer { values in
            DensityRaster.bilinear(values, columns: raster.columns, rows: raster.rows,
                                   u: x * rasterScale + rasterOffsetX, v: y * rasterScale + rasterOffsetY)
        }
    }

    /// Unjittered spacing for a positive density; the largest spacing below the floor density.
    @inline(__always)
    func baseSpacing(density d: Float) -> Float {
        d >= floorDensity ? spacingScale / d.squareRoot() : floorSpacing
    }

    /// The largest unjittered spacing, that of the floor density and below.
    var floorSpacing: Float { maximumSpacing / (1 + jitter) }

    /// `baseSpacing(density:)` from values a loop can hold in registers.
    @inline(__always)
    static func baseSpacing(density d: Float, floorDensity: Float, spacingScale: Float, floorSpacing: Float) -> Float {
        d >= floorDensity ? spacingScale / d.squareRoot() : floorSpacing
    }

    /// The spacing jitter of a grid cell, 1 + jitter·u with u in [-1, 1) fixed per cell and run.
    /// Fixed per cell rather than drawn per try: retrying a gap must not keep drawing until a
    /// small spacing fits (that would skew the fill dense), and the sweep then knows exactly
    /// which spacing a dot in the cell would get. Keyed by row · columns + column, so the
    /// pattern does not depend on how the grid pads its rows in memory.
    @inline(__always)
    func jitterFactor(column: Int, row: Int) -> Float {
        SamplerState.jitterFactor(key: row &* grid.columns &+ column, seed: jitterSeed, jitter: jitter)
    }

    /// `jitterFactor(column:row:)` of the cell keyed `key`, from values a loop can hold in
    /// registers.
    @inline(__always)
    static func jitterFactor(key: Int, seed: UInt64, jitter: Float) -> Float {
        guard jitter > 0 else { return 1 }
        let bits = SplitMix64.mix(seed &+ UInt64(truncatingIfNeeded: key))
        return 1 + jitter * (Float(bits >> 40) * 0x1p-23 - 1)
    }

    /// Fills `cellSpacings` and marks the cells where nothing can go. In a varying field the
    /// peak over a cell is bounded by the largest raster value among the nodes whose bilinear
    /// patches the cell touches (a bilinear value is a weighted mean of its patch's nodes): a
    /// lookup per node rather than `peakDensity`'s arithmetic per patch, over a whole grid
    /// of cells. Bounding the peak from above bounds the spacing from below, which is what
    /// both users need; it is exact about where the target is 0.
    func fillCellSpacings() {
        let size = grid.cellSize
        let columns = raster.columns, rows = raster.rows
        // Per raster column, the largest value over the raster rows a grid row touches.
        let columnPeaks = UnsafeMutablePointer<Float>.allocate(capacity: columns)
        // Per grid column, the first and last raster columns it touches: the same in every row.
        let rasterColumnRanges = UnsafeMutablePointer<(first: Int, last: Int)>.allocate(capacity: grid.columns)
        defer {
            columnPeaks.deallocate()
            rasterColumnRanges.deallocate()
        }
        if !rasterIsUniform {
            for column in 0..<grid.columns {
                let x0 = Float(column) * size
                let u0 = min(max(x0 * rasterScale + rasterOffsetX, 0), Float(columns - 1))
                let u1 = min(max((x0 + size) * rasterScale + rasterOffsetX, 0), Float(columns - 1))
                rasterColumnRanges[column] = (Int(u0), min(Int(u1) + 1, columns - 1))
            }
        }
        // Locals for what the loops read of the state: read through it, they were loaded again
        // per cell, the stores through pointers being possible writes to it for all the compiler
        // knows (`markCoverage` takes a local for the same reason).
        let gridColumns = grid.columns, seed = jitterSeed, jitter = jitter
        let floorDensity = floorDensity, spacingScale = spacingScale, floorSpacing = floorSpacing
        let uniformBaseSpacing = uniformBaseSpacing
        raster.dotsPerCM2.withUnsafeBufferPointer { values in
            for row in 0..<grid.rows {
                let rowSpacings = cellSpacings + row &* grid.stride, rowWords = coverage.words + row &* grid.stride
                let firstKey = row &* gridColumns
                if rasterIsUniform {
                    // One peak everywhere.
                    if uniformDensity > 0 {
                        for column in 0..<gridColumns {
                            rowSpacings[column] = uniformBaseSpacing * SamplerState.jitterFactor(key: firstKey &+ column, seed: seed, jitter: jitter)
                        }
                    } else {
                        rowWords.update(repeating: CoverageMask.full, count: gridColumns)
                    }
                    continue
                }
                let y0 = Float(row) * size
                let v0 = min(max(y0 * rasterScale + rasterOffsetY, 0), Float(rows - 1))
                let v1 = min(max((y0 + size) * rasterScale + rasterOffsetY, 0), Float(rows - 1))
                let jFirst = Int(v0), jLast = min(Int(v1) + 1, rows - 1)
                // Raster row by raster row: contiguous runs the compiler vectorises, which
                // column by column it did not.
                columnPeaks.update(from: values.baseAddress! + jFirst &* columns, count: columns)
                for j in jFirst &+ 1 ..< jLast &+ 1 {
                    let rowValues = values.baseAddress! + j &* columns
                    for i in 0..<columns { columnPeaks[i] = max(columnPeaks[i], rowValues[i]) }
                }
                for column in 0..<gridColumns {
                    let (first, last) = rasterColumnRanges[column]
                    var peak: Float = 0
                    if last &- first <= 2 {
                        // The usual case, raster cells about as large as grid cells: three
                        // lookups (some the same) and no loop to mispredict.
                        peak = max(max(columnPeaks[first], columnPeaks[min(first &+ 1, last)]), columnPeaks[last])
                    } else {
                        for i in first...last { peak = max(peak, columnPeaks[i]) }
                    }
                    guard peak > 0 else {
                        rowWords[column] = CoverageMask.full
                        continue
                    }
                    let base = SamplerState.baseSpacing(density: peak, floorDensity: floorDensity,
                                                        spacingScale: spacingScale, floorSpacing: floorSpacing)
                    rowSpacings[column] = base * SamplerState.jitterFactor(key: firstKey &+ column, seed: seed, jitter: jitter)
                }
            }
        }
    }

    /// How far a newcomer with spacing s at (x, y) must look: s for the contract, and for the
    /// mean rule up to (s + s_max)/2, s_max the largest spacing a neighbour can have. In a
    /// uniform field that is the jittered maximum; on a gradient, the spacing one s towards
    /// the sparse side. An estimate that falls short only skips mean-rule checks beyond s,
    /// never the contract.
    @inline(__always)
    func reach(spacing s: Float, x: Float, y: Float) -> Float {
        if rasterIsUniform { return max(s, 0.5 * (s + uniformLargestSpacing)) }
        let largest = largestNeighbourSpacing(spacing: s, x: x, y: y)
        return min(max(s, 0.5 * (s + largest)), SamplerState.reachLimit * s)
    }

    /// An estimate of the largest spacing a neighbour of a dot with spacing s at (x, y) can
    /// have: the jittered maximum in a uniform field; on a gradient, the jittered spacing one
    /// s towards the sparse side (the largest spacing there is, where that side reaches 0).
    @inline(__always)
    func largestNeighbourSpacing(spacing s: Float, x: Float, y: Float) -> Float {
        if rasterIsUniform { return uniformLargestSpacing }
        let sample = raster.dotsPerCM2.withUnsafeBufferPointer { values in
            DensityRaster.bilinearWithGradient(values, columns: raster.columns, rows: raster.rows,
                                               u: x * rasterScale + rasterOffsetX, v: y * rasterScale + rasterOffsetY)
        }
        let slope = (sample.du * sample.du + sample.dv * sample.dv).squareRoot() * rasterScale
        let sparser = sample.value - slope * s
        return sparser > 0 ? baseSpacing(density: sparser) * (1 + jitter) : maximumSpacing
    }

    /// An earlier layer's dot grows the new layer at the new target's spacing; not at all where
    /// the new target is zero.
    func spawnRadiusOfEarlierDot(x: Float, y: Float) -> Float {
        let d = density(x: x, y: y)
        return d > 0 ? baseSpacing(density: d) : 0
    }

    /// Unjittered spacing at a grid-relative position, with the target density there (> 0) or 0.
    @inline(__always)
    func spacingAndDensity(x: Float, y: Float) -> (spacing: Float, density: Float) {
        if rasterIsUniform { return (uniformBaseSpacing, uniformDensity) }
        let d = density(x: x, y: y)
        return (d > 0 ? baseSpacing(density: d) : 0, d)
    }

    /// The largest target density over the rectangle [x0, x1] × [y0, y1] (grid-relative mm):
    /// `DensityRaster.peak`, which the sweep calls per quadtree square from a mutating method
    /// (a non-inlined method of the whole state got a copy of it per call).
    @inline(__always)
    func peakDensity(x0: Float, y0: Float, x1: Float, y1: Float) -> Float {
        raster.peak(u0: x0 * rasterScale + rasterOffsetX, v0: y0 * rasterScale + rasterOffsetY,
                    u1: x1 * rasterScale + rasterOffsetX, v1: y1 * rasterScale + rasterOffsetY)
    }
}
