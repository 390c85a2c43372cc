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
            var first: String?
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
                        if abs(hit.distanceMM - plain) > 0.1 / facing {
                            disagreements += 1
                            first = first ?? "pixel (\(column), \(row)): \(hit.distanceMM) vs \(plain) mm at \(hit.point)"
                        }
                    case (nil, nil): break
                    default:
                        disagreements += 1
                        first = first ?? "pixel (\(column), \(row)): \(String(describing: hit?.distanceMM)) vs \(String(describing: plain)) mm"
                    }
                }
            }
            #expect(hits > 300, "\(view): the head fills too little of the frame (\(hits) rays)")
            #expect(disagreements == 0, "\(view), \(shape): \(disagreements) rays disagree with plain sphere tracing, first \(first ?? "")")
        }
    }

    @Test("a view's rays, trying only the parts whose projected bounds hold their pixel, meet the head as rays trying every part",
          arguments: HeadViewName.allCases)
    func culledRays(view: HeadViewName) {
        for shape in [HeadShape.adultMan, .adultWoman] {
            let head = HeadModel(shape: shape)
            let camera = HeadCamera(view: view, shape: shape, distanceMM: 600, pixels: 96)
            let geometry = HeadViewGeometry(camera: camera, head: head)
            var culled = 0, differences = 0
            for row in 0..<96 {
                for column in 0..<96 {
                    // Pixel centres and an edge's sub-rays.
                    let x = Double(column) + Double(row % 3 + 1) / 4, y = Double(row) + Double(column % 3 + 1) / 4
                    let slope = 1 / camera.focalPixels
                    let all = head.intersect(origin: camera.eye, direction: camera.ray(x: x, y: y), edgeSlope: slope)
                    let cut = geometry.hit(x: x, y: y, edgeSlope: slope)
                    if head.allParts != geometry.cull.candidates(x: x, y: y) { culled += 1 }
                    if all.onEdge != cut.onEdge || all.hit?.distanceMM != cut.hit?.distanceMM || all.hit?.active != cut.hit?.active {
                        differences += 1
                    }
                }
            }
            #expect(differences == 0, "\(view), \(shape)")
            #expect(culled > 96 * 96 / 4, "\(view): the cull leaves out parts for only \(culled) rays")
        }
    }

    @Test("the march crosses the stretches between the parts' surface bounds in one step: the hits and edges of marching through them",
          arguments: HeadViewName.allCases)
    func skipBetweenSurfaces(view: HeadViewName) {
        for shape in [HeadShape.adultMan, .adultWoman] {
            let head = HeadModel(shape: shape)
            // A full-size view's pixels (its edge cone), every 16th row and column.
            let camera = HeadCamera(view: view, shape: shape, distanceMM: 600, pixels: 1600)
            let slope = 1 / camera.focalPixels
            var hits = 0, moved = 0, differences = 0
            var first: String?
            for row in stride(from: 8, to: 1600, by: 16) {
                for column in stride(from: 8, to: 1600, by: 16) {
                    let direction = camera.ray(x: Double(column) + 0.5, y: Double(row) + 0.5)
                    let skipping = head.intersect(origin: camera.eye, direction: direction, edgeSlope: slope, candidates: head.allParts)
                    let marching = head.intersect(origin: camera.eye, direction: direction, edgeSlope: slope, candidates: head.allParts,
                                                  skipsBetweenSurfaces: false)
                    var agrees = skipping.onEdge == marching.onEdge
                    switch (skipping.hit, marching.hit) {
                    case let (a?, b?):
                        hits += 1
                        if a.distanceMM != b.distanceMM { moved += 1 }
                        // Both stop where the distance is under 0.05 mm, from other steps.
                        let facing = max(-(b.normal * direction).sum(), 0.12)
                        agrees = agrees && abs(a.distanceMM - b.distanceMM) <= 0.05 / facing
                    case (nil, nil): break
                    default: agrees = false
                    }
                    if !agrees {
                        differences += 1
                        first = first ?? "pixel (\(column), \(row)): \(String(describing: skipping)) vs \(String(describing: marching))"
                    }
                }
            }
            #expect(hits > 1000, "\(view): \(hits) hits")
            #expect(differences == 0, "\(view), \(shape): \(differences) rays differ (\(moved) of \(hits) hits moved), first \(first ?? "")")
        }
    }

    @Test("rays through the shell between the vault's bounds cross the vault where a fine march of its excess does, or miss it as that does",
          arguments: HeadViewName.allCases)
    func vaultShell(view: HeadViewName) {
        for shape in [HeadShape.adultMan, .adultWoman] {
            let head = HeadModel(shape: shape)
            let camera = HeadCamera(view: view, shape: shape, distanceMM: 600, pixels: 96)
            let r = head.craniumInverseRadii
            var shellRays = 0, misses = 0, differences = 0
            var first: String?
            for row in 0..<96 {
                for column in 0..<96 {
                    let direction = camera.ray(x: Double(column) + 0.5, y: Double(row) + 0.5)
                    guard let (enter, exit) = HeadModel.bounds(origin: camera.eye, direction: direction, head.surfaceBounds[0]),
                          HeadModel.bounds(origin: camera.eye, direction: direction, head.craniumInnerBound) == nil else { continue }
                    shellRays += 1
                    let start = max(enter, 0)
                    // The reference: the excess every 0.02 mm, then bisection.
                    var reference: Double?
                    var t = start
                    while t < exit {
                        if head.cranium.excess(camera.eye + direction * t, inverseRadii: r) <= 0 {
                            var (a, b) = (t - 0.02, t)
                            for _ in 0..<40 {
                                let m = (a + b) / 2
                                if head.cranium.excess(camera.eye + direction * m, inverseRadii: r) <= 0 { b = m } else { a = m }
                            }
                            reference = b
                            break
                        }
                        t += 0.02
                    }
                    let shell = head.vaultShell(origin: camera.eye, direction: direction, from: start, to: exit)
                    if reference == nil { misses += 1 }
                    let agrees = switch (shell.crossing, reference) {
                    case (nil, nil): shell.closest != nil
                    case let (found?, expected?): abs(found - expected) < 0.01
                    default: false
                    }
                    if !agrees {
                        differences += 1
                        first = first ?? "pixel (\(column), \(row)): \(String(describing: shell.crossing)) vs \(String(describing: reference))"
                    }
                }
            }
            #expect(differences == 0, "\(view), \(shape): \(differences) of \(shellRays) rays, first \(first ?? "")")
            #expect(misses > 20 && shellRays > misses, "\(view): \(shellRays) rays through the shell, \(misses) missing the vault")
        }
    }

    @Test("the treated scalp is the cranium's: full weight on the top of the head, none on the nose, the ears or the neck")
    func scalpWeight() {
        let head = HeadModel(shape: .adultMan)
        #expect(head.scalpWeight(at: head.cranium.point(polar: 0.3, azimuth: 1)) == 1)
        #expect(head.scalpWeight(at: head.cranium.point(polar: 0.9, azimuth: -.pi / 2)) == 1)   // forehead, hairline height
        #expect(head.scalpWeight(at: SIMD3(0, -118, -26)) == 0)    // nose tip
        #expect(head.scalpWeight(at: SIMD3(head.parts[head.parts.count - 2].centre.x + 6, 14, -4)) == 0)      // ear
        #expect(head.scalpWeight(at: SIMD3(0, 80, -160)) == 0)     // back of the neck
    }

    @Test("the vault keeps the shape's length, breadth and height, and is widest above and behind the ear line, not at it",
          arguments: [HeadShape.adultMan, .adultWoman])
    func vault(shape: HeadShape) {
        let cranium = Cranium(shape: shape)
        var widest = (x: 0.0, y: 0.0, z: 0.0), front = 0.0, back = 0.0, top = 0.0, atEarLine = 0.0
        for i in 0...240 {
            for j in 0..<480 {
                let p = cranium.point(polar: Double(i) / 240 * 2 * .pi / 3, azimuth: Double(j) / 480 * 2 * .pi)
                if p.x > widest.x { widest = (p.x, p.y, p.z) }
                if abs(p.z) < 2 { atEarLine = max(atEarLine, p.x) }
                front = min(front, p.y)
                back = max(back, p.y)
                top = max(top, p.z)
            }
        }
        #expect(abs(widest.x / shape.sideToSideMM - 1) < 0.01, "breadth \(2 * widest.x) mm")
        #expect(abs((back - front) / (2 * shape.frontToBackMM) - 1) < 0.01, "length \(back - front) mm")
        #expect(abs(top / shape.earToTopMM - 1) < 0.01, "height \(top) mm")
        // The parietal eminences: some 35 to 75 mm above the ear line, behind it.
        #expect(widest.z > 35 && widest.z < 75 && widest.y > 0, "widest at y \(widest.y), z \(widest.z) mm")
        #expect(atEarLine < 0.96 * widest.x, "as wide at the ear line (\(atEarLine) mm) as above it (\(widest.x) mm)")
    }

    @Test("the vault's chart keeps area: a chart disc's area is the vault's area under it")
    func vaultChartKeepsArea() {
        let cranium = Cranium(shape: .adultMan)
        // The vault's area above polar angle 60°, by its parametrisation, against the chart's
        // area within the same rim (the polygon of its radii).
        let steps = 720, rimPolar = Double.pi / 3
        var surface = 0.0, chart = 0.0
        for j in 0..<steps {
            // The chart's azimuths run from −π to π, as atan2's.
            let phi0 = -Double.pi + Double(j) / Double(steps) * 2 * .pi, phi1 = -Double.pi + Double(j + 1) / Double(steps) * 2 * .pi
            let a = cranium.chart.chartPoint(polar: rimPolar, azimuth: phi0), b = cranium.chart.chartPoint(polar: rimPolar, azimuth: phi1)
            chart += 0.5 * abs(a.x * b.y - a.y * b.x)
            for i in 0..<240 {
                let theta0 = Double(i) / 240 * rimPolar, theta1 = Double(i + 1) / 240 * rimPolar
                let p = cranium.point(polar: theta0, azimuth: phi0), u = cranium.point(polar: theta1, azimuth: phi0) - p
                let v = cranium.point(polar: theta0, azimuth: phi1) - p
                let q = cranium.point(polar: theta1, azimuth: phi1)
                let w = cranium.point(polar: theta1, azimuth: phi0) - q, z = cranium.point(polar: theta0, azimuth: phi1) - q
                func area(_ e: SIMD3<Double>, _ f: SIMD3<Double>) -> Double {
                    let c = SIMD3(e.y * f.z - e.z * f.y, e.z * f.x - e.x * f.z, e.x * f.y - e.y * f.x)
                    return 0.5 * (c * c).sum().squareRoot()
                }
                surface += area(u, v) + area(w, z)
            }
        }
        #expect(abs(chart / surface - 1) < 0.005, "chart \(chart) mm², vault \(surface) mm²")
    }
}
