import Testing
@testable import SMPEngine

@Suite("Value noise: the raster form agrees with the point form")
struct ValueNoiseTests {
    @Test("values(xsMM:ysMM:) is value(xMM:yMM:) at every point, bit for bit",
          arguments: [(UInt64(1), 5.0), (2, 1.6), (3, 7.0), (0xDEAD_BEEF, 40.0)])
    func rasterMatchesPoints(seed: UInt64, pitchMM: Double) {
        let noise = ValueNoise(seed: seed, pitchMM: pitchMM)
        // Cell centres of a 0.5 mm raster straddling the origin, as SkinTexture lays them out.
        let xs = (0..<173).map { -41.75 + (Double($0) + 0.5) * 0.5 }
        let ys = (0..<61).map { -3.25 + (Double($0) + 0.5) * 0.5 }
        let raster = noise.values(xsMM: xs, ysMM: ys)
        #expect(raster.count == xs.count * ys.count)
        var mismatches = 0
        for (row, y) in ys.enumerated() {
            for (column, x) in xs.enumerated() where raster[row * xs.count + column].bitPattern != noise.value(xMM: x, yMM: y).bitPattern {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(noise.values(xsMM: [], ysMM: ys).isEmpty)
    }
}
