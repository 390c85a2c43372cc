import Foundation
import PoissonDisk

/// Re-measures the sampler's calibration tables (PoissonDiskCalibration) and checks them.
///   smp-calibrate density   K per regularity: achieved dots/mm² × s², and ρ
///   smp-calibrate layers    the layer spacing factor per q and regularity (one round of the
///                           fixed-point iteration from the current table; `raw` starts at 1)
///   smp-calibrate ramp      achieved / target per 5 mm strip along a 0 → 100 ramp
let mode = CommandLine.arguments.dropFirst().first ?? "density"

switch mode {
case "density":
    let bounds = RectMM(minXMM: 0, minYMM: 0, widthMM: 200, heightMM: 200)
    let region = bounds.inset(byMM: 5)
    var table: [String] = []
    for regularity in stride(from: 0.0, through: 1.0, by: 0.1) {
        var ks: [Double] = [], rhos: [Double] = []
        for seed in UInt64(1)...4 {
            let request = PoissonDiskRequest(bounds: bounds, density: try .uniform(60, over: bounds), regularity: regularity, seed: seed)
            let statistics = PointSetStatistics(try PoissonDiskSampler.sample(request))
            ks.append(PoissonDiskCalibration.dotsTimesSpacingSquared(regularity: regularity) * statistics.achievedDotsPerCM2(in: region) / 60)
            rhos.append(statistics.relativeRadius(in: region))
        }
        let k = ks.reduce(0, +) / Double(ks.count)
        print(String(format: "regularity %.1f: K %.4f (seeds %.4f–%.4f), ρ %.3f", regularity, k, ks.min()!, ks.max()!, rhos.reduce(0, +) / Double(rhos.count)))
        table.append(String(format: "%.4f", k))
    }
    print("measuredK: [\(table.joined(separator: ", "))]")

case "layers":
    let raw = CommandLine.arguments.contains("raw")
    let bounds = RectMM(minXMM: 0, minYMM: 0, widthMM: 200, heightMM: 200)
    let region = bounds.inset(byMM: 10)
    var rows: [String] = []
    for regularity in [0.0, 0.35, 0.7, 1.0] {
        var line = String(format: "regularity %.2f:", regularity)
        var row = ["1"]
        for q in [1.1, 1.25, 1.5, 2, 3, 5, 10] {
            var ratio = 0.0
            for seed in UInt64(1)...3 {
                let first = try PoissonDiskSampler.sample(PoissonDiskRequest(
                    bounds: bounds, density: try .uniform(20, over: bounds), regularity: regularity, seed: seed))
                let second = try PoissonDiskSampler.sample(PoissonDiskRequest(
                    bounds: bounds, density: try .uniform(20 * q, over: bounds), regularity: regularity, seed: seed,
                    layer: 2, layerSpacingFactor: raw ? 1 : nil), existing: first)
                ratio += PointSetStatistics(first + second).achievedDotsPerCM2(in: region) / (20 * q) / 3
            }
            line += String(format: " q %.2f %+.1f%%", q, (ratio - 1) * 100)
            let factor = raw ? 1 : PoissonDiskCalibration.layerSpacingFactor(densityRatio: q, regularity: regularity)
            row.append(String(format: "%.4f", factor * ratio.squareRoot()))
        }
        print(line)
        rows.append("[\(row.joined(separator: ", "))],")
    }
    print("next layerFactors:\n" + rows.joined(separator: "\n"))

case "ramp":
    let bounds = RectMM(minXMM: 0, minYMM: 0, widthMM: 70, heightMM: 300)
    let density = try DensityRaster(covering: bounds, cellSizeMM: 0.25) { x, _ in min(100, 100 * x / 60) }
    for seed in UInt64(1)...4 {
        let statistics = PointSetStatistics(try PoissonDiskSampler.sample(PoissonDiskRequest(bounds: bounds, density: density, seed: seed)))
        var line = "seed \(seed):"
        for strip in 0..<12 {
            let x0 = Double(strip) * 5
            let achieved = statistics.achievedDotsPerCM2(in: RectMM(minXMM: x0, minYMM: 5, widthMM: 5, heightMM: 290))
            line += String(format: " %+.1f%%", (achieved / (100 * (x0 + 2.5) / 60) - 1) * 100)
        }
        print(line)
    }

default:
    FileHandle.standardError.write(Data("usage: smp-calibrate density | layers [raw] | ramp\n".utf8))
    exit(2)
}
