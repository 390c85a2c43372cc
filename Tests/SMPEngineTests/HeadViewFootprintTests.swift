import Foundation
import Testing
@testable import SMPEngine

@Suite("Head views: a pixel's chart footprint from the chart's derivatives")
struct HeadViewFootprintTests {
    /// Every pixel of `view` whose ray meets the scalp on the chart, not at a grazing angle: the
    /// footprint of `share` of it from the chart's derivatives and the one from the chart
    /// points of the differentials' ends. At grazing angles (the outline's pixels, which are
    /// supersampled) the differentials reach the tangent plane hundreds of millimetres away and
    /// the chart points there say nothing of the footprint. Past the chart's rim the chart is
    /// held (and the texture fades out), so a footprint that crosses the rim (its centre or
    /// either differential's end past it: the mannequin's nape and ears blend in right there)
    /// has its mapped ends on the held ρ and says nothing either; the derivatives are the right
    /// ones there. Every other scalp pixel counts, blended ones (scalp weight under 1) included.
    static func footprints(_ view: HeadViewRenderer, share: Double) -> [(derived: (SIMD2<Double>, SIMD2<Double>, SIMD2<Double>),
                                                           mapped: (SIMD2<Double>, SIMD2<Double>, SIMD2<Double>))] {
        var result: [((SIMD2<Double>, SIMD2<Double>, SIMD2<Double>), (SIMD2<Double>, SIMD2<Double>, SIMD2<Double>))] = []
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                let x = Double(column) + 0.5, y = Double(row) + 0.5
                guard let hit = view.geometry.hit(x: x, y: y, edgeSlope: 0).hit,
                      view.head.scalpWeight(at: hit.point, active: hit.active) > 0,
                      -(hit.normal * view.camera.ray(x: x, y: y)).sum() > 0.1 else { continue }
                let (acrossEnd, downEnd) = view.geometry.differentials(of: hit, x: x, y: y, share: share)
                let rim = view.head.cranium.chart.maximumPolar
                guard [hit.point, acrossEnd, downEnd].allSatisfy({ view.head.surfaceAngles(of: $0).polar < rim }) else { continue }
                let derived = view.geometry.footprint(of: hit, x: x, y: y, share: share)
                let mapped = view.geometry.footprintByChartPoints(of: hit, x: x, y: y, share: share)
                result.append(((derived.centre, derived.across, derived.down), (mapped.centre, mapped.across, mapped.down)))
            }
        }
        return result
    }

    static func length(_ v: SIMD2<Double>) -> Double { (v * v).sum().squareRoot() }

    /// Per scalp pixel of `view`, the larger of the two edges' differences between the derived
    /// and the mapped footprint of `share` of a pixel, relative to the footprint's longer edge
    /// (a foreshortened edge near the outline is short; its error counts against what the
    /// filter spans), sorted; the centres are expected to be the same bits.
    static func relativeErrors(_ view: HeadViewRenderer, share: Double) -> [Double] {
        var errors: [Double] = []
        for (derived, mapped) in footprints(view, share: share) {
            #expect(derived.0 == mapped.0)
            let scale = max(length(mapped.1), length(mapped.2))
            errors.append(max(length(derived.1 - mapped.1), length(derived.2 - mapped.2)) / scale)
        }
        return errors.sorted()
    }

    @Test("the derived footprint is the mapped one's limit: for a fiftieth of a pixel they agree within 0.6 % (99 % of pixels within 0.2 %), the centres bit for bit")
    func derivedIsTheDerivative() throws {
        let setup = try HeadViewRendererTests.Setup(HeadViewRendererTests.scene(viewPixels: 240))
        for name in [HeadViewName.top, .front, .left, .crown] {
            let errors = Self.relativeErrors(try setup.view(name, day: nil), share: 0.02)
            #expect(errors.count > 2000, "\(name): \(errors.count) scalp pixels")
            let p99 = errors[errors.count * 99 / 100], worst = errors.last!
            // Where the face blends into the forehead the surface bends within the footprint's
            // reach more than the vault does: single pixels there reach about 0.5 %.
            #expect(p99 < 0.002 && worst < 0.006, "\(name): 99th percentile \(p99), worst \(worst) of \(errors.count)")
        }
    }

    @Test("a treated patch's mean tone in the top view is the same with the derived footprint as with the mapped one, within 0.2 %")
    func treatedPatchTone() throws {
        let setup = try HeadViewRendererTests.Setup(HeadViewRendererTests.scene(viewPixels: 400))
        let view = try setup.view(.top, day: setup.afterDay)
        let weights = SIMD3<Float>(0.2126, 0.7152, 0.0722)
        var derivedSum = 0.0, mappedSum = 0.0, count = 0, largest: Float = 0
        // 80 × 80 pixels at the centre: about 50 × 50 mm of the treated top.
        for row in 160..<240 {
            for column in 160..<240 {
                let x = Double(column) + 0.5, y = Double(row) + 0.5
                let (hit, _, direction) = view.geometry.hit(x: x, y: y, edgeSlope: 0)
                let found = try #require(hit, "the ray at (\(x), \(y)) misses the top of the head")
                let derived = view.sample(found, direction: direction, x: x, y: y, footprint: 1)
                #expect(derived.scalpWeight == 1)
                var mapped = derived
                (mapped.centre, mapped.across, mapped.down) = view.geometry.footprintByChartPoints(of: found, x: x, y: y, share: 1)
                let a = (view.shade(derived) * weights).sum(), b = (view.shade(mapped) * weights).sum()
                derivedSum += Double(a)
                mappedSum += Double(b)
                largest = max(largest, abs(a - b) / b)
                count += 1
            }
        }
        #expect(abs(derivedSum / mappedSum - 1) < 0.002, "mean luminance \(derivedSum / Double(count)) vs \(mappedSum / Double(count))")
        // No pixel's dot moves or vanishes: each pixel within a few per cent of its old value.
        #expect(largest < 0.03, "largest change of one pixel's luminance: \(largest)")
    }
}
