import Testing
@testable import PoissonDisk

/// The sweep's bound on the target density over a square decides which squares it skips
/// (a 0 bound) and how large their discs are: it must never be below the density the square
/// really has, or the fill would leave gaps.
@Suite("Sweep bounds")
struct SweepBoundsTests {
    @Test("peakDensity is the largest bilinear density over a rectangle, masks and raster-cell crossings included")
    func peakDensityIsTheMaximum() throws {
        let bounds = RectMM(minXMM: -3, minYMM: 2, widthMM: 20, heightMM: 15)
        let density = try DensityRaster(covering: bounds, cellSizeMM: 0.7) { x, y in
            let hole = (x - 5) * (x - 5) + (y - 9) * (y - 9) < 9
            return hole ? 0 : 40 + 10 * abs((x * 1.7).truncatingRemainder(dividingBy: 3)) + y
        }
        let state = try SamplerState(request: PoissonDiskRequest(bounds: bounds, density: density, seed: 1), existing: [])
        defer { state.deallocate() }
        var generator = Xoshiro256StarStar(seed: 5)
        let steps = 24
        var zeroBounds = 0
        for _ in 0..<400 {
            let x0 = Float(generator.nextUnit() * 19), y0 = Float(generator.nextUnit() * 14)
            let width = Float(generator.nextUnit() * 1.5), height = Float(generator.nextUnit() * 1.5)
            let peak = state.peakDensity(x0: x0, y0: y0, x1: x0 + width, y1: y0 + height)
            var sampled: Float = 0
            for i in 0...steps {
                for j in 0...steps {
                    let x = x0 + width * Float(i) / Float(steps), y = y0 + height * Float(j) / Float(steps)
                    sampled = max(sampled, state.density(x: x, y: y))
                }
            }
            #expect(sampled <= peak * 1.0001 + 1e-4, "density \(sampled) above the bound \(peak) in [\(x0), \(x0 + width)] × [\(y0), \(y0 + height)]")
            // Tight: at most one sampling step's change (the raster changes by < 120 per cell) above.
            let slack = 120 / 0.7 * (width + height) / Float(steps) + 1e-3
            #expect(peak <= sampled + slack, "bound \(peak) far above the density \(sampled)")
            if peak == 0 { zeroBounds += 1 }
        }
        #expect(zeroBounds > 0, "no rectangle fell inside the hole: the test lost its mask case")
    }
}
