import Foundation
import PoissonDisk

/// A `Hairline` placed on a chart: answers "how far behind the edge is this point".
struct PlacedHairline: Sendable {
    let hairline: Hairline
    /// The edge's centre on the chart.
    let centreY: Double
    let noise: ValueNoise1D

    init(_ hairline: Hairline, on chart: ScalpChart, seed: UInt64) {
        self.hairline = hairline
        let theta = chart.frontPolar(arcAboveBrowMM: hairline.heightAboveBrowMM)
        centreY = chart.chartPoint(polar: theta, azimuth: -Double.pi / 2).y
        noise = ValueNoise1D(seed: seed)
    }

    /// The edge's y at chart x (before irregularity).
    func edgeY(atX x: Double) -> Double {
        let w = hairline.cornerWidthMM, r = hairline.cornerRecessionMM, k = hairline.cornerAngularity
        let t = abs(x) / w
        if t <= 1 {
            let t2 = t * t
            return centreY + r * ((1 - k) * t2 + k * t2 * t2 * t2)
        }
        return centreY + r + (abs(x) - w) * hairline.templeSlope
    }

    /// What `distanceBehind` needs of x alone (the edge, its slope, the irregularity): a
    /// raster works it out once per column, not once per cell.
    struct Column {
        let edgeY: Double
        /// √(1 + slope²): the vertical distance to the edge over this is the normal distance.
        let stretch: Double
        let wobble: Double

        init(_ hairline: PlacedHairline, x: Double) {
            let h = 0.5
            let slope = (hairline.edgeY(atX: x + h) - hairline.edgeY(atX: x - h)) / (2 * h)
            wobble = hairline.hairline.irregularityMM * (0.7 * hairline.noise.value(x / 6) + 0.3 * hairline.noise.value(x / 2 + 17.3))
            edgeY = hairline.edgeY(atX: x)
            stretch = (1 + slope * slope).squareRoot()
        }
    }

    /// Signed distance behind the edge, mm (negative in front of it, on the forehead),
    /// irregularity included, at height y of `column`.
    func distanceBehind(_ column: Column, y: Double) -> Double {
        (y - column.edgeY) / column.stretch + column.wobble
    }

    /// The density ramp: 0 on and in front of the edge, 1 `softnessMM` behind it.
    func ramp(_ column: Column, y: Double) -> Double {
        smoothstep(0, max(hairline.softnessMM, 0.01), distanceBehind(column, y: y))
    }
}

/// Smooth 1-D value noise in [−1, 1]: random values at integer points, cubic-blended. Seeded,
/// libm-free beyond floor, so the same seed draws the same hairline everywhere.
struct ValueNoise1D: Sendable {
    let seed: UInt64

    func lattice(_ i: Int) -> Double {
        Double(SplitMix64.mix(seed &+ UInt64(bitPattern: Int64(i)) &* 0x9E37_79B9_7F4A_7C15) >> 11) * 0x1p-52 - 1
    }

    func value(_ x: Double) -> Double {
        let i = Int(x.rounded(.down)), f = x - x.rounded(.down)
        let blend = f * f * (3 - 2 * f)
        return lattice(i) * (1 - blend) + lattice(i + 1) * blend
    }
}

/// 0 below `edge0`, 1 above `edge1`, Hermite-smooth between.
@inline(__always)
func smoothstep(_ edge0: Double, _ edge1: Double, _ x: Double) -> Double {
    let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
    return t * t * (3 - 2 * t)
}
