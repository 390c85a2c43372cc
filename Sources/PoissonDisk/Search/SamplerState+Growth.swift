// The run: Bridson growth from the active dots, strip by strip, each strip followed by the
// sweep (`SamplerState+Sweep.swift`).

extension SamplerState {

    // MARK: The run

    /// Growth and sweep work through the grid in strips of `stripRows` rows, bottom to top (up
    /// to regularity `stripsUpToRegularity`; above it the whole grid is one strip). A dot
    /// near the current strip's far edge (within its own offset, `waits`) or past it waits
    /// (`deferred`) for the next strip's growth; candidates still land up to a spacing or so
    /// past the edge. The sweep follows below the waiting dots' reach, so every area is grown
    /// before it is swept, as when growth ran over the whole grid before the sweep. What the
    /// run touches stays within a strip or two (a few hundred KB) rather than wherever the
    /// growth front wandered over the grid (megabytes for a large area): fewer cache misses
    /// and page faults for a few per cent more instructions (Benchmarks/NOTES.md).
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
        // in every one before (a counting sort: cheaper than a scan per strip or a comparison
        // sort, Benchmarks/NOTES.md). Rounding can put a dot a row early in that
        // order: the dots after it then wait until it stops waiting, a strip at most.
        let earlier = SamplerState.sortedByRow(active.buffer, rows: grid.rows,
                                               inverseCellSize: grid.inverseCellSize)
        active.truncate(to: 0)
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
                active.append(earlier[nextEarlier])
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
    func waits(_ dot: ActiveDot, limitY: Float) -> Bool {
        dot.y + dot.waitOffset >= limitY
    }

    /// The farthest a candidate of an active dot can land from it.
    @inline(__always)
    func farthestCandidate(_ dot: ActiveDot) -> Float {
        dot.spawnRadius * SpatialGrid.safety * (1 + annulusWidth)
    }

    /// The active dots `dots` in order of the grid row of y + waitOffset (counting sort; rows past the
    /// grid count as its last).
    static func sortedByRow(_ dots: UnsafeBufferPointer<ActiveDot>, rows: Int, inverseCellSize: Float) -> [ActiveDot] {
        @inline(__always)
        func row(_ dot: ActiveDot) -> Int { min(max(Int((dot.y + dot.waitOffset) * inverseCellSize), 0), rows - 1) }
        var starts = [Int](repeating: 0, count: rows + 1)
        for dot in dots { starts[row(dot) + 1] += 1 }
        for index in 0..<rows { starts[index + 1] += starts[index] }
        var sorted = [ActiveDot](repeating: ActiveDot(x: 0, y: 0, spawnRadius: 0, waitOffset: 0), count: dots.count)
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
        for index in 0..<deferred.count {
            let dot = deferred[index]
            if !waits(dot, limitY: limitY) {
                active.append(dot)
            } else {
                deferred[kept] = dot
                kept += 1
                deferredReachY = min(deferredReachY, dot.y - farthestCandidate(dot))
            }
        }
        deferred.truncate(to: kept)
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
        while active.count > 0 {
            let slot = active.count - 1 - generator.nextIndex(below: min(active.count, SamplerState.activeWindow))
            let dot = active.removeBySwappingLast(at: slot)
            if waits(dot, limitY: limitY) {
                deferred.append(dot)
                deferredReachY = min(deferredReachY, dot.y - farthestCandidate(dot))
                continue
            }
            let px = dot.x, py = dot.y, radius = dot.spawnRadius * SpatialGrid.safety
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
}
