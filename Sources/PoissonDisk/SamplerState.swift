/// The dots of one run, structure of arrays in plain memory: the hot loop appends and reads
/// without bounds checks, uniqueness checks or reference counting. Owns its memory.
struct DotStore {
    private(set) var count = 0
    private(set) var capacity: Int
    private(set) var xs: UnsafeMutablePointer<Float>
    private(set) var ys: UnsafeMutablePointer<Float>
    private(set) var spacings: UnsafeMutablePointer<Float>
    /// The distance at which this dot grows new candidates (0: it never does).
    private(set) var spawnRadii: UnsafeMutablePointer<Float>
    /// A thinned dot blocks its neighbourhood like any other but is not returned.
    private(set) var isGhost: UnsafeMutablePointer<Bool>

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        xs = .allocate(capacity: self.capacity)
        ys = .allocate(capacity: self.capacity)
        spacings = .allocate(capacity: self.capacity)
        spawnRadii = .allocate(capacity: self.capacity)
        isGhost = .allocate(capacity: self.capacity)
    }

    func deallocate() {
        xs.deallocate()
        ys.deallocate()
        spacings.deallocate()
        spawnRadii.deallocate()
        isGhost.deallocate()
    }

    @inline(__always)
    mutating func append(x: Float, y: Float, spacing: Float, spawnRadius: Float, ghost: Bool) {
        if count == capacity { grow() }
        xs[count] = x
        ys[count] = y
        spacings[count] = spacing
        spawnRadii[count] = spawnRadius
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
        spawnRadii = moved(spawnRadii)
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
    var dots: DotStore
    /// Earlier layers' dots come first in `dots`.
    let existingCount: Int
    /// Dot indices that still grow candidates.
    var active: UnsafeMutablePointer<Int32>
    var activeCount = 0
    var activeCapacity: Int
    /// Scratch for the sweep: nearby exclusion discs, and a quadtree stack.
    let discs: UnsafeMutablePointer<Float>
    let discLane: Int
    let discCells: UnsafeMutablePointer<Int32>
    let squares: UnsafeMutablePointer<SIMD4<Float>>
    /// Per grid column, the cell whose disc covered the last empty cell the sweep settled in
    /// that column (-1: none yet); with `lastCover`, the sweep's first guess for the next one.
    let columnCover: UnsafeMutablePointer<Int>
    var lastCover = -1

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
    /// The smallest spacing a new dot can get (the peak's, jittered down).
    let smallestNewSpacing: Float
    /// The largest spacing a dot can get in a uniform field (jitter included).
    let uniformLargestSpacing: Float
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
        smallestNewSpacing = peakSpacing * (1 - jitter)

        let bounds = request.bounds
        originX = bounds.minXMM
        originY = bounds.minYMM
        widthMM = Float(bounds.widthMM)
        heightMM = Float(bounds.heightMM)
        rasterScale = Float(1 / raster.cellSizeMM)
        rasterOffsetX = Float((originX - raster.originXMM) / raster.cellSizeMM) - 0.5
        rasterOffsetY = Float((originY - raster.originYMM) / raster.cellSizeMM) - 0.5

        let smallestExisting = inBounds.map { Float($0.spacingMM) }.min() ?? .infinity
        var smallestSpacing = min(peakSpacing * (1 - jitter), smallestExisting)
        if !(smallestSpacing.isFinite && smallestSpacing > 0) {
            // Nothing to place and nothing placed: any cell size keeps the run trivial.
            smallestSpacing = max(widthMM, heightMM)
        }
        let cellSize = smallestSpacing / Float(2).squareRoot() * 0.999
        let columnCount = Double(widthMM / cellSize) + 1, rowCount = Double(heightMM / cellSize) + 1
        guard columnCount * rowCount <= Double(request.maximumGridCells) else {
            throw PoissonDiskError.tooLarge(
                "\(Int(columnCount)) × \(Int(rowCount)) grid cells of \(cellSize) mm for \(Int(bounds.areaCM2)) cm² at up to \(peak) dots/cm²; allowed: at most \(request.maximumGridCells) cells (split the area or lower the density)")
        }
        grid = SpatialGrid(columns: Int(columnCount), rows: Int(rowCount), cellSize: cellSize)
        let estimate = Int(Double(peak) * bounds.areaCM2 * 1.1) + inBounds.count + 16
        dots = DotStore(capacity: estimate)
        activeCapacity = estimate
        active = .allocate(capacity: estimate)
        let gatherCapacity = grid.gatherCapacity(forReach: max(maximumSpacing.isFinite ? maximumSpacing : 0, smallestSpacing))
        discLane = gatherCapacity
        discs = .allocate(capacity: 5 * gatherCapacity)
        discCells = .allocate(capacity: gatherCapacity)
        columnCover = .allocate(capacity: grid.columns)
        columnCover.initialize(repeating: -1, count: grid.columns)
        squares = .allocate(capacity: 4 * SamplerState.sweepDepth + 4)
        existingCount = inBounds.count
        if rasterIsUniform && uniformDensity > 0 { uniformBaseSpacing = baseSpacing(density: uniformDensity) }

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
            appendDot(x: x, y: y, spacing: oldSpacing, spawnRadius: spawnRadius, ghost: false)
        }
    }

    /// q = the new cumulative target's dot count over the earlier dots' count, both where the
    /// new target is positive: how much denser this layer makes the area (∞ with no earlier dots).
    static func densityRatio(of density: DensityRaster, over bounds: RectMM, existing: [PoissonDot]) -> Double {
        guard !existing.isEmpty else { return .infinity }
        let earlier = existing.filter { density.density(xMM: $0.xMM, yMM: $0.yMM) > 0 }.count
        guard earlier > 0 else { return .infinity }
        // The target's integral over the bounds, a sample per raster cell (at most 1 mm apart).
        let step = min(density.cellSizeMM, 1, bounds.widthMM, bounds.heightMM)
        var target = 0.0
        var y = bounds.minYMM + step / 2
        while y < bounds.maxYMM {
            var x = bounds.minXMM + step / 2
            while x < bounds.maxXMM {
                target += density.density(xMM: x, yMM: y)
                x += step
            }
            y += step
        }
        return target * step * step / 100 / Double(earlier)
    }

    func deallocate() {
        grid.deallocate()
        dots.deallocate()
        active.deallocate()
        discs.deallocate()
        discCells.deallocate()
        columnCover.deallocate()
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
        d >= floorDensity ? spacingScale / d.squareRoot() : maximumSpacing / (1 + jitter)
    }

    /// The spacing jitter of a grid cell, 1 + jitter·u with u in [-1, 1) fixed per cell and run.
    /// Fixed per cell rather than drawn per try: retrying a gap must not keep drawing until a
    /// small spacing fits (that would skew the fill dense), and the sweep then knows exactly
    /// which spacing a dot in the cell would get. Keyed by row · columns + column, so the
    /// pattern does not depend on how the grid pads its rows in memory.
    @inline(__always)
    func jitterFactor(column: Int, row: Int) -> Float {
        guard jitter > 0 else { return 1 }
        let bits = SplitMix64.mix(jitterSeed &+ UInt64(truncatingIfNeeded: row &* grid.columns &+ column))
        return 1 + jitter * (Float(bits >> 40) * 0x1p-23 - 1)
    }

    /// How far a newcomer with spacing s at (x, y) must look: s for the contract, and for the
    /// mean rule up to (s + s_max)/2, s_max the largest spacing a neighbour can have. In a
    /// uniform field that is the jittered maximum; on a gradient, the spacing one s towards
    /// the sparse side. An estimate that falls short only skips mean-rule checks beyond s,
    /// never the contract.
    @inline(__always)
    func reach(spacing s: Float, x: Float, y: Float) -> Float {
        if rasterIsUniform { return max(s, 0.5 * (s + uniformLargestSpacing)) }
        let sample = raster.dotsPerCM2.withUnsafeBufferPointer { values in
            DensityRaster.bilinearWithGradient(values, columns: raster.columns, rows: raster.rows,
                                               u: x * rasterScale + rasterOffsetX, v: y * rasterScale + rasterOffsetY)
        }
        let slope = (sample.du * sample.du + sample.dv * sample.dv).squareRoot() * rasterScale
        let sparser = sample.value - slope * s
        let largest = sparser > 0 ? baseSpacing(density: sparser) * (1 + jitter) : maximumSpacing
        return min(max(s, 0.5 * (s + largest)), SamplerState.reachLimit * s)
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
            active[activeCount] = Int32(truncatingIfNeeded: dots.count)
            activeCount += 1
        }
        dots.append(x: x, y: y, spacing: spacing, spawnRadius: spawnRadius, ghost: ghost)
    }

    mutating func growActiveList() {
        activeCapacity *= 2
        let larger = UnsafeMutablePointer<Int32>.allocate(capacity: activeCapacity)
        larger.moveInitialize(from: active, count: activeCount)
        active.deallocate()
        active = larger
    }

    /// Unjittered spacing at a grid-relative position, with the target density there (> 0) or 0.
    @inline(__always)
    func spacingAndDensity(x: Float, y: Float) -> (spacing: Float, density: Float) {
        if rasterIsUniform { return (uniformBaseSpacing, uniformDensity) }
        let d = density(x: x, y: y)
        return (d > 0 ? baseSpacing(density: d) : 0, d)
    }

    /// Tries to place a dot at (x, y): inside the domain, positive target, room for it.
    /// `gathered` > 0: the sweep's first that many `discCells` are checked before the full scan.
    @inline(__always)
    mutating func tryPlace(x: Float, y: Float, gathered: Int = 0) -> Bool {
        guard x >= 0, y >= 0, x < widthMM, y < heightMM else { return false }
        let (column, row) = grid.columnAndRow(x: x, y: y)
        let cell = grid.index(column: column, row: row)
        guard grid.isEmpty(cell) else { return false }   // own cell taken: a sure conflict
        let (base, d) = spacingAndDensity(x: x, y: y)
        guard d > 0 else { return false }
        let s = base * jitterFactor(column: column, row: row)
        // In a varying field the reach costs a gradient lookup: settle what the nearest dots
        // settle first.
        let knownReach: Float = rasterIsUniform ? reach(spacing: s, x: x, y: y) : 0
        if gathered > 0, grid.conflictAmong(discCells, count: gathered, x: x, y: y, spacing: s, reach: knownReach) { return false }
        let reach = rasterIsUniform ? knownReach : reach(spacing: s, x: x, y: y)
        guard grid.fits(x: x, y: y, spacing: s, reach: reach) else { return false }
        // Below the floor density, keep a dot with probability D / D_floor: thinning a denser
        // fill keeps the expected density right without ever wider neighbourhood searches.
        let ghost = d < floorDensity && Float(generator.next() >> 40) * 0x1p-24 >= d / floorDensity
        grid.store(cell, x: x, y: y, spacing: s)
        appendDot(x: x, y: y, spacing: s, spawnRadius: s, ghost: ghost)
        return true
    }

    // MARK: The run

    mutating func run() {
        var resumeCell = 0
        while true {
            UnitVectorTable.xy.withUnsafeBufferPointer { grow($0) }
            guard let cell = sweep(from: resumeCell) else { break }
            resumeCell = cell
        }
    }

    /// Bridson's loop, in the "improved Bridson" form (M. Roberts, 2019): take an active dot,
    /// try `attempts` candidates around it at evenly spaced angles from a random start (so
    /// one visit walks the whole circle and leaves few gaps), keep every one that fits, and
    /// retire the dot. Each dot is visited once. Gaps it leaves are the sweep's.
    ///
    /// The dot taken is a random one of the `activeWindow` most recent: those lie together, so
    /// the grid cells their candidates touch stay in cache.
    mutating func grow(_ directions: UnsafeBufferPointer<Float>) {
        let angleStep = UnitVectorTable.count / attempts
        while activeCount > 0 {
            let slot = activeCount - 1 - generator.nextIndex(below: min(activeCount, SamplerState.activeWindow))
            let dot = Int(active[slot])
            activeCount -= 1
            active[slot] = active[activeCount]
            let px = dots.xs[dot], py = dots.ys[dot], radius = dots.spawnRadii[dot] * SpatialGrid.safety
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

    /// Row-major over the grid from `start`: the first empty cell where a dot fits seeds new
    /// growth. Returns the cell to resume from, or nil when the grid is full.
    mutating func sweep(from start: Int) -> Int? {
        var column = start % grid.stride, row = start / grid.stride
        while row < grid.rows {
            while column < grid.columns {
                let cell = grid.index(column: column, row: row)
                if grid.isEmpty(cell), fillEmptyCell(column: column, row: row) { return cell }
                column += 1
            }
            column = 0
            row += 1
        }
        return nil
    }

    /// Does the disc that covered the previous cell, or the last one in this column, hold the
    /// whole cell for a newcomer of `spacing`? Remembers the column's disc when it does.
    @inline(__always)
    mutating func coveredByHints(column: Int, x0: Float, y0: Float, size: Float, spacing: Float) -> Bool {
        let hintA = lastCover, hintB = columnCover[column]
        if hintA >= 0, grid.discCovers(hintA, x0: x0, y0: y0, size: size, spacing: spacing) { return true }
        if hintB >= 0, grid.discCovers(hintB, x0: x0, y0: y0, size: size, spacing: spacing) {
            lastCover = hintB
            return true
        }
        return false
    }

    /// Places a dot in an empty grid cell if one fits anywhere in it.
    ///
    /// Maximal-fill test after Ebeida et al. ("Efficient maximal Poisson-disk sampling",
    /// SIGGRAPH 2011): a square is certainly full if one nearby dot's exclusion disc holds all
    /// four of its corners. The cell is split into quarters; only squares no single disc
    /// covers are tried, at a random point, from level `sweepTryDepth`, and split further down
    /// to `sweepDepth`. Exclusion radii use the smallest spacing a dot in this cell can get
    /// (from the exact peak of the bilinear target over the cell), so "covered" is never
    /// claimed wrongly; in a varying field each square is tested again with its own, larger,
    /// smallest spacing, and a square whose target is 0 everywhere is dropped.
    ///
    /// About half the work of a run is here. Two shortcuts change no result: the disc that
    /// covered the previous cell (or the one above) is asked first, and a try that lands in a
    /// gathered disc is refused without the full grid scan. Where the spacing spans many
    /// cells (the sparse end of a varying field) the quadtree is shallower, so its finest
    /// squares stay the same fraction of the spacing as in a uniform field.
    mutating func fillEmptyCell(column: Int, row: Int) -> Bool {
        let size = grid.cellSize
        let x0 = Float(column) * size, y0 = Float(row) * size
        if rasterIsUniform {
            // Ask the last covering discs first with the smallest spacing any newcomer gets
            // (smaller spacing, smaller disc), before this cell's jitter and reach: in a uniform
            // field a covering dot is always within reach, so `coveringCell` would say the same.
            if coveredByHints(column: column, x0: x0, y0: y0, size: size, spacing: smallestNewSpacing) { return false }
        }
        let peak = rasterIsUniform ? uniformDensity : peakDensity(x0: x0, y0: y0, x1: x0 + size, y1: y0 + size)
        guard peak > 0 else { return false }
        let cellJitter = jitterFactor(column: column, row: row)
        let lowest = (rasterIsUniform ? uniformBaseSpacing : baseSpacing(density: peak)) * cellJitter
        if rasterIsUniform {
            // The same two again with this cell's own spacing; `coveringCell` need not.
            if coveredByHints(column: column, x0: x0, y0: y0, size: size, spacing: lowest) { return false }
        }
        let reach = reach(spacing: lowest, x: x0 + 0.5 * size, y: y0 + 0.5 * size)
        // Most empty cells sit inside one neighbour's disc: settle those without a list.
        let cover = grid.coveringCell(x0: x0, y0: y0, size: size, spacing: lowest, reach: reach,
                                      hint: rasterIsUniform ? -1 : lastCover, hint2: rasterIsUniform ? -1 : columnCover[column])
        if cover >= 0 {
            lastCover = cover
            columnCover[column] = cover
            return false
        }

        let discCount = grid.gatherDiscs(x0: x0, y0: y0, size: size, spacing: lowest, reach: reach, onlyReaching: rasterIsUniform,
                                         into: discs, lane: discLane, cells: discCells)
        // The levels are meant relative to the spacing: where it spans many cells (the sparse
        // end of a varying field, the grid being sized for the dense end) the cell is already
        // that much finer, and the full depth would split slivers of a thousandth of a spacing.
        // 2^shift ≤ lowest / (√2·cell) < 2^(shift+1); 0 in a uniform field, whose cells are
        // sized for its own smallest spacing.
        let shift = max(0, Int((lowest * (0.5 * Float(2).squareRoot()) * grid.inverseCellSize).exponent))
        let tryDepth = Float(max(1, SamplerState.sweepTryDepth - shift))
        let finalDepth = Float(max(SamplerState.sweepTryDepth - shift, SamplerState.sweepDepth - shift, 1))
        var stackCount = 4
        let half = 0.5 * size
        squares[0] = SIMD4(x0, y0, half, 1)
        squares[1] = SIMD4(x0 + half, y0, half, 1)
        squares[2] = SIMD4(x0, y0 + half, half, 1)
        squares[3] = SIMD4(x0 + half, y0 + half, half, 1)
        while stackCount > 0 {
            stackCount -= 1
            let square = squares[stackCount]
            if isCovered(square, discCount) { continue }
            if !rasterIsUniform {
                // In a varying field the cell's smallest spacing can be far below a square's
                // (at a mask's soft edge the density falls to 0 across the cell): bound the
                // square's own density, skip it where that is 0, else test it with the larger
                // discs its own smallest spacing gives.
                let squarePeak = peakDensity(x0: square.x, y0: square.y, x1: square.x + square.z, y1: square.y + square.z)
                if squarePeak <= 0 { continue }
                let squareLowest = baseSpacing(density: squarePeak) * cellJitter
                if squareLowest > lowest, isCovered(square, discCount, spacing: squareLowest) { continue }
            }
            if square.w >= tryDepth {
                let bits = generator.next()
                let x = square.x + square.z * Float(bits >> 40) * 0x1p-24
                let y = square.y + square.z * Float((bits >> 16) & 0xFF_FFFF) * 0x1p-24
                if tryPlace(x: x, y: y, gathered: discCount) { return true }
                if square.w >= finalDepth { continue }
            }
            let half = 0.5 * square.z, depth = square.w + 1
            squares[stackCount] = SIMD4(square.x, square.y, half, depth)
            squares[stackCount + 1] = SIMD4(square.x + half, square.y, half, depth)
            squares[stackCount + 2] = SIMD4(square.x, square.y + half, half, depth)
            squares[stackCount + 3] = SIMD4(square.x + half, square.y + half, half, depth)
            stackCount += 4
        }
        return false
    }

    /// Does one gathered disc hold all four corners of the square (x, y, size, depth)?
    /// Four discs per step; the padding discs cover nothing.
    @inline(__always)
    func isCovered(_ square: SIMD4<Float>, _ discCount: Int) -> Bool {
        let xa = SIMD4<Float>(repeating: square.x), xb = SIMD4<Float>(repeating: square.x + square.z)
        let ya = SIMD4<Float>(repeating: square.y), yb = SIMD4<Float>(repeating: square.y + square.z)
        var k = 0
        while k < discCount {
            let x = SpatialGrid.load4(discs + k), y = SpatialGrid.load4(discs + discLane + k)
            let r2 = SpatialGrid.load4(discs + 2 * discLane + k)
            let dxa = xa - x, dxb = xb - x, dya = ya - y, dyb = yb - y
            let far = SpatialGrid.maximum(dxa * dxa, dxb * dxb) + SpatialGrid.maximum(dya * dya, dyb * dyb)
            if any(far .< r2) { return true }
            k += 4
        }
        return false
    }

    /// `isCovered` with the discs' radii worked out for a newcomer of spacing s.
    @inline(__always)
    func isCovered(_ square: SIMD4<Float>, _ discCount: Int, spacing s: Float) -> Bool {
        let xa = SIMD4<Float>(repeating: square.x), xb = SIMD4<Float>(repeating: square.x + square.z)
        let ya = SIMD4<Float>(repeating: square.y), yb = SIMD4<Float>(repeating: square.y + square.z)
        let ps = SIMD4<Float>(repeating: s)
        var k = 0
        while k < discCount {
            let x = SpatialGrid.load4(discs + k), y = SpatialGrid.load4(discs + discLane + k)
            let r = SpatialGrid.maximum(SpatialGrid.load4(discs + 3 * discLane + k) + 0.5 * ps,
                                        SpatialGrid.minimum(ps, SpatialGrid.load4(discs + 4 * discLane + k)))
            let dxa = xa - x, dxb = xb - x, dya = ya - y, dyb = yb - y
            let far = SpatialGrid.maximum(dxa * dxa, dxb * dxb) + SpatialGrid.maximum(dya * dya, dyb * dyb)
            if any(far .< r * r) { return true }
            k += 4
        }
        return false
    }

    /// The largest target density over the rectangle [x0, x1] × [y0, y1], exact up to
    /// rounding: a bilinear function is linear along each axis, so over the part of the
    /// rectangle in one interpolation cell of the raster its largest value is at a corner of
    /// that part. (A sampled corner and centre would miss a peak between them.)
    @inline(__always)
    func peakDensity(x0: Float, y0: Float, x1: Float, y1: Float) -> Float {
        let columns = raster.columns, rows = raster.rows
        let u0 = min(max(x0 * rasterScale + rasterOffsetX, 0), Float(columns - 1))
        let u1 = min(max(x1 * rasterScale + rasterOffsetX, 0), Float(columns - 1))
        let v0 = min(max(y0 * rasterScale + rasterOffsetY, 0), Float(rows - 1))
        let v1 = min(max(y1 * rasterScale + rasterOffsetY, 0), Float(rows - 1))
        let iFirst = Int(u0), iLast = Int(u1), jFirst = Int(v0), jLast = Int(v1)
        return raster.dotsPerCM2.withUnsafeBufferPointer { values in
            var peak: Float = 0
            for j in jFirst...jLast {
                let j1 = min(j + 1, rows - 1)
                // The part of [v0, v1] in this cell, as fractions of it.
                let fv0 = max(v0 - Float(j), 0), fv1 = min(v1 - Float(j), 1)
                for i in iFirst...iLast {
                    let i1 = min(i + 1, columns - 1)
                    let fu0 = max(u0 - Float(i), 0), fu1 = min(u1 - Float(i), 1)
                    let a = values[j * columns + i], b = values[j * columns + i1]
                    let c = values[j1 * columns + i], d = values[j1 * columns + i1]
                    let top0 = a * (1 - fu0) + b * fu0, top1 = a * (1 - fu1) + b * fu1
                    let bottom0 = c * (1 - fu0) + d * fu0, bottom1 = c * (1 - fu1) + d * fu1
                    peak = max(peak, max(max(top0 * (1 - fv0) + bottom0 * fv0, top1 * (1 - fv0) + bottom1 * fv0),
                                         max(top0 * (1 - fv1) + bottom0 * fv1, top1 * (1 - fv1) + bottom1 * fv1)))
                }
            }
            return peak
        }
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
