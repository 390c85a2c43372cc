import Testing
@testable import SMPEngine

struct HeadModelRelaxedMarchTests {
    @Test("over-relaxed steps meet the head where plain steps do, and find the same edges",
          arguments: HeadViewName.allCases)
    func relaxedAsPlain(view: HeadViewName) {
        for shape in [HeadShape.adultMan, .adultWoman] {
            let head = HeadModel(shape: shape)
            // A full-size view's pixels (its edge cone), every 8th row and column: the rays that
            // creep along the jaw and neck are a few pixels wide bands.
            let camera = HeadCamera(view: view, shape: shape, distanceMM: 600, pixels: 1600)
            let slope = 1 / camera.focalPixels
            var hits = 0, moved = 0, differences = 0, edgeDifferences = 0
            var first: String?
            for row in stride(from: 4, to: 1600, by: 8) {
                for column in stride(from: 4, to: 1600, by: 8) {
                    let direction = camera.ray(x: Double(column) + 0.5, y: Double(row) + 0.5)
                    let relaxed = head.intersect(origin: camera.eye, direction: direction, edgeSlope: slope, candidates: head.allParts)
                    let plain = head.intersect(origin: camera.eye, direction: direction, edgeSlope: slope, candidates: head.allParts,
                                               relaxesSteps: false)
                    if relaxed.onEdge != plain.onEdge { edgeDifferences += 1 }
                    var agrees = true
                    switch (relaxed.hit, plain.hit) {
                    case let (a?, b?) where a.onEdge && b.onEdge:
                        // An edge pixel is supersampled; a ray out of steps in a crease stops
                        // where its steps ran out, farther for longer steps.
                        hits += 1
                    case let (a?, b?):
                        hits += 1
                        if a.distanceMM != b.distanceMM { moved += 1 }
                        // Both stop where the distance is under 0.05 mm, from other steps.
                        let facing = max(-(b.normal * direction).sum(), 0.12)
                        agrees = abs(a.distanceMM - b.distanceMM) <= 0.05 / facing
                    case (nil, nil): break
                    default: agrees = relaxed.onEdge && plain.onEdge
                    }
                    if !agrees {
                        differences += 1
                        first = first ?? "pixel (\(column), \(row)): \(String(describing: relaxed)) vs \(String(describing: plain))"
                    }
                }
            }
            #expect(hits > 4000, "\(view): \(hits) hits")
            #expect(moved > 0, "\(view), \(shape): no hit moved: no step was relaxed")
            #expect(differences == 0, "\(view), \(shape): \(differences) rays differ (\(moved) of \(hits) hits moved), first \(first ?? "")")
            // A closest pass is sampled at the march's points: longer steps sample it elsewhere,
            // and a pass at the cone's radius tips either way (1 to 5 rays in 40 000).
            #expect(edgeDifferences * 2000 <= hits, "\(view), \(shape): \(edgeDifferences) rays differ in being an edge")
        }
    }
}
