import Testing
@testable import PoissonDisk

@Suite("Seeded generators")
struct RandomGeneratorTests {
    @Test("xoshiro256** matches the authors' reference C code")
    func xoshiroReference() {
        // Outputs of Blackman & Vigna's xoshiro256starstar.c with s = {1, 2, 3, 4}.
        var generator = Xoshiro256StarStar(state: (1, 2, 3, 4))
        let expected: [UInt64] = [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360]
        #expect((0..<5).map { _ in generator.next() } == expected)
    }

    @Test("SplitMix64 matches the reference C code")
    func splitMixReference() {
        var generator = SplitMix64(seed: 1_234_567)
        let expected: [UInt64] = [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                                  4_593_380_528_125_082_431, 16_408_922_859_458_223_821]
        #expect((0..<5).map { _ in generator.next() } == expected)
    }

    @Test("unit values and indices stay in range and look uniform")
    func ranges() {
        var generator = Xoshiro256StarStar(seed: 42)
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 {
            let u = generator.nextUnit()
            #expect(u >= 0 && u < 1)
            buckets[generator.nextIndex(below: 10)] += 1
        }
        // 10,000 expected per bucket; 5 standard deviations is about ±475.
        #expect(buckets.allSatisfy { abs($0 - 10_000) < 500 }, "buckets \(buckets)")
    }

    @Test("derived streams differ and are stable")
    func derivedStreams() {
        let a = SplitMix64.derive(7, stream: 1), b = SplitMix64.derive(7, stream: 2), c = SplitMix64.derive(8, stream: 1)
        #expect(Set([a, b, c]).count == 3)
        #expect(SplitMix64.derive(7, stream: 1) == a)
    }

    @Test("the direction table is made of unit vectors covering every direction")
    func directionTable() {
        let table = UnitVectorTable.xy
        #expect(table.count == 2 * UnitVectorTable.count)
        var quadrants = [0, 0, 0, 0]
        for k in 0..<UnitVectorTable.count {
            let x = table[2 * k], y = table[2 * k + 1]
            #expect(abs(x * x + y * y - 1) < 1e-5)
            quadrants[(x >= 0 ? 0 : 1) + (y >= 0 ? 0 : 2)] += 1
        }
        #expect(quadrants.allSatisfy { abs($0 - 1024) < 150 }, "quadrants \(quadrants)")
    }
}
