// The search grid's size, and the density ratio that sets a layer's spacing factor: worked out
// before a run (and, for the grid, before a `.tiled` run too).

extension SamplerState {
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
}
