import Testing
@testable import SMPEngine

@Suite("The parametric head")
struct HeadModelTests {
    /// Plain sphere tracing of the whole distance (every part, half steps) from the eye: the
    /// reference the fast paths (exact cranium and neck, parts left out per ray) must agree with.
    static func plainHit(_ head: HeadModel, origin: SIMD3<Double>, direction: SIMD3<Double>) -> Double? {
        var t = 0.0
        for _ in 0..<20_000 {
            let d = head.distance(origin + direction * t, active: head.allParts)
            if d < 0.01 { return t }
            t += d * 0.5
            if t > 2000 { return nil }
        }
        return nil
    }

    @Test("a ray meets the head where plain sphere tracing of the whole distance does, from every view",
          arguments: HeadViewName.allCases)
    func intersection(view: HeadViewName) {
        for shape in [HeadShape.adultMan, .adultWoman, .fromCircumference(600, like: .adultMan)] {
            let head = HeadModel(shape: shape)
            let camera = HeadCamera(view: view, shape: shape, distanceMM: 600, pixels: 48)
            var disagreements = 0, hits = 0
            for row in 0..<48 {
                for column in 0..<48 {
                    let direction = camera.ray(x: Double(column) + 0.5, y: Double(row) + 0.5)
                    let (hit, onEdge) = head.intersect(origin: camera.eye, direction: direction, edgeSlope: 1 / camera.focalPixels)
                    let plain = Self.plainHit(head, origin: camera.eye, direction: direction)
                    if onEdge { continue }   // a pixel on an edge is supersampled; its centre ray may go either way
                    switch (hit, plain) {
                    case let (hit?, plain?):
                        hits += 1
                        // Marching stops where the distance is under 0.05 mm (the reference 0.01), and
                        // the blended distance is only near the Euclidean one: along the ray, that
                        // is up to about 0.1 mm over the cosine of incidence.
                        let facing = max(-(hit.normal * direction).sum(), 0.12)
                        if abs(hit.distanceMM - plain) > 0.1 / facing { disagreements += 1 }
                    case (nil, nil): break
                    default: disagreements += 1
                    }
                }
            }
            #expect(hits > 300, "\(view): the head fills too little of the frame (\(hits) rays)")
            #expect(disagreements == 0, "\(view), \(shape): \(disagreements) rays disagree with plain sphere tracing")
        }
    }

    @Test("the treated scalp is the cranium's: full weight on the top of the head, none on the nose, the ears or the neck")
    func scalpWeight() {
        let head = HeadModel(shape: .adultMan)
        #expect(head.scalpWeight(at: head.shape.point(polar: 0.3, azimuth: 1)) == 1)
        #expect(head.scalpWeight(at: head.shape.point(polar: 0.9, azimuth: -.pi / 2)) == 1)   // forehead, hairline height
        #expect(head.scalpWeight(at: SIMD3(0, -118, -26)) == 0)    // nose tip
        #expect(head.scalpWeight(at: SIMD3(85, 14, -4)) == 0)      // ear
        #expect(head.scalpWeight(at: SIMD3(0, 80, -160)) == 0)     // back of the neck
    }
}
