import Foundation

/// A flat chart of the scalp in millimetres that keeps area: an azimuthal equal-area map of
/// the head's half-ellipsoid, centred on the top of the head. Chart x runs to the patient's
/// right, chart y to the back (the forehead is at the top of a map image).
///
/// Each surface point (θ, φ) goes to chart polar coordinates (ρ, φ) with
///
///     ρ(θ, φ) = √(2 ∫₀^θ g(θ', φ) dθ'),   g = |∂P/∂θ × ∂P/∂φ|,
///
/// so a chart wedge ρ dρ dφ has the same area as the surface patch g dθ dφ: the map is exactly
/// equal-area (up to the tabulation), dots per cm² on the chart are dots per cm² of scalp,
/// and the flat map and a 3-D view agree on counts. Shapes stretch along the rim (like any
/// equal-area map of a dome), which is why densities, not distances, are what it keeps.
public struct ScalpChart: Sendable {
    public let head: HeadShape
    /// The chart covers the surface from the top down to this polar angle (past the ear line,
    /// to reach the nape).
    public let maximumPolar: Double

    static let polarSteps = 720
    static let azimuthSteps = 720
    /// ρ at (θ index, φ index), row-major by φ; φ from −π to π inclusive.
    let radii: [Double]

    public init(head: HeadShape, maximumPolarDegrees: Double = 120) {
        self.head = head
        maximumPolar = maximumPolarDegrees * .pi / 180
        var radii = [Double](repeating: 0, count: (ScalpChart.polarSteps + 1) * (ScalpChart.azimuthSteps + 1))
        let dTheta = maximumPolar / Double(ScalpChart.polarSteps)
        // Every row has the same polar steps: their sines and cosines once, not once per row.
        let polarSines = (0...ScalpChart.polarSteps).map { sin(Double($0) * dTheta) }
        let polarCosines = (0...ScalpChart.polarSteps).map { cos(Double($0) * dTheta) }
        for j in 0...ScalpChart.azimuthSteps {
            let phi = -Double.pi + 2 * Double.pi * Double(j) / Double(ScalpChart.azimuthSteps)
            let lateral = head.lateral(azimuth: phi)
            var integral = 0.0
            var previous = head.areaDensity(sinPolar: polarSines[0], cosPolar: polarCosines[0], lateral: lateral)
            let row = j * (ScalpChart.polarSteps + 1)
            for i in 1...ScalpChart.polarSteps {
                let current = head.areaDensity(sinPolar: polarSines[i], cosPolar: polarCosines[i], lateral: lateral)
                integral += 0.5 * (previous + current) * dTheta
                previous = current
                radii[row + i] = (2 * integral).squareRoot()
            }
        }
        self.radii = radii
    }

    /// The same layout (ρ from the top, the same azimuth φ) for another surface over the same
    /// angles, `surface(θ, φ)` in mm: a head view's cranium, whose area density is taken from
    /// differences of its points on the table's own grid. Equal-area like the map's chart, so a
    /// chart region has the same area, and the same dots per cm², on either surface.
    public init(head: HeadShape, maximumPolarDegrees: Double = 120, surface: (Double, Double) -> SIMD3<Double>) {
        self.head = head
        maximumPolar = maximumPolarDegrees * .pi / 180
        let rows = ScalpChart.polarSteps + 1, columns = ScalpChart.azimuthSteps
        let dTheta = maximumPolar / Double(ScalpChart.polarSteps), dPhi = 2 * Double.pi / Double(columns)
        // Points at φ index 0..<columns (index `columns` is index 0 again, φ = π = −π).
        var points = [SIMD3<Double>](repeating: .zero, count: rows * columns)
        for j in 0..<columns {
            let phi = -Double.pi + dPhi * Double(j)
            for i in 0..<rows { points[j * rows + i] = surface(Double(i) * dTheta, phi) }
        }
        func cross(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        }
        var radii = [Double](repeating: 0, count: rows * (columns + 1))
        for j in 0...columns {
            let here = j % columns, west = (j + columns - 1) % columns, east = (j + 1) % columns
            var integral = 0.0, previous = 0.0
            for i in 0..<rows {
                let up = max(i - 1, 0), down = min(i + 1, rows - 1)
                let alongTheta = (points[here * rows + down] - points[here * rows + up]) / (Double(down - up) * dTheta)
                let alongPhi = (points[east * rows + i] - points[west * rows + i]) / (2 * dPhi)
                let normal = cross(alongTheta, alongPhi)
                let current = (normal * normal).sum().squareRoot()
                if i > 0 {
                    integral += 0.5 * (previous + current) * dTheta
                    radii[j * rows + i] = (2 * integral).squareRoot()
                }
                previous = current
            }
        }
        self.radii = radii
    }

    /// ρ at (θ, φ), bilinear in the table.
    func radius(polar theta: Double, azimuth phi: Double) -> Double {
        let (j0, j1, tj) = azimuthBracket(phi)
        let (i0, ti) = polarBracket(theta)
        func at(_ j: Int) -> Double {
            let row = j * (ScalpChart.polarSteps + 1)
            return radii[row + i0] * (1 - ti) + radii[row + i0 + 1] * ti
        }
        return at(j0) * (1 - tj) + at(j1) * tj
    }

    /// `chartPoint` (the same bits) and its derivatives by θ and by φ, mm per radian: those of
    /// the table's bilinear ρ in the cell holding (θ, φ), zero by θ past the table's ends
    /// (where ρ is held). A footprint's chart vectors follow from them and the surface's
    /// tangents, without mapping two more points.
    func chartPointAndSlopes(polar theta: Double, azimuth phi: Double)
        -> (point: SIMD2<Double>, byPolar: SIMD2<Double>, byAzimuth: SIMD2<Double>) {
        let (j0, j1, tj) = azimuthBracket(phi)
        let (i0, ti) = polarBracket(theta)
        let row0 = j0 * (ScalpChart.polarSteps + 1), row1 = j1 * (ScalpChart.polarSteps + 1)
        let at0 = radii[row0 + i0] * (1 - ti) + radii[row0 + i0 + 1] * ti
        let at1 = radii[row1 + i0] * (1 - ti) + radii[row1 + i0 + 1] * ti
        let r = at0 * (1 - tj) + at1 * tj
        let rise = (radii[row0 + i0 + 1] - radii[row0 + i0]) * (1 - tj) + (radii[row1 + i0 + 1] - radii[row1 + i0]) * tj
        let byTheta = theta >= 0 && theta <= maximumPolar ? rise * Double(ScalpChart.polarSteps) / maximumPolar : 0
        let byPhi = (at1 - at0) * Double(ScalpChart.azimuthSteps) / (2 * Double.pi)
        let c = cos(phi), s = sin(phi)
        let outward = SIMD2(c, s)
        return (SIMD2(r * c, r * s), outward * byTheta, outward * byPhi + SIMD2(-s, c) * r)
    }

    /// The table's polar step below θ (clamped to the table) and the fraction past it.
    @inline(__always)
    func polarBracket(_ theta: Double) -> (Int, Double) {
        let u = min(max(theta / maximumPolar, 0), 1) * Double(ScalpChart.polarSteps)
        let i0 = min(Int(u), ScalpChart.polarSteps - 1)
        return (i0, u - Double(i0))
    }

    func azimuthBracket(_ phi: Double) -> (Int, Int, Double) {
        let v = (phi + Double.pi) / (2 * Double.pi) * Double(ScalpChart.azimuthSteps)
        let j0 = min(max(Int(v), 0), ScalpChart.azimuthSteps - 1)
        return (j0, j0 + 1, min(max(v - Double(j0), 0), 1))
    }

    /// The chart position (mm) of the surface point at (θ, φ).
    public func chartPoint(polar theta: Double, azimuth phi: Double) -> SIMD2<Double> {
        let r = radius(polar: theta, azimuth: phi)
        return SIMD2(r * cos(phi), r * sin(phi))
    }

    /// The surface point (θ, φ) under a chart position, or nil beyond the chart's rim.
    public func surfaceAngles(chartX x: Double, chartY y: Double) -> (polar: Double, azimuth: Double)? {
        var hint: Int? = nil
        return surfaceAngles(chartX: x, chartY: y, hint: &hint)
    }

    /// `surfaceAngles`, bit for bit, for a raster swept point by point: `hint` carries the polar
    /// step found at the previous point, and the search walks from there instead of bisecting
    /// (neighbouring cells lie a step or two apart, and the bisection's branches are ones the
    /// processor cannot predict). nil: bisect.
    ///
    /// Both searches find the same step: the last i < polarSteps with ρ(i) < r (or 0), because
    /// the interpolated column ρ(i) never decreases: the table's columns are square roots of
    /// running sums of non-negative terms, and a rounded blend of non-decreasing values with
    /// fixed weights does not decrease either.
    func surfaceAngles(chartX x: Double, chartY y: Double, hint: inout Int?) -> (polar: Double, azimuth: Double)? {
        let r = (x * x + y * y).squareRoot()
        let phi = atan2(y, x)
        guard r > 0 else { return (0, phi) }
        let (j0, j1, tj) = azimuthBracket(phi)
        func rho(_ i: Int) -> Double {
            radii[j0 * (ScalpChart.polarSteps + 1) + i] * (1 - tj) + radii[j1 * (ScalpChart.polarSteps + 1) + i] * tj
        }
        guard r <= rho(ScalpChart.polarSteps) else { return nil }
        var low: Int
        if let start = hint {
            low = min(max(start, 0), ScalpChart.polarSteps - 1)
            if low > 0 && !(rho(low) < r) {
                repeat { low -= 1 } while low > 0 && !(rho(low) < r)
            } else {
                while low + 1 < ScalpChart.polarSteps && rho(low + 1) < r { low += 1 }
            }
        } else {
            // ρ grows with θ along each azimuth: bisect on the interpolated column.
            low = 0
            var high = ScalpChart.polarSteps
            while high - low > 1 {
                let middle = (low + high) / 2
                if rho(middle) < r { low = middle } else { high = middle }
            }
        }
        hint = low
        let high = low + 1
        let t = (r - rho(low)) / max(rho(high) - rho(low), 1e-12)
        return ((Double(low) + t) * maximumPolar / Double(ScalpChart.polarSteps), phi)
    }

    /// Arc length along the front midline from the brow up to polar angle θ.
    public func frontArcFromBrow(toPolar theta: Double) -> Double {
        let browTheta = acos(min(max(head.browHeightMM / head.earToTopMM, -1), 1))
        let steps = 400
        var length = 0.0
        var previous = head.point(polar: browTheta, azimuth: -Double.pi / 2)
        for k in 1...steps {
            let t = browTheta + (theta - browTheta) * Double(k) / Double(steps)
            let current = head.point(polar: t, azimuth: -Double.pi / 2)
            length += ((current - previous) * (current - previous)).sum().squareRoot()
            previous = current
        }
        return length
    }

    /// The polar angle on the front midline `arcMM` above the brow (the trichion for a
    /// hairline height), by bisection on the arc length.
    public func frontPolar(arcAboveBrowMM arcMM: Double) -> Double {
        let browTheta = acos(min(max(head.browHeightMM / head.earToTopMM, -1), 1))
        var low = 0.0, high = browTheta
        for _ in 0..<60 {
            let middle = 0.5 * (low + high)
            if frontArcFromBrow(toPolar: middle) > arcMM { low = middle } else { high = middle }
        }
        return 0.5 * (low + high)
    }

    /// The chart's outer radius along each azimuth is at least this: the square of side
    /// 2 × this, centred on the top, holds the whole chart.
    public var extentMM: Double { radii.max() ?? 0 }
}
