import Testing
@testable import SMPEngine

@Suite("A view's rays started at their tile's cone")
struct HeadViewTilesTests {
    @Test("rays started where their tile's cone stopped meet the head where rays marched from their bounds do, and are edges as they are",
          arguments: HeadViewName.allCases)
    func tileStart(view: HeadViewName) {
        for shape in [HeadShape.adultMan, .adultWoman] {
            let head = HeadModel(shape: shape)
            // A full-size view, every 16th row and column at varying offsets in their tiles,
            // and a small one, whose pixels' edge cones are a few millimetres wide.
            for pixels in [1600, 160] {
                let camera = HeadCamera(view: view, shape: shape, distanceMM: 600, pixels: pixels)
                let geometry = HeadViewGeometry(camera: camera, head: head)
                let slope = 1 / camera.focalPixels
                let step = pixels / 100
                var hits = 0, started = 0, differences = 0
                var first: String?
                for row in stride(from: step / 2, to: pixels, by: step) {
                    let starts = geometry.tileStarts(tileRow: row / HeadViewGeometry.tilePixels)
                    for column in stride(from: (row * 7) % step, to: pixels, by: step) {
                        let x = Double(column) + 0.5, y = Double(row) + 0.5
                        let start = starts[column / HeadViewGeometry.tilePixels]
                        let tiled = geometry.hit(x: x, y: y, edgeSlope: slope, from: start)
                        let plain = geometry.hit(x: x, y: y, edgeSlope: slope)
                        var agrees = tiled.onEdge == plain.onEdge
                        switch (tiled.hit, plain.hit) {
                        case let (a?, b?):
                            hits += 1
                            if start > 0 { started += 1 }
                            #expect(start < b.distanceMM, "\(view): tile start \(start) mm beyond the hit at \(b.distanceMM) mm")
                            // Both stop where the distance is under 0.05 mm, from other steps.
                            let facing = -(b.normal * tiled.direction).sum()
                            agrees = abs(a.distanceMM - b.distanceMM) <= 0.05 / max(facing, 0.12)
                                // A hit at the grazing angle that makes an edge (0.12) tips either way
                                // with that hundredth of a millimetre.
                                && (tiled.onEdge == plain.onEdge || abs(facing - 0.12) < 0.005)
                        case (nil, nil): break
                        default: agrees = false
                        }
                        if !agrees {
                            differences += 1
                            first = first ?? "pixel (\(column), \(row)): \(String(describing: tiled)) vs \(String(describing: plain))"
                        }
                    }
                }
                #expect(hits > 1000, "\(view), \(pixels) px: \(hits) hits")
                #expect(started > hits / 2, "\(view), \(pixels) px: only \(started) of \(hits) hits start at their tile's cone")
                #expect(differences == 0, "\(view), \(shape), \(pixels) px: \(differences) rays differ, first \(first ?? "")")
            }
        }
    }
}
