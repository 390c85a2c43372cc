import Testing
@testable import PoissonDisk

private func tiled(_ dotsPerCM2: Double, _ bounds: RectMM, seed: UInt64, layer: Int = 1,
                   patternPeak: Double? = nil) throws -> PoissonDiskRequest {
    try uniform(dotsPerCM2, bounds, seed: seed, layer: layer, method: .tiled, patternPeak: patternPeak)
}

/// What only the tiled method has: the tile's gaps, the fallback for other earlier dots, the
/// pattern peak's check. The quality figures and the nesting of sessions are in
/// `PoissonDiskSamplerTests`.
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

    @Test("no dot lands in a raster cell of zero density, even where bilinear lookup is positive")
    func zeroCellsAreMasks() throws {
        // A checkerboard of 2 mm cells, 80 dots/cm² on the dark squares, none on the light.
        let bounds = square(40)
        let density = try DensityRaster(covering: bounds, cellSizeMM: 2) { x, y in
            (Int(x / 2) + Int(y / 2)) % 2 == 0 ? 80 : 0
        }
        let dots = try PoissonDiskSampler.sample(PoissonDiskRequest(bounds: bounds, density: density, seed: 4, method: .tiled))
        #expect(dots.count > 300)
        let inZeroCell = dots.filter { (Int($0.xMM / 2) + Int($0.yMM / 2)) % 2 != 0 }.map { ($0.xMM, $0.yMM) }
        #expect(inZeroCell.count == 0, "dots in zero cells, the first at \(inZeroCell.prefix(1)) mm")
    }

    @Test("a pattern peak below the raster's is refused, naming the value")
    func patternPeakBelowRaster() throws {
        let request = try tiled(50, square(10), seed: 1, patternPeak: 40)
        #expect(throws: PoissonDiskError.self) { try PoissonDiskSampler.sample(request) }
    }

    @Test("the copies shared out over threads give the same dots in the same order as one thread, layers too")
    func sameDotsForAnyThreadCount() throws {
        // A ramp over many copies of the tile, so that every thread gets several and their
        // dots must be joined back in copy order.
        let bounds = RectMM(minXMM: -20, minYMM: 10, widthMM: 180, heightMM: 120)
        let density = try DensityRaster(covering: bounds, cellSizeMM: 3) { x, _ in 20 + 0.6 * (x + 20) }
        #expect(density.maximumDotsPerCM2 == Double(density.dotsPerCM2.max()!))
        var first = PoissonDiskRequest(bounds: bounds, density: density, seed: 11, method: .tiled,
                                       patternPeakDotsPerCM2: 160)
        let earlier = try PoissonDiskSampler.sample(first)
        #expect(earlier.count > 5000)
        first.layer = 2
        first.density = try DensityRaster(covering: bounds, cellSizeMM: 3) { x, y in 40 + 0.5 * (x + 20) + 0.1 * y }
        let later = try PoissonDiskSampler.sample(first, existing: earlier)
        #expect(later.count > 1000)
        for threads in [2, 3, 8] {
            var request = first
            request.layer = 1
            request.density = density
            #expect(try PoissonDiskSampler.sample(request, threads: threads) == earlier, "\(threads) threads, first layer")
            #expect(try PoissonDiskSampler.sample(first, existing: earlier, threads: threads) == later,
                    "\(threads) threads, second layer")
        }
    }
}
