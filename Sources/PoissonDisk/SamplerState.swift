/// The dots of one run, structure of arrays in plain memory: the hot loop appends and reads
/// without bounds checks, uniqueness checks or reference counting. Owns its memory.
struct DotStore {
    private(set) var count = 0
    private(set) var capacity: Int
    private(set) var xs: UnsafeMutablePointer<Float>
    private(set) var ys: UnsafeMutablePointer<Float>
    private(set) var spacings: UnsafeMutablePointer<Float>
    /// A thinned dot blocks its neighbourhood like any other but is not returned.
    private(set) var isGhost: UnsafeMutablePointer<Bool>

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        xs = .allocate(capacity: self.capacity)
        ys = .allocate(capacity: self.capacity)
        spacings = .allocate(capacity: self.capacity)
        isGhost = .allocate(capacity: self.capacity)
    }

    func deallocate() {
        xs.deallocate()
        ys.deallocate()
        spacings.deallocate()
        isGhost.deallocate()
    }

    @inline(__always)
    mutating func append(x: Float, y: Float, spacing: Float, ghost: Bool) {
        if count == capacity { grow() }
        xs[count] = x
        ys[count] = y
        spacings[count] = spacing
        isGhost[count] = ghost
        count += 1
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        func moved<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            return new
        }
        xs = moved(xs)
        ys = moved(ys)
        spacings = moved(spacings)
        isGhost = moved(isGhost)
        capacity = newCapacity
    }
}

/// The mutable state of one sampling run (see `PoissonDiskSampler` for the algorithm).
struct SamplerState {
    let request: PoissonDiskRequest
    let originX: Double
    let originY: Double
    let widthMM: Float
    let heightMM: Float
    let grid: SpatialGrid
    let coverage: CoverageMask
    /// The smallest spacing a newcomer in each grid cell can get: the cell's jitter times the
    /// base spacing at the cell's peak target (in a uniform field, the spacing it gets); 0
    /// where the target is 0 all over the cell, which is then marked full. Worked out once:
    /// the coverage marks ask it for a dozen cells around every new dot, and the sweep for
    /// every cell it opens.
    let cellSpacings: UnsafeMutablePointer<Float>
    var dots: DotStore
    /// Earlier layers' dots come first in `dots`.
    let existingCount: Int
    /// The dots that still grow candidates: position, the distance they grow them at, and how
    /// far before a strip's end they wait for the next (`waits`); kept here rather than looked
    /// up, as the dot's own arrays are far apart in memory.
    var active: UnsafeMutablePointer<SIMD4<Float>>
    var activeCount = 0
    var activeCapacity: Int
    /// Dots that wait for a later strip (`run`), like `active`.
    var deferred: UnsafeMutablePointer<SIMD4<Float>>
    var deferredCount = 0
    var deferredCapacity: Int
    /// The lowest y a waiting dot's candidates can reach: the sweep stays below it.
    var deferredReachY = Float.infinity
    /// Scratch for the sweep: nearby exclusion discs, those of them that reach one subcell, and
    /// a quadtree stack.
    let gathered: GatheredDiscs
    let nearDiscs: GatheredDiscs
    let squares: UnsafeMutablePointer<SIMD4<Float>>

    // Density → spacing: s = spacingScale / √D (D in dots/cm²), times the cell's jitter.
    let raster: DensityRaster
    let rasterIsUniform: Bool
    let uniformDensity: Float
    /// `baseSpacing(density: uniformDensity)`, worked out once: a square root and a division
    /// per candidate otherwise.
    var uniformBaseSpacing: Float = 0
    let rasterScale: Float
    let rasterOffsetX: Float
    let rasterOffsetY: Float
    let spacingScale: Float
    let maximumSpacing: Float
    /// The largest spacing a dot can get in a uniform field (jitter included).
    let uniformLargestSpacing: Float
    /// A uniform field whose cell spacings lie within a factor two of each other (jitter
    /// below 1/3, by a margin far above Float rounding): `markCoverage`'s shortcut.
    let uniformSpacingsWithinTwofold: Bool
    let floorDensity: Float
    let jitter: Float
    let jitterSeed: UInt64
    let annulusWidth: Float
    let attempts: Int
    var generator: Xoshiro256StarStar

    /// Quadtree levels in the final sweep: squares no single disc covers are tried from level
    /// `sweepTryDepth` (1/16 of a cell) and split on down to `sweepDepth` (1/64 of a cell), so
    /// a hole the sweep misses is a sliver of a few µm at SMP spacings. Both count from a cell
    /// whose spacing is its own; where the spacing spans 2^k times more, k levels fewer
    /// (`fillEmptyCell`).
    static let sweepTryDepth = 4
    static let activeWindow = 32
    /// Grid rows per strip of the run, and how many rows before a strip's end a dot can start
    /// waiting for the next (`run`): more than a strip.
    static let stripRows = 8
    static let waitFuzzRows: Float = 14
    /// Above this regularity the run is one strip: growth there is crystalline, and the strip
    /// edges became grain boundaries (`run`).
    static let stripsUpToRegularity = 0.5
    /// The mean rule looks at most this many spacings out (neighbours up to twice as sparse):
    /// at a mask edge the density falls to zero within a raster cell, and an unbounded reach
    /// would search wide around every dot along it for neighbours that cannot exist.
    static let reachLimit: Float = 1.5
    static let sweepDepth = 6

    init(request: PoissonDiskRequest, existing: [PoissonDot]) throws {
        self.request = request
        raster = request.density
        let values = request.density.dotsPerCM2
        let peak = values.max() ?? 0
        rasterIsUniform = values.allSatisfy { $0 == values[0] }
        uniformDensity = values[0]
        let shape = PoissonDiskCalibration.shape(regularity: request.regularity)
        jitter = Float(shape.spacingJitter)
        annulusWidth = Float(shape.annulusWidth)
        let inBounds = existing.filter { request.bounds.contains(xMM: $0.xMM, yMM: $0.yMM) }
        let layerFactor = request.layerSpacingFactor
            ?? PoissonDiskCalibration.layerSpacingFactor(
                densityRatio: SamplerState.densityRatio(of: request.density, over: request.bounds, existing: inBounds),
                regularity: request.regularity)
        spacingScale = Float((100 * PoissonDiskCalibration.dotsTimesSpacingSquared(regularity: request.regularity)).squareRoot() * layerFactor)
        attempts = request.attemptsPerDot
        let layerStream = UInt64(bitPattern: Int64(request.layer))
        generator = Xoshiro256StarStar(seed: SplitMix64.derive(request.seed, stream: layerStream))
        jitterSeed = SplitMix64.derive(request.seed, stream: 0x717 &+ layerStream)

        let peakSpacing = peak > 0 ? spacingScale / peak.squareRoot() : .infinity
        maximumSpacing = peakSpacing * PoissonDiskSampler.spacingRangeLimit * (1 + jitter)
        floorDensity = peak / (PoissonDiskSampler.spacingRangeLimit * PoissonDiskSampler.spacingRangeLimit)
        uniformLargestSpacing = peakSpacing * (1 + jitter)
        uniformSpacingsWithinTwofold = rasterIsUniform && 3 * jitter < 0.99

        let bounds = request.bounds
        originX = bounds.minXMM
        originY = bounds.minYMM
        widthMM = Float(bounds.widthMM)
        heightMM = Float(bounds.heightMM)
        rasterScale = Float(1 / raster.cellSizeMM)
        rasterOffsetX = Float((originX - raster.originXMM) / raster.cellSizeMM) - 0.5
        rasterOffsetY = Float((originY - raster.originYMM) / raster.cellSizeMM) - 0.5

        let smallestExisting = inBounds.map { Float($0.spacingMM) }.min() ?? .infinity
        let (smallestSpacing, cellSize, columnCount, rowCount) = try SamplerState.gridSize(request, peakSpacing: peakSpacing, jitter: jitter,
                                                                         smallestExisting: smallestExisting)
        grid = SpatialGrid(columns: Int(columnCount), rows: Int(rowCount), cellSize: cellSize)
        // No exclusion radius is below the smallest spacing (> √2 cells); in a uniform field
        // none is above the largest spacing (`markCoverage`'s radius is a mean of two spacings
        // or a spacing).
        coverage = CoverageMask(grid: grid, smallestRadius: cellSize * Float(2).squareRoot(),
                                largestRadius: rasterIsUniform ? uniformLargestSpacing : .infinity)
        cellSpacings = .allocate(capacity: grid.stride * grid.rows)
        cellSpacings.initialize(repeating: 0, count: grid.stride * grid.rows)
        let estimate = Int(Double(peak) * bounds.areaCM2 * 1.1) + inBounds.count + 16
        dots = DotStore(capacity: estimate)
        activeCapacity = estimate
        active = .allocate(capacity: estimate)
        deferredCapacity = estimate
        deferred = .allocate(capacity: estimate)
        let gatherCapacity = grid.gatherCapacity(forReach: max(maximumSpacing.isFinite ? maximumSpacing : 0, smallestSpacing))
        gathered = GatheredDiscs(capacity: gatherCapacity)
        nearDiscs = GatheredDiscs(capacity: gatherCapacity)
        squares = .allocate(capacity: CoverageMask.subdivisions * CoverageMask.subdivisions + 4 * SamplerState.sweepDepth + 4)
        existingCount = inBounds.count
        if rasterIsUniform && uniformDensity > 0 { uniformBaseSpacing = baseSpacing(density: uniformDensity) }
        fillCellSpacings()
        markOutsideDomain()

        for dot in inBounds {
            let x = Float(dot.xMM - originX), y = Float(dot.yMM - originY)
            let index = grid.index(x: x, y: y)
            guard grid.isEmpty(index) else {
                let other = (0..<dots.count).first { grid.index(x: dots.xs[$0], y: dots.ys[$0]) == index } ?? 0
                let message = "dots at (\(dot.xMM), \(dot.yMM)) and (\(Double(dots.xs[other]) + originX), \(Double(dots.ys[other]) + originY)) mm are closer than their spacings allow"
                deallocate()
                throw PoissonDiskError.existingDotsTooClose(message)
            }
            // SpatialGrid explains how an earlier dot takes part in the new layer.
            let oldSpacing = Float(dot.spacingMM)
            let spawnRadius = spawnRadiusOfEarlierDot(x: x, y: y)
            grid.storeEarlierLayer(index, x: x, y: y, oldSpacing: oldSpacing, newSpacing: spawnRadius > 0 ? spawnRadius : oldSpacing)
            markCoverage(cell: index, x: x, y: y)
            appendDot(x: x, y: y, spacing: oldSpacing, spawnRadius: spawnRadius, ghost: false)
        }
    }

    /// The smallest spacing the search grid must resolve, its cell size and shape; refused past
    /// `maximumGridCells`.
    static func gridSize(_ request: PoissonDiskRequest, peakSpacing: Float, jitter: Float,
                         smallestExisting: Float) throws -> (smallestSpacing: Float, cellSize: Float, columns: Double, rows: Double) {
        let widthMM = Float(request.bounds.widthMM), heightMM = Float(request.bounds.heightMM)
        var smallestSpacing = min(peakSpacing * (1 - jitter), smallestExisting)
        if !(smallestSpacing.isFinite && smallestSpacing > 0) {
            // Nothing to place and nothing placed: any cell size keeps the run trivial.
            smallestSpacing = max(widthMM, heightMM)
        }
        let cellSize = smallestSpacing / Float(2).squareRoot() * 0.999
        let columnCount = Double(widthMM / cellSize) + 1, rowCount = Double(heightMM / cellSize) + 1
        guard columnCount * rowCount <= Double(request.maximumGridCells) else {
            throw PoissonDiskError.tooLarge(
                "\(Int(columnCount)) × \(Int(rowCount)) grid cells of \(cellSize) mm for \(Int(request.bounds.areaCM2)) cm² at up to \(request.density.maximumDotsPerCM2) dots/cm²; allowed: at most \(request.maximumGridCells) cells (split the area or lower the density)")
        }
        return (smallestSpacing, cellSize, columnCount, rowCount)
    }

    /// The same limit for a `.tiled` run, which needs no grid but would hold as many dots: the
    /// limit bounds a request's memory either way, and a request refused by one method is
    /// refused by both.
    static func checkGridSize(_ request: PoissonDiskRequest, existing: [PoissonDot]) throws {
        let shape = PoissonDiskCalibration.shape(regularity: request.regularity)
        let peak = Float(request.density.maximumDotsPerCM2)
        let scale = Float((100 * PoissonDiskCalibration.dotsTimesSpacingSquared(regularity: request.regularity)).squareRoot())
        let smallestExisting = existing.lazy.filter { request.bounds.contains(xMM: $0.xMM, yMM: $0.yMM) }
            .map { Float($0.spacingMM) }.min() ?? .infinity
        _ = try gridSize(request, peakSpacing: peak > 0 ? scale / peak.squareRoot() : .infinity,
                         jitter: Float(shape.spacingJitter), smallestExisting: smallestExisting)
    }

    /// q = the new cumulative target's dot count over the earlier dots' count, both where the
    /// new target is positive: how much denser this layer makes the area (∞ with no earlier dots).
    static func densityRatio(of density: DensityRaster, over bounds: RectMM, existing: [PoissonDot]) -> Double {
        guard !existing.isEmpty else { return .infinity }
        // A one-cell raster (`DensityRaster.uniform`) has its one value everywhere: the same
        // sums without a bilinear lookup per sample (60,000 of them for 600 cm², as much as
        // sampling a sparse layer).
        let constant: Float? = density.columns == 1 && density.rows == 1 ? density.dotsPerCM2[0] : nil
        let earlier = constant.map { $0 > 0 ? existing.count : 0 }
            ?? existing.filter { density.density(xMM: $0.xMM, yMM: $0.yMM) > 0 }.count
        guard earlier > 0 else { return .infinity }
        // The target's integral over the bounds, a sample per raster cell (at most 1 mm apart).
        let step = min(density.cellSizeMM, 1, bounds.widthMM, bounds.heightMM)
        var target = 0.0
        var y = bounds.minYMM + step / 2
        while y < bounds.maxYMM {
            var x = bounds.minXMM + step / 2
            while x < bounds.maxXMM {
                target += constant.map(Double.init) ?? density.density(xMM: x, yMM: y)
                x += step
            }
            y += step
        }
        return target * step * step / 100 / Double(earlier)
    }

    func deallocate() {
        deallocateSearchStructures()
        dots.deallocate()
    }

    /// Frees all but the dots, which `newDots()` still reads.
    func deallocateSearchStructures() {
        grid.deallocate()
        coverage.deallocate()
        cellSpacings.deallocate()
        active.deallocate()
        deferred.deallocate()
        gathered.deallocate()
        nearDiscs.deallocate()
        squares.deallocate()
    }

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
        // knows (measured 2026-11-25: with `markCoverage`'s local, 2 % of the uniform
        // benchmark's instructions, 1.3 % of the ramp's).
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
                // Raster row by raster row: contiguous runs the compiler vectorises (column
                // by column took 4 % of the ramp benchmark's instructions more).
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

    /// Marks full the subcells of the last grid column and row that lie wholly outside the
    /// domain: no dot goes there, and left open they kept the sweep splitting and trying the
    /// edge cells down to its finest squares (measured 2026-11-25 on the uniform 1,000 cm²
    /// benchmark: 368,800 of the sweep's 382,400 tries that got past its gathered discs landed
    /// outside; without them the run takes about 10 % less time). A subcell is marked only if
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

    // MARK: Placing

    @inline(__always)
    mutating func appendDot(x: Float, y: Float, spacing: Float, spawnRadius: Float, ghost: Bool) {
        if spawnRadius > 0 {
            if activeCount == activeCapacity { growActiveList() }
            // Fixed per dot by its position, so it waits in the same strip whenever it is looked at.
            let u = Float(SplitMix64.mix(UInt64(x.bitPattern) << 32 | UInt64(y.bitPattern)) >> 40) * 0x1p-24
            active[activeCount] = SIMD4(x, y, spawnRadius, u * SamplerState.waitFuzzRows * grid.cellSize)
            activeCount += 1
        }
        dots.append(x: x, y: y, spacing: spacing, ghost: ghost)
    }

    mutating func growActiveList() {
        active = SamplerState.enlarged(active, count: activeCount, capacity: &activeCapacity)
    }

    static func enlarged(_ list: UnsafeMutablePointer<SIMD4<Float>>, count: Int, capacity: inout Int) -> UnsafeMutablePointer<SIMD4<Float>> {
        capacity *= 2
        let larger = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: capacity)
        larger.moveInitialize(from: list, count: count)
        list.deallocate()
        return larger
    }

    /// Unjittered spacing at a grid-relative position, with the target density there (> 0) or 0.
    @inline(__always)
    func spacingAndDensity(x: Float, y: Float) -> (spacing: Float, density: Float) {
        if rasterIsUniform { return (uniformBaseSpacing, uniformDensity) }
        let d = density(x: x, y: y)
        return (d > 0 ? baseSpacing(density: d) : 0, d)
    }

    /// Tries to place a dot at (x, y): inside the domain, positive target, room for it.
    /// `gatheredCount` > 0: the cells of the sweep's first that many gathered discs are checked
    /// before the full scan.
    @inline(__always)
    mutating func tryPlace(x: Float, y: Float, gatheredCount: Int = 0) -> Bool {
        guard x >= 0, y >= 0, x < widthMM, y < heightMM else { return false }
        let (column, row, bit) = coverage.cellAndBit(x: x, y: y)
        let cell = grid.index(column: column, row: row)
        // A taken cell is marked whole: its dot is a sure conflict.
        guard coverage.words[cell] & bit == 0 else { return false }
        let (base, d) = spacingAndDensity(x: x, y: y)
        guard d > 0 else { return false }
        let s = rasterIsUniform ? cellSpacings[cell] : base * jitterFactor(column: column, row: row)
        // In a varying field the reach costs a gradient lookup: settle what the nearest dots
        // settle first.
        let knownReach: Float = rasterIsUniform ? reach(spacing: s, x: x, y: y) : 0
        if gatheredCount > 0, grid.conflictAmong(gathered.cells, count: gatheredCount, x: x, y: y, spacing: s, reach: knownReach) { return false }
        let reach = rasterIsUniform ? knownReach : reach(spacing: s, x: x, y: y)
        guard grid.fits(x: x, y: y, spacing: s, reach: reach) else { return false }
        // Below the floor density, keep a dot with probability D / D_floor: thinning a denser
        // fill keeps the expected density right without ever wider neighbourhood searches.
        let ghost = d < floorDensity && Float(generator.next() >> 40) * 0x1p-24 >= d / floorDensity
        grid.store(cell, x: x, y: y, spacing: s)
        appendDot(x: x, y: y, spacing: s, spawnRadius: s, ghost: ghost)
        markCoverage(cell: cell, x: x, y: y)
        return true
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
                    // the other terms, Float rounding being monotone), without them (measured
                    // 2026-11-25: uniform benchmark 3 % fewer instructions, the same dots).
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

    // MARK: The run

    /// Growth and sweep work through the grid in strips of `stripRows` rows, bottom to top (up
    /// to regularity `stripsUpToRegularity`; above it the whole grid is one strip). A dot
    /// near the current strip's far edge (within its own offset, `waits`) or past it waits
    /// (`deferred`) for the next strip's growth; candidates still land up to a spacing or so
    /// past the edge. The sweep follows below the waiting dots' reach, so every area is grown
    /// before it is swept, as when growth ran over the whole grid before the sweep. What the
    /// run touches stays within a strip or two (a few hundred KB) rather than wherever the
    /// growth front wandered over the grid (12 MB for the uniform 1,000 cm² benchmark).
    /// Measured 2026-11-25, best of alternating runs: uniform benchmark 50 → 42 ms, ramp 54 →
    /// 48 ms; misses of a simulated 1 MB L2 in the uniform benchmark 850,000 → 540,000, page
    /// faults per run 3,000 → 1,900, for 3 to 4 % more instructions. The layers benchmark,
    /// whose grids of a few MB the caches held already, takes about 2 % longer.
    ///
    /// The edge is fuzzed per dot (`waits`): along a straight edge the dots waiting there lined
    /// up against it like particles against a wall, rows 5 % denser and 4 % sparser just past
    /// every edge (dots per grid row over 16 seeds of the uniform benchmark, folded over the
    /// strip, against the same without strips). Fuzzed over three rows, ±1.2 % (64 seeds);
    /// over seven, ±0.5 %, a density wave of 0.5 % amplitude at the strip's period (spectrum
    /// of dots per 0.05 mm band, 16 seeds; the strongest without strips, 0.13 %); over 14, no
    /// row more than 0.1 % from the run without strips, and no wave above 0.17 %. Above
    /// regularity 0.5 growth is crystalline and the edges become grain boundaries all the
    /// same: a wave of 0.18 % at 0.7, 0.8 % at 1.
    mutating func run() {
        // Earlier layers' dots, active from the start, wait for their strips too: in order of
        // the row where they stop waiting, each is taken in its strip without being looked at
        // in every one before (a scan per strip took 6 % of the layers benchmark's
        // instructions; a comparison sort, 4 %). Rounding can put a dot a row early in that
        // order: the dots after it then wait until it stops waiting, a strip at most.
        let earlier = SamplerState.sortedByRow(UnsafeBufferPointer(start: active, count: activeCount), rows: grid.rows,
                                               inverseCellSize: grid.inverseCellSize)
        activeCount = 0
        // The lowest y the candidates of `earlier[i...]` can reach.
        var earlierReachY = [Float](repeating: .infinity, count: earlier.count + 1)
        for index in earlier.indices.reversed() {
            earlierReachY[index] = min(earlierReachY[index + 1], earlier[index].y - farthestCandidate(earlier[index]))
        }
        var nextEarlier = 0
        let stripRows = request.regularity <= SamplerState.stripsUpToRegularity ? SamplerState.stripRows : grid.rows
        var resumeCell = 0
        var growthEnd = 0
        var lastStrip = false
        while !lastStrip {
            growthEnd = min(growthEnd + stripRows, grid.rows)
            lastStrip = growthEnd == grid.rows
            let limitY = lastStrip ? Float.infinity : Float(growthEnd) * grid.cellSize
            while nextEarlier < earlier.count, !waits(earlier[nextEarlier], limitY: limitY) {
                if activeCount == activeCapacity { growActiveList() }
                active[activeCount] = earlier[nextEarlier]
                activeCount += 1
                nextEarlier += 1
            }
            activateDeferred(below: limitY)
            while true {
                UnitVectorTable.xy.withUnsafeBufferPointer { grow($0, limitY: limitY) }
                // Sweep the rows below every waiting dot's candidates.
                let reachY = min(deferredReachY, earlierReachY[nextEarlier])
                let sweepEnd = lastStrip ? grid.rows : Int(min(Float(growthEnd), reachY * grid.inverseCellSize))
                guard let cell = sweep(from: resumeCell, toRow: sweepEnd) else {
                    resumeCell = max(resumeCell, grid.index(column: 0, row: sweepEnd))
                    break
                }
                resumeCell = cell
            }
        }
    }

    /// Does the active dot wait for a strip ending past `limitY`? Yes from its own distance
    /// before the edge on (`waitFuzzRows`).
    @inline(__always)
    func waits(_ dot: SIMD4<Float>, limitY: Float) -> Bool {
        dot.y + dot.w >= limitY
    }

    /// The farthest a candidate of an active dot can land from it.
    @inline(__always)
    func farthestCandidate(_ dot: SIMD4<Float>) -> Float {
        dot.z * SpatialGrid.safety * (1 + annulusWidth)
    }

    /// The active dots `dots` in order of the grid row of y + w (counting sort; rows past the
    /// grid count as its last).
    static func sortedByRow(_ dots: UnsafeBufferPointer<SIMD4<Float>>, rows: Int, inverseCellSize: Float) -> [SIMD4<Float>] {
        @inline(__always)
        func row(_ dot: SIMD4<Float>) -> Int { min(max(Int((dot.y + dot.w) * inverseCellSize), 0), rows - 1) }
        var starts = [Int](repeating: 0, count: rows + 1)
        for dot in dots { starts[row(dot) + 1] += 1 }
        for index in 0..<rows { starts[index + 1] += starts[index] }
        var sorted = [SIMD4<Float>](repeating: .zero, count: dots.count)
        for dot in dots {
            let r = row(dot)
            sorted[starts[r]] = dot
            starts[r] += 1
        }
        return sorted
    }

    /// Moves the waiting dots that no longer wait for a strip ending at `limitY` to the active
    /// list, in order, and works out the reach of those left.
    mutating func activateDeferred(below limitY: Float) {
        var kept = 0
        deferredReachY = .infinity
        for index in 0..<deferredCount {
            let dot = deferred[index]
            if !waits(dot, limitY: limitY) {
                if activeCount == activeCapacity { growActiveList() }
                active[activeCount] = dot
                activeCount += 1
            } else {
                deferred[kept] = dot
                kept += 1
                deferredReachY = min(deferredReachY, dot.y - farthestCandidate(dot))
            }
        }
        deferredCount = kept
    }

    /// Bridson's loop, in the "improved Bridson" form (M. Roberts, 2019): take an active dot,
    /// try `attempts` candidates around it at evenly spaced angles from a random start (so
    /// one visit walks the whole circle and leaves few gaps), keep every one that fits, and
    /// retire the dot. Each dot is visited once. Gaps it leaves are the sweep's. A dot that
    /// waits for a strip ending past `limitY` is put aside instead (`run`).
    ///
    /// The dot taken is a random one of the `activeWindow` most recent: those lie together, so
    /// the grid cells their candidates touch stay in cache.
    mutating func grow(_ directions: UnsafeBufferPointer<Float>, limitY: Float) {
        let angleStep = UnitVectorTable.count / attempts
        while activeCount > 0 {
            let slot = activeCount - 1 - generator.nextIndex(below: min(activeCount, SamplerState.activeWindow))
            let dot = active[slot]
            activeCount -= 1
            active[slot] = active[activeCount]
            if waits(dot, limitY: limitY) {
                if deferredCount == deferredCapacity {
                    deferred = SamplerState.enlarged(deferred, count: deferredCount, capacity: &deferredCapacity)
                }
                deferred[deferredCount] = dot
                deferredCount += 1
                deferredReachY = min(deferredReachY, dot.y - farthestCandidate(dot))
                continue
            }
            let px = dot.x, py = dot.y, radius = dot.z * SpatialGrid.safety
            var bits = generator.next()
            var angle = Int(truncatingIfNeeded: bits) & UnitVectorTable.mask
            for attempt in 0..<attempts {
                if attempt & 1 == 1 { bits = generator.next() }
                // Alternate halves of the 64 bits for the radial position.
                let u = Float((attempt & 1 == 0 ? bits >> 40 : (bits >> 12) & 0xFF_FFFF)) * 0x1p-24
                let distance = radius * (1 + annulusWidth * u)
                let direction = angle &<< 1
                _ = tryPlace(x: px + distance * directions[direction], y: py + distance * directions[direction + 1])
                angle = (angle &+ angleStep) & UnitVectorTable.mask
            }
        }
    }

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
        // from these bits (measured 2026-11-25: stacking all of them at the start, sorted,
        // took 4.5 % of the uniform benchmark's instructions and 6 % of the layers'; a cell the
        // sweep opens has a dozen open subcells, and a try in the first few mostly places a dot).
        var openSubcells: UInt64 = 0
        if fromSubcells {
            openSubcells = SamplerState.mortonOrdered(~coverage.words[cell])
            stackCount = 0
        } else {
            let half = 0.5 * size
            squares[0] = SIMD4(x0, y0, half, 1)
            squares[1] = SIMD4(x0 + half, y0, half, 1)
            squares[2] = SIMD4(x0, y0 + half, half, 1)
            squares[3] = SIMD4(x0 + half, y0 + half, half, 1)
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
                if !fromSubcells, square.w <= 3, coverage.covers(square, cell: cell, x0: x0, y0: y0) { continue }
                // Everything below an open subcell is tested against the few discs that reach it
                // (a disc that covers or holds anything in it reaches it): the same answers.
                let discs = fromSubcells ? nearDiscs : gathered
                if fromSubcells && square.w == 3 { nearCount = gathered.reaching(square, count: discCount, into: nearDiscs) }
                // The mask leaves open some subcells a single disc holds (`DiscMarkTable` marks
                // about 95 % of what the discs hold): tested from the subcells down.
                if discs.cover(square, count: nearCount) { continue }
                if !rasterIsUniform {
                    // In a varying field the cell's smallest spacing can be far below a square's
                    // (at a mask's soft edge the density falls to 0 across the cell): bound the
                    // square's own density, skip it where that is 0, else test it with the larger
                    // discs its own smallest spacing gives.
                    let squarePeak = peakDensity(x0: square.x, y0: square.y, x1: square.x + square.z, y1: square.y + square.z)
                    if squarePeak <= 0 { continue }
                    let squareLowest = baseSpacing(density: squarePeak) * cellJitter
                    if squareLowest > lowest, gathered.cover(square, count: discCount, spacing: squareLowest) { continue }
                }
                if square.w >= tryDepth {
                    let bits = generator.next()
                    let x = square.x + square.z * Float(bits >> 40) * 0x1p-24
                    let y = square.y + square.z * Float((bits >> 16) & 0xFF_FFFF) * 0x1p-24
                    // Rounding can put a point on the cell's far edge into the next cell, whose
                    // spacing differs: those go to `tryPlace`.
                    let surelyRefused = grid.columnAndRow(x: x, y: y) == (column, row)
                        && discs.contain(x: x, y: y, count: nearCount, sureWithin: sureConflictDistance)
                    if !surelyRefused, tryPlace(x: x, y: y, gatheredCount: discCount) { return true }
                    if square.w >= finalDepth { continue }
                }
                let half = 0.5 * square.z, depth = square.w + 1
                squares[stackCount] = SIMD4(square.x, square.y, half, depth)
                squares[stackCount + 1] = SIMD4(square.x + half, square.y, half, depth)
                squares[stackCount + 2] = SIMD4(square.x, square.y + half, half, depth)
                squares[stackCount + 3] = SIMD4(square.x + half, square.y + half, half, depth)
                stackCount += 4
            }
        } while openSubcells != 0
        return false
    }

    /// The subcell with Morton code `morton` of the cell at (x0, y0), as the quadtree's
    /// depth-3 square. Corners are summed as the quadtree sums them (Float addition is not
    /// associative).
    @inline(__always)
    static func subcellSquare(morton: Int, x0: Float, y0: Float, size: Float) -> SIMD4<Float> {
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
        return SIMD4(x, y, half3, 3)
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

    /// The largest target density over the rectangle [x0, x1] × [y0, y1] (grid-relative mm):
    /// `DensityRaster.peak`, which the sweep calls per quadtree square from a mutating method
    /// (a non-inlined method of the whole state got a copy of it per call).
    @inline(__always)
    func peakDensity(x0: Float, y0: Float, x1: Float, y1: Float) -> Float {
        raster.peak(u0: x0 * rasterScale + rasterOffsetX, v0: y0 * rasterScale + rasterOffsetY,
                    u1: x1 * rasterScale + rasterOffsetX, v1: y1 * rasterScale + rasterOffsetY)
    }

    /// The dots this run placed and kept, in placement order, in scene millimetres.
    func newDots() -> [PoissonDot] {
        var result = [PoissonDot]()
        result.reserveCapacity(dots.count - existingCount)
        let streamBase = SplitMix64.derive(request.seed, stream: 0xD07 &+ UInt64(bitPattern: Int64(request.layer)))
        for index in existingCount..<dots.count where !dots.isGhost[index] {
            result.append(PoissonDot(
                xMM: originX + Double(dots.xs[index]), yMM: originY + Double(dots.ys[index]),
                spacingMM: Double(dots.spacings[index]), layer: request.layer, diameterMM: request.diameterMM,
                variationSeed: SplitMix64.derive(streamBase, stream: UInt64(result.count))))
        }
        return result
    }
}
