import PoissonDisk

/// Fine skin pores on a periodic tile: a raster of "pore depth" (0 none, about 1 at a pore's
/// centre) at `pitchMM`, repeating every `size · pitchMM` mm, read with bilinear interpolation.
/// Two tiles of incommensurate periods are summed by `ScalpSurface`, so the pattern repeats only
/// every few hundred millimetres. The view's pixels read their means from a `PixelPoreTile`.
struct PoreTile: Sendable {
    /// Lattice points per side; the arrays are (size + 1)² with the first row and column
    /// repeated at the end, so a bilinear lookup never wraps.
    let size: Int
    let pitchMM: Double
    let depth: [Float]
    /// Mean depth over the whole tile (also over any large area).
    let meanDepth: Float

    /// Pore diameters as seen on the skin, mm: 0.1–0.2 (our estimate for scalp follicle and
    /// sebaceous openings, which read as fine dark specks in close-up photos).
    static let diameterRangeMM = 0.10...0.20

    init(size: Int, pitchMM: Double, poresPerMM2: Double, seed: UInt64) {
        self.size = size
        self.pitchMM = pitchMM
        let n = size
        var raw = [Float](repeating: 0, count: n * n)
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) * 0x1p-53 }
        let periodMM = Double(n) * pitchMM
        let count = Int((periodMM * periodMM * poresPerMM2).rounded())
        for _ in 0..<count {
            let cx = uniform() * Double(n), cy = uniform() * Double(n)
            let diameter = PoreTile.diameterRangeMM.lowerBound
                + uniform() * (PoreTile.diameterRangeMM.upperBound - PoreTile.diameterRangeMM.lowerBound)
            // Profile (1 − r²/R²)²: its full width at half maximum is 1.08 R, so R = 0.93 d.
            let radius = 0.93 * diameter / pitchMM
            let strength = 0.6 + 0.4 * uniform()
            let reach = Int(radius.rounded(.up)) + 1
            let i0 = Int(cx.rounded(.down)), j0 = Int(cy.rounded(.down))
            for dj in -reach...reach {
                for di in -reach...reach {
                    let i = i0 + di, j = j0 + dj
                    let dx = Double(i) - cx, dy = Double(j) - cy
                    let q = (dx * dx + dy * dy) / (radius * radius)
                    guard q < 1 else { continue }
                    let wrappedI = ((i % n) + n) % n, wrappedJ = ((j % n) + n) % n
                    raw[wrappedJ * n + wrappedI] += Float(strength * (1 - q) * (1 - q))
                }
            }
        }
        meanDepth = raw.reduce(0, +) / Float(n * n)
        depth = PoreTile.padded(raw, n)
    }

    /// The n × n `values` with the first row and column repeated at the end. Row by row, without
    /// a modulo per entry.
    static func padded(_ values: [Float], _ n: Int) -> [Float] {
        var result: [Float] = []
        result.reserveCapacity((n + 1) * (n + 1))
        for j in 0...n {
            let row = (j % n) * n
            result.append(contentsOf: values[row ..< row + n])
            result.append(values[row])
        }
        return result
    }

    /// The mean of the bilinear interpolant over a box `width` lattice steps wide, centred on each
    /// lattice point, periodic; separable. Reads the tile as `padded` stores it (rows of n + 1,
    /// the last entry of each a repeat), returns n × n. Weight of the value at offset k is
    /// (H(w/2 − k) − H(−w/2 − k)) / w, H the antiderivative of the hat function.
    ///
    /// Each output is Σₖ weight(k) · value(k) summed in the order k = −reach…reach, so the bits
    /// do not depend on how the loops run. They run a tap at a time over a whole row (the
    /// outputs of a row are independent, so the compiler vectorises across them), from a row
    /// widened by `reach` wrapped values on each side, with no modulo in the loop (a modulo and
    /// an index per tap cost several times the filter's own arithmetic).
    static func boxFiltered(padded values: [Float], _ n: Int, width: Double) -> [Float] {
        func hatIntegral(_ v: Double) -> Double {
            if v <= -1 { return 0 }
            if v < 0 { return (v + 1) * (v + 1) / 2 }
            if v < 1 { return 1 - (1 - v) * (1 - v) / 2 }
            return 1
        }
        let w = max(width, 1e-6)
        let reach = Int((w / 2).rounded(.up)) + 1
        let weights = (-reach...reach).map { k in Float((hatIntegral(w / 2 - Double(k)) - hatIntegral(-w / 2 - Double(k))) / w) }
        // Lattice index of position t of a widened row (t = reach is index 0): wrapped once here.
        let wrapped = (0..<n + 2 * reach).map { ((($0 - reach) % n) + n) % n }
        var horizontal = [Float](repeating: 0, count: n * n)
        var widened = [Float](repeating: 0, count: n + 2 * reach)
        values.withUnsafeBufferPointer { values in
            horizontal.withUnsafeMutableBufferPointer { horizontal in
                widened.withUnsafeMutableBufferPointer { widened in
                    for j in 0..<n {
                        for t in widened.indices { widened[t] = values[j * (n + 1) + wrapped[t]] }
                        let row = UnsafeMutableBufferPointer(rebasing: horizontal[j * n ..< (j + 1) * n])
                        for (tap, weight) in weights.enumerated() {
                            let source = UnsafeMutableBufferPointer(rebasing: widened[tap ..< tap + n])
                            for i in 0..<n { row[i] += weight * source[i] }
                        }
                    }
                }
            }
        }
        var result = [Float](repeating: 0, count: n * n)
        horizontal.withUnsafeBufferPointer { horizontal in
            result.withUnsafeMutableBufferPointer { result in
                for j in 0..<n {
                    let row = UnsafeMutableBufferPointer(rebasing: result[j * n ..< (j + 1) * n])
                    for (tap, weight) in weights.enumerated() {
                        let start = wrapped[j + tap] * n
                        let source = UnsafeBufferPointer(rebasing: horizontal[start ..< start + n])
                        for i in 0..<n { row[i] += weight * source[i] }
                    }
                }
            }
        }
        return result
    }

    /// Bilinear lookup at lattice coordinates (u, v) (any real numbers: the tile repeats).
    @inline(__always)
    static func lookup(_ values: UnsafeBufferPointer<Float>, size n: Int, u: Float, v: Float) -> Float {
        lookup(values, size: n, step(u, size: n), step(v, size: n))
    }

    /// Lattice coordinate u wrapped into the tile: the lattice point at or below it and the
    /// fraction past it.
    @inline(__always)
    static func step(_ u: Float, size n: Int) -> LatticeStep {
        let period = Float(n)
        let wrapped = u - (u / period).rounded(.down) * period
        let i = min(Int(wrapped), n - 1)
        return LatticeStep(index: Int32(i), next: Int32(i + 1), fraction: wrapped - Float(i))
    }

    @inline(__always)
    static func lookup(_ values: UnsafeBufferPointer<Float>, size n: Int, _ across: LatticeStep, _ down: LatticeStep) -> Float {
        let stride = n + 1
        let top = Int(down.index) * stride, bottom = Int(down.next) * stride
        let a = values[top + Int(across.index)], b = values[top + Int(across.next)]
        let c = values[bottom + Int(across.index)], d = values[bottom + Int(across.next)]
        // Blended down first, then across, as `ScalpSurface.shadeRow` does a row at a time.
        let left = a + (c - a) * down.fraction, right = b + (d - b) * down.fraction
        return left + (right - left) * across.fraction
    }
}

/// Where a coordinate falls between two lattice points of a raster: the one at or below it,
/// the next, and the fraction of the way (0…1) for linear interpolation.
struct LatticeStep: Sendable {
    var index: Int32
    var next: Int32
    var fraction: Float
}

/// A `PoreTile`'s pixel means at every pixel of one period of it, for one view. The view maps
/// the tile so that its period is exactly `period` pixels (`ScalpSurface` stretches the pores
/// by under half a pixel a period for that), so pixel (c, r) reads entry (c mod period,
/// r mod period): one load where a bilinear lookup took four loads and two blends (7 % of the
/// render's instructions). The entries are bilinear lookups, at the first period's pixel
/// centres, in the tile box-filtered to one pixel (exact at lattice points: the box integral
/// of the bilinear interpolant, computed with the hat function's antiderivative). Memory:
/// period² floats; for both tiles 108 kB at 10 px/mm, 43 MB at the largest scale (200 px/mm).
struct PixelPoreTile: Sendable {
    let period: Int
    let depths: [Float]

    /// Lattice steps across one pixel: the tile's size over `period`, exactly as the view's
    /// lookups take it.
    static func stepsPerPixel(size: Int, period: Int) -> Double { Double(size) / Double(period) }

    /// (offsetX, offsetY): lattice coordinates of the view's origin.
    init(_ tile: PoreTile, period: Int, offsetX: Float, offsetY: Float) {
        self.period = period
        let n = tile.size, steps = PixelPoreTile.stepsPerPixel(size: n, period: period), stepsPerPixel = Float(steps)
        let pixelMeans = PoreTile.padded(PoreTile.boxFiltered(padded: tile.depth, n, width: steps), n)
        var depths = [Float](repeating: 0, count: period * period)
        pixelMeans.withUnsafeBufferPointer { means in
            for j in 0..<period {
                let down = PoreTile.step((Float(j) + 0.5) * stepsPerPixel + offsetY, size: tile.size)
                for i in 0..<period {
                    let across = PoreTile.step((Float(i) + 0.5) * stepsPerPixel + offsetX, size: tile.size)
                    depths[j * period + i] = PoreTile.lookup(means, size: tile.size, across, down)
                }
            }
        }
        self.depths = depths
    }

    /// Pixels of the view per period of a tile of `size` lattice steps of `pitchMM`: the
    /// nearest whole number, at least 1.
    static func period(size: Int, pitchMM: Double, pixelsPerMM: Double) -> Int {
        max(1, Int((Double(size) * pitchMM * pixelsPerMM).rounded()))
    }
}
