// Placing one dot: the exact checks, the thinning below the floor density, and the list of
// the run's new dots.

extension SamplerState {
    // MARK: Placing

    @inline(__always)
    mutating func appendDot(x: Float, y: Float, spacing: Float, spawnRadius: Float, ghost: Bool) {
        if spawnRadius > 0 {
            // Fixed per dot by its position, so it waits in the same strip whenever it is looked at.
            let u = Float(SplitMix64.mix(UInt64(x.bitPattern) << 32 | UInt64(y.bitPattern)) >> 40) * 0x1p-24
            active.append(ActiveDot(x: x, y: y, spawnRadius: spawnRadius, waitOffset: u * SamplerState.waitFuzzRows * grid.cellSize))
        }
        dots.append(x: x, y: y, spacing: spacing, ghost: ghost)
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
