import Testing
@testable import SMPEngine

@Suite("The head's shoulders, met exactly where nothing else reaches")
struct HeadModelShouldersTests {
    /// Is `point` on the shoulders' ellipsoid itself (where `shouldersAlone` puts its hits)?
    static func onShoulders(_ head: HeadModel, _ point: SIMD3<Double>) -> Bool {
        let part = head.parts[head.shouldersIndex]
        let u = (point - part.centre) * part.inverseRadii
        return abs((u * u).sum() - 1) < 1e-9
    }

    @Test("a full-size view's rays hit the shoulders where plain sphere tracing of the whole distance does, within 0.01 mm, and miss them as it does",
          arguments: [(HeadViewName.top, 200), (.crown, 200), (.front, 0), (.left, 0), (.back, 0)])
    func exactHits(view: HeadViewName, fewestExact: Int) {
        for shape in [HeadShape.adultMan, .adultWoman] {
            let head = HeadModel(shape: shape)
            let camera = HeadCamera(view: view, shape: shape, distanceMM: 600, pixels: 1600)
            let geometry = HeadViewGeometry(camera: camera, head: head)
            let slope = 1 / camera.focalPixels
            var exact = 0, misses = 0, differences = 0
            var first: String?
            for row in stride(from: 4, to: 1600, by: 12) {
                for column in stride(from: 4, to: 1600, by: 12) {
                    let x = Double(column) + 0.5, y = Double(row) + 0.5
                    let (hit, onEdge, direction) = geometry.hit(x: x, y: y, edgeSlope: slope)
                    guard !onEdge else { continue }   // supersampled; its centre ray may go either way
                    if let hit, !Self.onShoulders(head, hit.point) { continue }
                    if hit == nil && geometry.cull.candidates(x: x, y: y) & (1 << UInt32(head.shouldersIndex)) == 0 { continue }
                    let plain = HeadModelTests.plainHit(head, origin: camera.eye, direction: direction)
                    var agrees: Bool
                    switch (hit, plain) {
                    case let (hit?, plain?):
                        exact += 1
                        // The reference stops where the distance is under 0.01 mm, before the
                        // surface by that over the cosine of incidence.
                        let facing = max(-(hit.normal * direction).sum(), 0.12)
                        agrees = hit.distanceMM >= plain - 1e-9 && hit.distanceMM - plain < 0.01 / facing
                        // The exact normal is the distance's gradient there.
                        let marched = head.normal(at: hit.point, active: head.allParts)
                        agrees = agrees && (marched * hit.normal).sum() > 0.9999
                    case (nil, nil):
                        misses += 1
                        agrees = true
                    default:
                        agrees = false
                    }
                    if !agrees {
                        differences += 1
                        first = first ?? "pixel (\(column), \(row)): \(String(describing: hit)) vs \(String(describing: plain))"
                    }
                }
            }
            // The views from the side and front see the shoulders only at the frame's bottom edge.
            #expect(exact >= fewestExact, "\(view), \(shape): only \(exact) rays meet the shoulders alone")
            #expect(differences == 0, "\(view), \(shape): \(differences) rays differ (\(exact) exact hits, \(misses) misses), first \(first ?? "")")
        }
    }
}
