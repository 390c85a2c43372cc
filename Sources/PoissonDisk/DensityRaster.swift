/// A target density field on a regular grid: dots per cm² of scalp surface, one value per cell
/// of `cellSizeMM`, sampled at cell centres and interpolated bilinearly between them.
///
/// The sampler reads this raster rather than calling back into a scalp model per candidate:
/// no cross-module call in its hot loop (DESIGN.md, "Targets"). Zero means "no dots here" and
/// carries masks (outside the treatment area, scars left alone). The lookups the sampler makes
/// index with wrapping arithmetic (`SpatialGrid.index` says why).
public struct DensityRaster: Sendable {
    public let originXMM: Double
    public let originYMM: Double
    public let cellSizeMM: Double
    public let columns: Int
    public let rows: Int
    /// Row-major, `rows × columns`, dots per cm², each ≥ 0 and finite.
    public let dotsPerCM2: [Float]
    /// The highest of `dotsPerCM2` (0 for a raster of zeros).
    public let maximumDotsPerCM2: Double

    public init(originXMM: Double, originYMM: Double, cellSizeMM: Double, columns: Int, rows: Int,
                dotsPerCM2: [Float]) throws {
        guard cellSizeMM.isFinite, cellSizeMM > 0 else {
            throw PoissonDiskError.invalidRaster("cell size \(cellSizeMM) mm; allowed: a finite size > 0")
        }
        guard columns > 0, rows > 0, dotsPerCM2.count == columns * rows else {
            throw PoissonDiskError.invalidRaster(
                "\(columns) × \(rows) cells with \(dotsPerCM2.count) values; allowed: at least 1 × 1 and one value per cell")
        }
        // The checked values' peak is found in the same pass: the sampler and the plan ask for
        // it several times per session, and each scan of a whole scalp's raster was serial work
        // on every density change of the live page.
        var peak: Float = 0
        for (index, value) in dotsPerCM2.enumerated() {
            guard value.isFinite, value >= 0 else {
                throw PoissonDiskError.invalidRaster(
                    "density \(value) dots/cm² at cell (\(index % columns), \(index / columns)); allowed: finite and ≥ 0")
            }
            peak = max(peak, value)
        }
        self.originXMM = originXMM
        self.originYMM = originYMM
        self.cellSizeMM = cellSizeMM
        self.columns = columns
        self.rows = rows
        self.dotsPerCM2 = dotsPerCM2
        maximumDotsPerCM2 = Double(peak)
    }

    /// A raster covering `bounds` with cells of about `cellSizeMM`, each set to `density` at its
    /// centre. This is how a scalp model hands its field to the sampler.
    public init(covering bounds: RectMM, cellSizeMM: Double,
                density: (_ xMM: Double, _ yMM: Double) -> Double) throws {
        guard cellSizeMM.isFinite, cellSizeMM > 0 else {
            throw PoissonDiskError.invalidRaster("cell size \(cellSizeMM) mm; allowed: a finite size > 0")
        }
        let columns = max(1, Int((bounds.widthMM / cellSizeMM).rounded(.up)))
        let rows = max(1, Int((bounds.heightMM / cellSizeMM).rounded(.up)))
        var values = [Float](repeating: 0, count: columns * rows)
        for row in 0..<rows {
            let y = bounds.minYMM + (Double(row) + 0.5) * cellSizeMM
            for column in 0..<columns {
                let x = bounds.minXMM + (Double(column) + 0.5) * cellSizeMM
                values[row * columns + column] = Float(density(x, y))
            }
        }
        try self.init(originXMM: bounds.minXMM, originYMM: bounds.minYMM, cellSizeMM: cellSizeMM,
                      columns: columns, rows: rows, dotsPerCM2: values)
    }

    /// One density everywhere over `bounds`.
    public static func uniform(_ dotsPerCM2: Double, over bounds: RectMM) throws -> DensityRaster {
        try DensityRaster(originXMM: bounds.minXMM, originYMM: bounds.minYMM,
                          cellSizeMM: max(bounds.widthMM, bounds.heightMM), columns: 1, rows: 1,
                          dotsPerCM2: [Float(dotsPerCM2)])
    }


    /// The density at a point, bilinear between cell centres, clamped at the raster's edges.
    @inlinable
    public func density(xMM: Double, yMM: Double) -> Double {
        Double(dotsPerCM2.withUnsafeBufferPointer { values in
            DensityRaster.bilinear(values, columns: columns, rows: rows,
                                   u: Float((xMM - originXMM) / cellSizeMM) - 0.5,
                                   v: Float((yMM - originYMM) / cellSizeMM) - 0.5)
        })
    }

    /// Bilinear lookup with its partial derivatives per cell (∂/∂u, ∂/∂v).
    @inlinable @inline(__always)
    static func bilinearWithGradient(_ values: UnsafeBufferPointer<Float>, columns: Int, rows: Int,
                                     u: Float, v: Float) -> (value: Float, du: Float, dv: Float) {
        let uc = min(max(u, 0), Float(columns - 1))
        let vc = min(max(v, 0), Float(rows - 1))
        let i0 = Int(uc), j0 = Int(vc)
        let i1 = min(i0 + 1, columns - 1), j1 = min(j0 + 1, rows - 1)
        let fu = uc - Float(i0), fv = vc - Float(j0)
        let a = values[j0 &* columns &+ i0], b = values[j0 &* columns &+ i1]
        let c = values[j1 &* columns &+ i0], d = values[j1 &* columns &+ i1]
        let top = a * (1 - fu) + b * fu, bottom = c * (1 - fu) + d * fu
        return (top * (1 - fv) + bottom * fv, (b - a) * (1 - fv) + (d - c) * fv, bottom - top)
    }

    /// The largest bilinear density over [u0, u1] × [v0, v1] in fractional cell coordinates
    /// (cell centres at integers), exact up to rounding: a bilinear function is linear along
    /// each axis, so over the part of the rectangle in one interpolation cell its largest value
    /// is at a corner of that part. (A sampled corner and centre would miss a peak between them.)
    func peak(u0 uFirst: Float, v0 vFirst: Float, u1 uLast: Float, v1 vLast: Float) -> Float {
        let u0 = min(max(uFirst, 0), Float(columns - 1)), u1 = min(max(uLast, 0), Float(columns - 1))
        let v0 = min(max(vFirst, 0), Float(rows - 1)), v1 = min(max(vLast, 0), Float(rows - 1))
        let iFirst = Int(u0), iLast = Int(u1), jFirst = Int(v0), jLast = Int(v1)
        return dotsPerCM2.withUnsafeBufferPointer { values in
            if iFirst == iLast && jFirst == jLast {
                // Inside one interpolation cell, as the sweep's small squares mostly are: the
                // loop below for one cell, its clamps then changing nothing.
                let i1 = min(iFirst + 1, columns - 1), j1 = min(jFirst + 1, rows - 1)
                let fu0 = u0 - Float(iFirst), fu1 = u1 - Float(iFirst)
                let fv0 = v0 - Float(jFirst), fv1 = v1 - Float(jFirst)
                let a = values[jFirst &* columns &+ iFirst], b = values[jFirst &* columns &+ i1]
                let c = values[j1 &* columns &+ iFirst], d = values[j1 &* columns &+ i1]
                let top0 = a * (1 - fu0) + b * fu0, top1 = a * (1 - fu1) + b * fu1
                let bottom0 = c * (1 - fu0) + d * fu0, bottom1 = c * (1 - fu1) + d * fu1
                return max(0, max(max(top0 * (1 - fv0) + bottom0 * fv0, top1 * (1 - fv0) + bottom1 * fv0),
                                  max(top0 * (1 - fv1) + bottom0 * fv1, top1 * (1 - fv1) + bottom1 * fv1)))
            }
            var peak: Float = 0
            for j in jFirst...jLast {
                let j1 = min(j + 1, rows - 1)
                // The part of [v0, v1] in this cell, as fractions of it.
                let fv0 = max(v0 - Float(j), 0), fv1 = min(v1 - Float(j), 1)
                for i in iFirst...iLast {
                    let i1 = min(i + 1, columns - 1)
                    let fu0 = max(u0 - Float(i), 0), fu1 = min(u1 - Float(i), 1)
                    let a = values[j &* columns &+ i], b = values[j &* columns &+ i1]
                    let c = values[j1 &* columns &+ i], d = values[j1 &* columns &+ i1]
                    let top0 = a * (1 - fu0) + b * fu0, top1 = a * (1 - fu1) + b * fu1
                    let bottom0 = c * (1 - fu0) + d * fu0, bottom1 = c * (1 - fu1) + d * fu1
                    peak = max(peak, max(max(top0 * (1 - fv0) + bottom0 * fv0, top1 * (1 - fv0) + bottom1 * fv0),
                                         max(top0 * (1 - fv1) + bottom0 * fv1, top1 * (1 - fv1) + bottom1 * fv1)))
                }
            }
            return peak
        }
    }

    /// Whether the cell holding fractional cell coordinates (u, v) (cell corners at integers,
    /// clamped to the raster) has a positive density: a zero cell is a mask, whatever the
    /// bilinear lookup gives near its edge.
    @inline(__always)
    func cellIsPositive(_ values: UnsafeBufferPointer<Float>, u: Float, v: Float) -> Bool {
        let column = min(max(Int(max(u, 0)), 0), columns - 1), row = min(max(Int(max(v, 0)), 0), rows - 1)
        return values[row &* columns &+ column] > 0
    }

    /// Bilinear lookup at fractional cell coordinates (cell centres at integers).
    @inlinable @inline(__always)
    static func bilinear(_ values: UnsafeBufferPointer<Float>, columns: Int, rows: Int, u: Float, v: Float) -> Float {
        let uc = min(max(u, 0), Float(columns - 1))
        let vc = min(max(v, 0), Float(rows - 1))
        let i0 = Int(uc), j0 = Int(vc)
        let i1 = min(i0 + 1, columns - 1), j1 = min(j0 + 1, rows - 1)
        let fu = uc - Float(i0), fv = vc - Float(j0)
        let top = values[j0 &* columns &+ i0] * (1 - fu) + values[j0 &* columns &+ i1] * fu
        let bottom = values[j1 &* columns &+ i0] * (1 - fu) + values[j1 &* columns &+ i1] * fu
        return top * (1 - fv) + bottom * fv
    }
}
