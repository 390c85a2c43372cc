/// The mutable state of one run of the search sampler (`PoissonDiskMethod.search`; see
/// `PoissonDiskSampler` for the algorithm): the fallback for earlier dots the tiled sampler
/// cannot nest on, and the stubble's follicles. Kept as it is, not tuned further: plans use
/// the tiled sampler.
///
/// This file holds the stored state and its set-up; each aspect of the run is in its own
/// `SamplerState+Aspect.swift` (grid size, spacing, coverage, placing, growth, sweep), and the
/// raw memory it owns in `_DotStorage` and `_ActiveList`.
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
    var dots: _DotStorage
    /// Earlier layers' dots come first in `dots`.
    let existingCount: Int
    /// The dots that still grow candidates (`ActiveDot`: what growth needs of them is copied
    /// there rather than looked up, as the dot's own arrays are far apart in memory).
    var active: _ActiveList
    /// Dots that wait for a later strip (`run`), like `active`.
    var deferred: _ActiveList
    /// The lowest y a waiting dot's candidates can reach: the sweep stays below it.
    var deferredReachY = Float.infinity
    /// Scratch for the sweep: nearby exclusion discs, those of them that reach one subcell, and
    /// a quadtree stack.
    let gathered: GatheredDiscs
    let nearDiscs: GatheredDiscs
    /// The stack of the sweep's quadtree (`fillEmptyCell`).
    let squares: UnsafeMutablePointer<SweepSquare>

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
        dots = _DotStorage(capacity: estimate)
        active = _ActiveList(capacity: estimate)
        deferred = _ActiveList(capacity: estimate)
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
}
