import Foundation
import PoissonDisk

/// A scar laid out on a chart as segments and discs, to ask "how much scar is here".
struct PlacedScar: Sendable {
    let scar: Scar
    /// Polyline segments (a, b) with half-width; discs (centre, radius).
    let segments: [(SIMD2<Double>, SIMD2<Double>, Double)]
    let discs: [(SIMD2<Double>, Double)]

    init(_ scar: Scar, on chart: ScalpChart, seed: UInt64) {
        self.scar = scar
        switch scar.kind {
        case let .strip(heightMM, widthMM, spanDegrees):
            let theta = acos(min(max(heightMM / chart.head.earToTopMM, -1), 1))
            let half = spanDegrees / 2 * .pi / 180
            let steps = 48
            let points = (0...steps).map { k in
                chart.chartPoint(polar: theta, azimuth: .pi / 2 - half + 2 * half * Double(k) / Double(steps))
            }
            segments = zip(points, points.dropFirst()).map { ($0, $1, widthMM / 2) }
            discs = []
        case let .fue(count, diameterMM, lowMM, highMM):
            var generator = Xoshiro256StarStar(seed: seed)
            var found: [(SIMD2<Double>, Double)] = []
            let c = chart.head.earToTopMM
            var attempts = 0
            while found.count < count && attempts < count * 20 {
                attempts += 1
                let z = lowMM + (highMM - lowMM) * generator.nextUnit()
                // The donor band: the back half and the sides behind the ears.
                let phi = (-0.15 + 1.3 * generator.nextUnit()) * .pi
                let theta = acos(min(max(z / c, -1), 1))
                found.append((chart.chartPoint(polar: theta, azimuth: phi), diameterMM / 2))
            }
            segments = []
            discs = found
        case let .linear(points, widthMM):
            segments = zip(points, points.dropFirst()).map { ($0, $1, widthMM / 2) }
            discs = []
        }
    }

    /// Writes the scar's coverage (1 inside, 0 outside, a 0.5 mm soft edge) into a raster of
    /// `columns` × `rows` cells of `cellMM` from `origin`, keeping the larger value; each shape
    /// visits only the cells of its bounding box.
    func stamp(into coverage: inout [Float], columns: Int, rows: Int, origin: SIMD2<Double>, cellMM: Double) {
        func visit(_ low: SIMD2<Double>, _ high: SIMD2<Double>, _ inside: (SIMD2<Double>) -> Double) {
            let c0 = max(0, Int(((low.x - origin.x) / cellMM).rounded(.down)))
            let c1 = min(columns - 1, Int(((high.x - origin.x) / cellMM).rounded(.down)))
            let r0 = max(0, Int(((low.y - origin.y) / cellMM).rounded(.down)))
            let r1 = min(rows - 1, Int(((high.y - origin.y) / cellMM).rounded(.down)))
            guard c0 <= c1, r0 <= r1 else { return }
            for row in r0...r1 {
                for column in c0...c1 {
                    let p = origin + SIMD2((Double(column) + 0.5) * cellMM, (Double(row) + 0.5) * cellMM)
                    let value = Float(smoothstep(-0.25, 0.25, inside(p)))
                    let index = row * columns + column
                    if value > coverage[index] { coverage[index] = value }
                }
            }
        }
        for (a, b, halfWidth) in segments {
            let margin = SIMD2(repeating: halfWidth + 0.5)
            visit(pointwiseMin(a, b) - margin, pointwiseMax(a, b) + margin) { p in
                let ab = b - a
                let t = min(max(((p - a) * ab).sum() / max((ab * ab).sum(), 1e-12), 0), 1)
                let d = p - (a + t * ab)
                return halfWidth - (d * d).sum().squareRoot()
            }
        }
        for (centre, radius) in discs {
            let margin = SIMD2(repeating: radius + 0.5)
            visit(centre - margin, centre + margin) { p in
                let d = p - centre
                return radius - (d * d).sum().squareRoot()
            }
        }
    }
}

/// One scar or alopecia areata patch of a scene, by its place in the scene's list (from 0):
/// what a cell of `ScalpMap.featureNumber` lies in.
public enum ScalpFeature: Sendable, Equatable, Hashable {
    case scar(Int)
    case patch(Int)
}
