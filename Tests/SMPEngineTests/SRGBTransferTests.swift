import Testing
@testable import SMPEngine

@Suite("sRGB encoding")
struct SRGBTransferTests {
    /// The table entry a value in [0, 1] rounds to (ties to even, as the encoder's 2²³ trick).
    static func expected(_ value: Float, _ table: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
        return table[Int((clamped * Float(SRGBTransfer.tableSize)).rounded(.toNearestOrEven))]
    }

    @Test("four lanes encode as the table says, clamped to [0, 1] at both ends, NaN as black")
    func clampsAndRounds() {
        let edges: [Float] = [-.infinity, -1e30, -1, -1e-7, -0.0, 0, 1e-7, 0.5 / 4096, 1.5 / 4096, 0.001, 0.2, 0.5,
                              0.999_9, 1, 1.000_000_1, 1.5, 1e30, .infinity, .nan]
        // And a sweep across the range, steps finer than the table's.
        let values = edges + (0...10_000).map { Float($0) / 10_000 }
        SRGBTransfer.encodeTable.withUnsafeBufferPointer { table in
            for start in stride(from: 0, to: values.count, by: 4) {
                let lanes = (0..<4).map { values[min(start + $0, values.count - 1)] }
                let bytes = SRGBTransfer.encode(SIMD4(lanes), table: table)
                let encoded = [bytes.0, bytes.1, bytes.2, bytes.3]
                for lane in 0..<4 {
                    #expect(encoded[lane] == Self.expected(lanes[lane], table), "value \(lanes[lane])")
                }
            }
            #expect(SRGBTransfer.encode(-1, table: table) == 0)
            #expect(SRGBTransfer.encode(.nan, table: table) == 0)
            #expect(SRGBTransfer.encode(2, table: table) == 255)
            #expect(SRGBTransfer.encode(.infinity, table: table) == 255)
        }
    }
}
