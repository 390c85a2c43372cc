import Testing
@testable import PoissonDisk

private func square(_ sideMM: Double) -> RectMM { RectMM(minXMM: 0, minYMM: 0, widthMM: sideMM, heightMM: sideMM) }

private func tiled(_ dotsPerCM2: Double, _ bounds: RectMM, regularity: Double = PoissonDiskRequest.defaultRegularity,
                   seed: UInt64, layer: Int = 1, patternPeak: Double? = nil) throws -> PoissonDiskRequest {
    PoissonDiskRequest(bounds: bounds, density: try .uniform(dotsPerCM2, over: bounds), regularity: regularity,
                       seed: seed, layer: layer, method: .tiled, patternPeakDotsPerCM2: patternPeak)
}

@Suite("Poisson-disk sampler, tiled method")
struct TiledSamplerTests {
    @Test("a tile's gaps are the exact distances to the nearest earlier point (torus), at most 1")
    func gapsExact() {
        let tile = ProgressiveTile(regularity: 0.5, targetCount: 400, seed: 9)
        #expect(tile.count >= 400)
        for j in 0..<tile.count {
            var nearest: Float = 1
            for i in 0..<j {
                nearest = min(nearest, ProgressiveTile.distanceSquared(tile.xs[i], tile.ys[i], tile.xs[j], tile.ys[j]).squareRoot())
            }
            #expect(abs(tile.gaps[j] - nearest) <= 1e-6, "point \(j): gap \(tile.gaps[j]), brute force \(nearest)")
        }
    }

    @Test("any two dots are at least min(sᵢ, sⱼ) apart, checked over all pairs",
          arguments: [0.0, PoissonDiskRequest.defaultRegularity, 1.0], [UInt64(1), 2])
    func spacingInvariantUniform(regularity: Double, seed: UInt64) throws {
        let dots = try PoissonDiskSampler.sample(tiled(60, square(60), regularity: regularity, seed: seed))
        #expect(dots.count > 1500)
        #expect(bruteForceViolations(dots) == 0)
    }

    @Test("three sessions over a ramp with a hole nest on the tile: invariant, no dot in the hole",
          arguments: [UInt64(11), 12])
    func layeredRamp(seed: UInt64) throws {
        let bounds = RectMM(minXMM: -20, minYMM: 5, widthMM: 50, heightMM: 40)
        var all: [PoissonDot] = []
        for (layer, peak) in [25.0, 50, 80].enumerated() {
            let density = try DensityRaster(covering: bounds, cellSizeMM: 0.5) { x, y in
                let hole = (x - 5) * (x - 5) + (y - 25) * (y - 25) < 64
                return hole ? 0 : peak * (x + 20) / 50
            }
            let request = PoissonDiskRequest(bounds: bounds, density: density, seed: seed, layer: layer + 1,
                                             method: .tiled, patternPeakDotsPerCM2: 80)
            // Found as points of the same pattern: no fallback to the search.
            let new = try #require(TiledSampler.sample(request, existing: all))
            #expect(try PoissonDiskSampler.sample(request, existing: all) == new)
            #expect(new.allSatisfy { $0.layer == layer + 1 })
            all += new
        }
        #expect(all.count > 700)
        #expect(bruteForceViolations(all) == 0)
        #expect(all.allSatisfy { bounds.contains(xMM: $0.xMM, yMM: $0.yMM) })
        #expect(!all.contains { ($0.xMM - 5) * ($0.xMM - 5) + ($0.yMM - 25) * ($0.yMM - 25) < 7.5 * 7.5 }, "a dot in the masked hole")
    }

    @Test("achieved density is within ±3 % of the target over 25 cm² and more (one layer)",
          arguments: [5.0, 20, 45, 100, 150], [0.0, PoissonDiskRequest.defaultRegularity, 1.0])
    func densitySingleLayer(target: Double, regularity: Double) throws {
        let side = max(60, (600 / target * 100).squareRoot() + 10)
        var achieved = 0.0
        for seed in UInt64(1)...2 {
            let dots = try PoissonDiskSampler.sample(tiled(target, square(side), regularity: regularity, seed: seed))
            achieved += PointSetStatistics(dots).achievedDotsPerCM2(in: square(side).inset(byMM: 5)) / 2
        }
        #expect(abs(achieved / target - 1) <= 0.03, "target \(target) dots/cm², achieved \(achieved)")
    }

    @Test("three sessions reach the cumulative target within ±3 %", arguments: [(20.0, 40.0, 60.0), (10, 30, 100), (50, 50, 150)])
    func densityLayered(targets: (Double, Double, Double)) throws {
        let bounds = square(120)
        let region = bounds.inset(byMM: 10)
        var all: [PoissonDot] = []
        for (index, target) in [targets.0, targets.1, targets.2].enumerated() {
            let request = try tiled(target, bounds, seed: 99, layer: index + 1, patternPeak: targets.2)
            all += try #require(TiledSampler.sample(request, existing: all))
            let achieved = PointSetStatistics(all).achievedDotsPerCM2(in: region)
            #expect(abs(achieved / target - 1) <= 0.03, "after session \(index + 1): target \(target), achieved \(achieved)")
        }
        #expect(bruteForceViolations(all) == 0)
    }

    @Test("along a linear ramp 0 → 100 dots/cm², every 5 mm strip is within ±10 %", arguments: [UInt64(3), 4])
    func densityRamp(seed: UInt64) throws {
        let bounds = RectMM(minXMM: 0, minYMM: 0, widthMM: 70, heightMM: 300)
        let density = try DensityRaster(covering: bounds, cellSizeMM: 0.25) { x, _ in min(100, 100 * x / 60) }
        let dots = try PoissonDiskSampler.sample(PoissonDiskRequest(bounds: bounds, density: density, seed: seed, method: .tiled))
        for strip in 0..<12 {
            let x0 = Double(strip) * 5
            let target = 100 * (x0 + 2.5) / 60
            let achieved = PointSetStatistics(dots).achievedDotsPerCM2(in: RectMM(minXMM: x0, minYMM: 5, widthMM: 5, heightMM: 290))
            #expect(abs(achieved / target - 1) <= 0.10, "strip \(x0)–\(x0 + 5) mm: target \(target), achieved \(achieved)")
        }
    }

    @Test("no gaps: the largest empty circle is narrower than 2 s (radius below s)",
          arguments: [0.0, PoissonDiskRequest.defaultRegularity, 1.0])
    func maximal(regularity: Double) throws {
        let bounds = square(40)
        let dots = try PoissonDiskSampler.sample(tiled(80, bounds, regularity: regularity, seed: 5))
        let largestSpacing = dots.map(\.spacingMM).max() ?? 0
        let hole = PointSetStatistics(dots).largestEmptyCircle(in: bounds.inset(byMM: 2), stepMM: 0.05, searchRadiusMM: 3 * largestSpacing)
        #expect(hole.radiusMM < largestSpacing, "empty circle of radius \(hole.radiusMM) mm at (\(hole.xMM), \(hole.yMM)); spacing up to \(largestSpacing)")
    }

    @Test("the most even setting reaches ρ ≥ 0.80; the default stays irregular")
    func relativeRadius() throws {
        let bounds = square(60)
        let region = bounds.inset(byMM: 3)
        let evenRho = PointSetStatistics(try PoissonDiskSampler.sample(tiled(60, bounds, regularity: 1, seed: 21))).relativeRadius(in: region)
        let naturalRho = PointSetStatistics(try PoissonDiskSampler.sample(tiled(60, bounds, seed: 21))).relativeRadius(in: region)
        #expect(evenRho >= 0.80, "ρ at regularity 1: \(evenRho)")
        #expect(naturalRho < evenRho, "ρ natural \(naturalRho) vs even \(evenRho)")
    }

    @Test("neighbours spread evenly over all directions: no sector of the half circle off by more than 6 %",
          arguments: [0.0, PoissonDiskRequest.defaultRegularity])
    func isotropic(regularity: Double) throws {
        let bounds = square(150)
        let radius = 1.6 * PoissonDiskCalibration.spacingMM(dotsPerCM2: 60, regularity: regularity)
        var sectors = [Double](repeating: 0, count: 12)
        for seed in UInt64(1)...3 {
            let dots = try PoissonDiskSampler.sample(tiled(60, bounds, regularity: regularity, seed: seed))
            let spread = PointSetStatistics(dots).pairDirectionSpread(in: bounds.inset(byMM: 5), radiusMM: radius, sectors: 12)
            for k in sectors.indices { sectors[k] += spread[k] / 3 }
        }
        #expect(sectors.allSatisfy { abs($0 - 1) <= 0.06 }, "pairs per 15° sector over the mean: \(sectors)")
    }

    @Test("same request and seed give the same dots; another seed gives others; seeds are unique")
    func deterministic() throws {
        let bounds = RectMM(minXMM: 3, minYMM: -7, widthMM: 30, heightMM: 20)
        let density = try DensityRaster(covering: bounds, cellSizeMM: 1) { x, y in 20 + x + y }
        let request = PoissonDiskRequest(bounds: bounds, density: density, seed: 77, layer: 2, diameterMM: 0.2, method: .tiled)
        let first = try PoissonDiskSampler.sample(request)
        #expect(first.count > 100)
        #expect(try PoissonDiskSampler.sample(request) == first)
        var other = request
        other.seed = 78
        #expect(try PoissonDiskSampler.sample(other) != first)
        #expect(first.allSatisfy { $0.layer == 2 && $0.diameterMM == 0.2 })
        #expect(Set(first.map(\.variationSeed)).count == first.count)
    }

    @Test("earlier dots of another pattern send the run to the search, which fills around them")
    func foreignLayerFallsBack() throws {
        let bounds = square(50)
        let first = try PoissonDiskSampler.sample(tiled(40, bounds, seed: 1))
        let second = try tiled(60, bounds, seed: 2, layer: 2)
        #expect(TiledSampler.sample(second, existing: first) == nil)
        let added = try PoissonDiskSampler.sample(second, existing: first)
        #expect(!added.isEmpty)
        #expect(bruteForceViolations(first + added) == 0)
    }

    @Test("a pattern peak below the raster's is refused, naming the value")
    func patternPeakBelowRaster() throws {
        let request = try tiled(50, square(10), seed: 1, patternPeak: 40)
        #expect(throws: PoissonDiskError.self) { try PoissonDiskSampler.sample(request) }
    }
}
