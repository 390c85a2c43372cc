/// The sweep's scratch list of the exclusion discs near one grid cell (`SpatialGrid.gatherDiscs`
/// fills it): structure of arrays, x at 0, y at `lane`, r² at 2·`lane`, and the (a, c) of the
/// conflict rule at 3·`lane` and 4·`lane`, padded to a multiple of four with discs that cover
/// nothing; `cells` holds each disc's grid cell.
///
/// Its own small value, not fields of `SamplerState`: the sweep calls these tests thousands of
/// times per run from a mutating method, and a method of the whole state got a copy of it
/// (552 bytes) per call. Lane offsets use wrapping arithmetic (`SpatialGrid.index` says why).
struct GatheredDiscs {
    let values: UnsafeMutablePointer<Float>
    let lane: Int
    let cells: UnsafeMutablePointer<Int32>

    init(capacity: Int) {
        lane = capacity
        values = .allocate(capacity: 5 * capacity)
        cells = .allocate(capacity: capacity)
    }

    func deallocate() {
        values.deallocate()
        cells.deallocate()
    }

    /// Copies the x, y and r² of those of the first `count` discs that reach the square (x, y,
    /// size, depth) into `other`, padded like the list; returns how many. A disc that covers or
    /// holds any point of the square reaches it, so `cover` and `contain` answer the same for
    /// the square and what lies in it from the shorter list; the test keeps a disc up to 0.1 %
    /// beyond its radius, so Float rounding cannot drop one.
    @inline(__always)
    func reaching(_ square: SweepSquare, count: Int, into other: GatheredDiscs) -> Int {
        let xa = SIMD4<Float>(repeating: square.x), xb = SIMD4<Float>(repeating: square.x + square.side)
        let ya = SIMD4<Float>(repeating: square.y), yb = SIMD4<Float>(repeating: square.y + square.side)
        let zero = SIMD4<Float>(repeating: 0)
        var kept = 0
        var k = 0
        while k < count {
            let x = SpatialGrid.load4(values + k), y = SpatialGrid.load4(values + (lane &+ k))
            let r2 = SpatialGrid.load4(values + (2 &* lane &+ k))
            // The square's nearest point to each dot.
            let dx = SpatialGrid.maximum(SpatialGrid.maximum(xa - x, x - xb), zero)
            let dy = SpatialGrid.maximum(SpatialGrid.maximum(ya - y, y - yb), zero)
            let keep = dx * dx + dy * dy .<= r2 * 1.001
            if any(keep) {
                for j in 0..<4 where keep[j] {
                    other.values[kept] = x[j]
                    other.values[other.lane + kept] = y[j]
                    other.values[2 * other.lane + kept] = r2[j]
                    kept += 1
                }
            }
            k += 4
        }
        var padded = kept
        while padded & 3 != 0 {
            other.values[padded] = 0
            other.values[other.lane + padded] = 0
            other.values[2 * other.lane + padded] = 0
            padded += 1
        }
        return kept
    }

    /// Does one of the first `count` discs hold all four corners of the square (x, y, size,
    /// depth)? Four discs per step; the padding discs cover nothing.
    @inline(__always)
    func cover(_ square: SweepSquare, count: Int) -> Bool {
        let xa = SIMD4<Float>(repeating: square.x), xb = SIMD4<Float>(repeating: square.x + square.side)
        let ya = SIMD4<Float>(repeating: square.y), yb = SIMD4<Float>(repeating: square.y + square.side)
        var k = 0
        while k < count {
            let x = SpatialGrid.load4(values + k), y = SpatialGrid.load4(values + (lane &+ k))
            let r2 = SpatialGrid.load4(values + (2 &* lane &+ k))
            let dxa = xa - x, dxb = xb - x, dya = ya - y, dyb = yb - y
            let far = SpatialGrid.maximum(dxa * dxa, dxb * dxb) + SpatialGrid.maximum(dya * dya, dyb * dyb)
            if any(far .< r2) { return true }
            k += 4
        }
        return false
    }

    /// `cover(_:count:)` with the discs' radii worked out for a newcomer of spacing s.
    @inline(__always)
    func cover(_ square: SweepSquare, count: Int, spacing s: Float) -> Bool {
        let xa = SIMD4<Float>(repeating: square.x), xb = SIMD4<Float>(repeating: square.x + square.side)
        let ya = SIMD4<Float>(repeating: square.y), yb = SIMD4<Float>(repeating: square.y + square.side)
        let ps = SIMD4<Float>(repeating: s)
        var k = 0
        while k < count {
            let x = SpatialGrid.load4(values + k), y = SpatialGrid.load4(values + (lane &+ k))
            let r = SpatialGrid.maximum(SpatialGrid.load4(values + (3 &* lane &+ k)) + 0.5 * ps,
                                        SpatialGrid.minimum(ps, SpatialGrid.load4(values + (4 &* lane &+ k))))
            let dxa = xa - x, dxb = xb - x, dya = ya - y, dyb = yb - y
            let far = SpatialGrid.maximum(dxa * dxa, dxb * dxb) + SpatialGrid.maximum(dya * dya, dyb * dyb)
            if any(far .< r * r) { return true }
            k += 4
        }
        return false
    }

    /// Is (x, y) inside one of the first `count` discs, closer than √`sureWithin` to its dot?
    /// Then `SamplerState.tryPlace` would refuse it: the conflict rule grows with the
    /// newcomer's spacing, and the discs were gathered with the smallest one the cell can get.
    @inline(__always)
    func contain(x: Float, y: Float, count: Int, sureWithin: Float) -> Bool {
        let px = SIMD4<Float>(repeating: x), py = SIMD4<Float>(repeating: y), cap = SIMD4<Float>(repeating: sureWithin)
        var k = 0
        while k < count {
            let dx = SpatialGrid.load4(values + k) - px, dy = SpatialGrid.load4(values + (lane &+ k)) - py
            let limit = SpatialGrid.minimum(SpatialGrid.load4(values + (2 &* lane &+ k)), cap)
            if any(dx * dx + dy * dy .< limit) { return true }
            k += 4
        }
        return false
    }
}
