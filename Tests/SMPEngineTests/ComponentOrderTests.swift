import Testing
@testable import SMPEngine

@Suite("The map renderer's component order")
struct ComponentOrderTests {
    @Test("components dealt into strips and sorted within each are in the order of one sort by strip, x and index")
    func stripOrder() {
        var random = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 7, 5000] {
            let strips = (0..<count).map { _ in Int.random(in: 0..<40, using: &random) }
            // Coarse x values, so that ties fall back on the index.
            let xs = (0..<count).map { _ in Double(Int.random(in: 0..<60, using: &random)) * 0.25 }
            let indices = (0..<count).filter { $0 % 5 != 3 }
            let reference = indices.map { (strips[$0], xs[$0], $0) }.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.2)
            #expect(MapRenderer.stripOrder(indices, strip: { strips[$0] }, x: { xs[$0] }) == reference, "\(count) components")
        }
    }
}
