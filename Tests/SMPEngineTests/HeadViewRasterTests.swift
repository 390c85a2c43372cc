import Testing
@testable import SMPEngine

@Suite("Head views: an edge pixel's rays")
struct HeadViewRasterTests {
    @Test("a pixel on an edge only for its grazing angle, its corner rays all on the same surface, is its centre ray: in a 1600 px view, within 6 % of its nine rays' mean in luminance, 0.5 % on average")
    func coveredGrazingPixels() throws {
        let setup = try HeadViewRendererTests.Setup(HeadViewRendererTests.scene(viewPixels: 1600))
        let weights = SIMD3<Float>(0.2126, 0.7152, 0.0722)
        for name in [HeadViewName.top, .front, .left] {
            let view = try setup.view(name, day: setup.afterDay)
            let slope = 1 / view.camera.focalPixels
            var differences: [Double] = [], edges = 0
            for row in stride(from: 3, to: view.heightPixels, by: 9) {
                for column in 0..<view.widthPixels {
                    let x = Double(column) + 0.5, y = Double(row) + 0.5
                    let (hit, onEdge, direction) = view.geometry.hit(x: x, y: y, edgeSlope: slope)
                    guard onEdge else { continue }
                    edges += 1
                    guard let hit, -(hit.normal * direction).sum() < 0.12 else { continue }
                    var nine = LinearRGB.zero
                    var corners: [(hit: HeadModel.Hit?, direction: SIMD3<Double>)] = []
                    for k in 0..<9 {
                        let sx = Double(column) + (Double(k % 3) + 0.5) / 3, sy = Double(row) + (Double(k / 3) + 0.5) / 3
                        let (h, _, d) = view.geometry.hit(x: sx, y: sy, edgeSlope: 0)
                        if HeadViewRenderer.cornerSubrays.contains(k) { corners.append((h, d)) }
                        nine += h.map { view.shade(view.sample($0, direction: d, x: sx, y: sy, footprint: 1.0 / 3)) } ?? view.background
                    }
                    guard HeadViewRenderer.covers(hit, corners, pixelMM: hit.distanceMM / view.camera.focalPixels) else { continue }
                    let centre = (view.shade(view.sample(hit, direction: direction, x: x, y: y, footprint: 1)) * weights).sum()
                    let mean = (nine / 9 * weights).sum()
                    differences.append(Double(abs(centre - mean) / mean))
                }
            }
            differences.sort()
            #expect(differences.count > edges / 4, "\(name): \(differences.count) covered grazing pixels of \(edges) edge pixels")
            let average = differences.reduce(0, +) / Double(max(differences.count, 1))
            // Single pixels differ by a few per cent (some levels of 255): the nine rays'
            // footprints of a third of a pixel across see the dots a little differently.
            #expect(average < 0.005 && (differences.last ?? 0) < 0.06, "\(name): mean \(average), worst \(differences.last ?? 0)")
        }
    }
}
