import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("The scalp chart and map")
struct ScalpMapTests {
    static func scene(_ extra: String = "") throws -> Scene {
        try Scene.load(yaml: "name: t\nseed: 5\n" + extra, file: "t.yaml")
    }

    @Test("the chart keeps area: its cells add up to the dome's surface, integrated independently")
    func equalArea() {
        let head = HeadShape.adultMan
        let chart = ScalpChart(head: head, maximumPolarDegrees: 100)
        // Surface area down to θ = 100°, by a midpoint rule over (θ, φ) on the ellipsoid.
        var surface = 0.0
        let n = 400
        for i in 0..<n {
            for j in 0..<n {
                let theta = (Double(i) + 0.5) / Double(n) * 100 * .pi / 180
                let phi = -Double.pi + (Double(j) + 0.5) / Double(n) * 2 * .pi
                surface += head.areaDensity(polar: theta, azimuth: phi) * (100 * .pi / 180 / Double(n)) * (2 * .pi / Double(n))
            }
        }
        // The chart's area: cells of 0.5 mm whose centre maps onto the dome.
        var chartArea = 0.0
        let extent = chart.extentMM, cell = 0.5
        var y = -extent
        while y < extent {
            var x = -extent
            while x < extent {
                if chart.surfaceAngles(chartX: x + cell / 2, chartY: y + cell / 2) != nil { chartArea += cell * cell }
                x += cell
            }
            y += cell
        }
        #expect(abs(chartArea / surface - 1) < 0.003, "chart \(chartArea) mm², surface \(surface) mm²")
    }

    @Test("the hinted search finds the surface angles bisection finds, bit for bit, from any hint",
          arguments: [HeadShape.adultMan, .adultWoman, .fromCircumference(640, like: .adultMan)])
    func hintedSearchMatchesBisection(head: HeadShape) {
        let chart = ScalpChart(head: head)
        let extent = chart.extentMM
        var random = SplitMix64(seed: 42)
        func uniform() -> Double { Double(random.next() >> 11) * 0x1p-53 }
        var sweepHint: Int? = nil
        var mismatches = 0, points = 0
        // A raster sweep (as ScalpMap makes), then random points with random hints.
        for row in stride(from: -extent - 3, through: extent + 3, by: 0.7) {
            for column in stride(from: -extent - 3, through: extent + 3, by: 0.7) {
                let plain = chart.surfaceAngles(chartX: column, chartY: row)
                let hinted = chart.surfaceAngles(chartX: column, chartY: row, hint: &sweepHint)
                if plain?.polar.bitPattern != hinted?.polar.bitPattern || plain?.azimuth.bitPattern != hinted?.azimuth.bitPattern { mismatches += 1 }
                points += 1
            }
        }
        for _ in 0..<20_000 {
            let x = (2 * uniform() - 1) * (extent + 3), y = (2 * uniform() - 1) * (extent + 3)
            var hint: Int? = Int(uniform() * 900) - 90
            let plain = chart.surfaceAngles(chartX: x, chartY: y)
            let hinted = chart.surfaceAngles(chartX: x, chartY: y, hint: &hint)
            if plain?.polar.bitPattern != hinted?.polar.bitPattern || plain?.azimuth.bitPattern != hinted?.azimuth.bitPattern { mismatches += 1 }
            points += 1
        }
        #expect(mismatches == 0, "\(mismatches) of \(points) points differ")
    }

    @Test("chart positions and surface angles invert each other", arguments: [0.1, 0.7, 1.2, 1.9], [-2.5, -1.57, 0, 0.8, 3.0])
    func roundTrip(theta: Double, phi: Double) throws {
        let chart = ScalpChart(head: .adultMan)
        let p = chart.chartPoint(polar: theta, azimuth: phi)
        let back = try #require(chart.surfaceAngles(chartX: p.x, chartY: p.y))
        #expect(abs(back.polar - theta) < 1e-3)
        #expect(abs(back.azimuth - phi) < 1e-9)
    }

    @Test("the scalp's area is plausible and grows with the head")
    func scalpArea() throws {
        let man = ScalpMap(scene: try Self.scene())
        // DOMAIN.md: ~500–650 cm² quoted by clinics, 775 cm² by Behrman.
        #expect((500...700).contains(man.scalpAreaCM2), "\(man.scalpAreaCM2) cm²")
        let large = ScalpMap(scene: try Self.scene("head: { circumferenceMM: 610 }"))
        let ratio = large.scalpAreaCM2 / man.scalpAreaCM2
        let expected = (610 / HeadShape.adultMan.circumferenceMM) * (610 / HeadShape.adultMan.circumferenceMM)
        #expect(abs(ratio / expected - 1) < 0.05, "area ratio \(ratio), expected about \(expected)")
        let areas = man.areaPerRegionCM2
        for region in ScalpRegion.allCases { #expect(areas[region.caseIndex] > 3, "\(region) has \(areas[region.caseIndex]) cm²") }
        #expect(man.region(atXMM: man.whorl.x, yMM: man.whorl.y) == .crown)
        #expect(man.region(atXMM: 0, yMM: man.hairlineCentre.y + 5) == .frontalHairline)
        #expect(man.region(atXMM: 0, yMM: man.hairlineCentre.y - 5) == nil)   // the forehead
    }

    func hair(_ map: ScalpMap, atX x: Double, y: Double) -> Float {
        let column = Int((x - map.bounds.minXMM) / map.cellMM), row = Int((y - map.bounds.minYMM) / map.cellMM)
        return map.hairFraction[row * map.columns + column]
    }

    func weight(_ map: ScalpMap, atX x: Double, y: Double) -> Float {
        let column = Int((x - map.bounds.minXMM) / map.cellMM), row = Int((y - map.bounds.minYMM) / map.cellMM)
        return map.designWeight[row * map.columns + column]
    }

    @Test("hair-loss presets put the loss where the scales say")
    func presets() throws {
        let n7 = ScalpMap(scene: try Self.scene("hairLoss: { pattern: norwood7 }"))
        #expect(hair(n7, atX: 0, y: 0) < 0.01)                                   // the top is bald
        #expect(hair(n7, atX: n7.bounds.maxXMM - 25, y: 10) > 0.99)              // the side fringe keeps its hair
        let vertex = ScalpMap(scene: try Self.scene("hairLoss: { pattern: norwood3vertex }"))
        #expect(hair(vertex, atX: vertex.whorl.x, y: vertex.whorl.y) < 0.01)     // an open crown
        #expect(hair(vertex, atX: 0, y: -20) > 0.99)                             // a bridge of hair in front of it
        #expect(hair(vertex, atX: 0, y: vertex.hairlineCentre.y + 3) < 0.01)     // a receded front behind the new hairline
        let ludwig = ScalpMap(scene: try Self.scene("hairLoss: { pattern: ludwig2 }"))
        #expect(hair(ludwig, atX: 0, y: ludwig.hairlineCentre.y + 3) > 0.99)     // the frontal hairline is kept
        #expect(abs(hair(ludwig, atX: ludwig.whorl.x, y: ludwig.whorl.y) - 0.45) < 0.01)   // diffuse thinning in the crown
    }

    @Test("the design weight: none on the forehead, full on bald scalp, a ramp as wide as the hairline's softness")
    func designWeight() throws {
        let map = ScalpMap(scene: try Self.scene("hairLoss: { pattern: norwood7 }\nhairline: { style: soft, irregularityMM: 0, softnessMM: 10 }"))
        let front = map.hairlineCentre.y
        #expect(weight(map, atX: 0, y: front - 3) == 0)
        #expect(weight(map, atX: 0, y: 0) > 0.99)
        let halfway = weight(map, atX: 0, y: front + 5)
        #expect(halfway > 0.35 && halfway < 0.65, "\(halfway)")
        #expect(weight(map, atX: 0, y: front + 10.5) > 0.97)
        // Far down the full side fringe there are no dots; near the bald top they feather in.
        #expect(weight(map, atX: map.bounds.maxXMM - 25, y: 10) == 0)
    }

    @Test("a scar the plan avoids gets no dots; a camouflaged one does")
    func scars() throws {
        for (treatment, expectsDots) in [("avoid", false), ("camouflage", true)] {
            let scene = try Self.scene("hairLoss: { pattern: norwood7 }\nscars:\n  - { kind: linear, pointsMM: [[-30, -10], [30, -10]], widthMM: 4, treatment: \(treatment) }")
            let map = ScalpMap(scene: scene)
            #expect((weight(map, atX: 0, y: -10) > 0.99) == expectsDots)
            let covered = map.scarCoverage[Int((-10 - map.bounds.minYMM) / map.cellMM) * map.columns + Int((0 - map.bounds.minXMM) / map.cellMM)]
            #expect(covered > 0.99)
            let dots = try DotPlacement.dots(for: scene, on: map)
            let inScar = dots.filter { abs($0.yMM + 10) < 1.5 && abs($0.xMM) < 28 }.count
            #expect((inScar > 0) == expectsDots, "\(treatment): \(inScar) dots in the scar")
        }
    }

    @Test("sessions reach their targets region by region", arguments: ["norwood7", "norwood5"])
    func densityPerRegion(pattern: String) throws {
        let scene = try Self.scene("hairLoss: { pattern: \(pattern) }")
        let map = ScalpMap(scene: scene)
        let report = try DensityReport(scene: scene, map: map, dots: DotPlacement.dots(for: scene, on: map))
        for region in report.regions where region.areaCM2 > 30 {
            for figures in region.sessions where figures.targetDotsPerCM2 > 20 {
                let error = figures.achievedDotsPerCM2 / figures.targetDotsPerCM2 - 1
                #expect(abs(error) < 0.06, "\(region.region) after session \(figures.session): target \(figures.targetDotsPerCM2), achieved \(figures.achievedDotsPerCM2)")
            }
        }
        // Every dot lies on the scalp: the regions account for all of them.
        #expect(report.totalDots == report.regions.reduce(0) { $0 + ($1.sessions.last?.cumulativeDots ?? 0) })
    }

    @Test("every region's case index is its place in allCases, which per-region arrays rely on")
    func regionCaseIndices() {
        #expect(ScalpRegion.allCases.map(\.caseIndex) == Array(ScalpRegion.allCases.indices))
    }
}
