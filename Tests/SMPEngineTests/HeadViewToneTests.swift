import Foundation
import Testing
@testable import SMPEngine

/// Treated scalp reads as the same shade from every side: the darkening SMP brings (after
/// against before, which divides out the light's angle) of one patch of the crown is the same
/// whether the camera sees it face on (crown), from above (top) or at a slant (back), so the
/// key light's angle and the texture's footprint do not change how dark a plan looks. (A
/// treated crown lighter than the fringe's stubble in a view is then the plan's, as on the map:
/// Norwood 7's plan darkens its bald top by 0.14, its stubble darkens the fringe by 0.22.)
@Suite("Head views: the same treated patch, the same darkening from every side")
struct HeadViewToneTests {
    static let scene = """
        name: tone-test
        seed: 7007
        head: { sex: man, lengthMM: 202, breadthMM: 158, earToTopMM: 134 }
        skin: { fitzpatrick: III, shine: 0.5 }
        hairLoss: { pattern: norwood7 }
        hairline: { style: soft, heightAboveBrowMM: 78 }
        design: { dotsPerCM2: 80 }
        sessions:
          - { day: 0, densityFactor: 1.0, dilution: 0.3, needle: { diameterMM: 0.18, configuration: single } }
        render: { pixelsPerMM: 10, viewPixels: 400 }
        """

    @Test("a crown patch darkens by the same fraction (within 5 %) in the crown, top and back views")
    func crownDarkeningAgrees() throws {
        let setup = try HeadViewRendererTests.Setup(Self.scene)
        // Points of the crown's treated scalp, 0.35–0.6 rad from the top toward the back, a
        // patch some 30 × 12 mm (about 300 dots), sampled more finely than a pixel so that each
        // view averages all of it.
        let head = HeadModel(shape: setup.rendering.scene.head)
        var patch: [SIMD3<Double>] = []
        for i in 0..<48 {
            for j in 0..<48 {
                let polar = 0.35 + 0.25 * Double(i) / 47, azimuth = Double.pi / 2 + 0.3 * (Double(j) / 47 - 0.5)
                patch.append(head.cranium.point(polar: polar, azimuth: azimuth))
            }
        }
        let names = [HeadViewName.crown, .top, .back]
        var views: [HeadViewName: (before: HeadViewRenderer, after: HeadViewRenderer)] = [:]
        for name in names { views[name] = (try setup.view(name, day: nil), try setup.view(name, day: setup.afterDay)) }
        // The back view's camera, at eye level, sees the patch's upper rows on the head's
        // outline, where a pixel is part head, part background (which no plan darkens): those
        // pixels darken less for that, not for any shading (with them, the back view's patch
        // darkened 0.100 against the crown view's 0.113; without them, 0.109 against 0.111).
        // The same points in every view: those every camera sees within 84° of their normal.
        let points = try patch.filter { point in
            let normal = head.craniumNormal(at: point)
            return try names.allSatisfy { name in
                let eye = try #require(views[name]).before.camera.eye
                let toEye = eye - point
                return (normal * toEye).sum() / (toEye * toEye).sum().squareRoot() > 0.1
            }
        }
        #expect(points.count > patch.count / 2, "\(points.count) of the patch's \(patch.count) points seen off grazing in every view")
        var darkening: [HeadViewName: Double] = [:]
        for name in names {
            let (before, after) = try #require(views[name])
            let beforeBytes = HeadViewRendererTests.pixels(before), afterBytes = HeadViewRendererTests.pixels(after)
            var sumBefore = 0.0, sumAfter = 0.0
            for point in points {
                let pixel = try #require(before.camera.project(point))
                let x = Int(pixel.x), y = Int(pixel.y)
                sumBefore += HeadViewRendererTests.luminance(beforeBytes, width: before.widthPixels, x: x, y: y)
                sumAfter += HeadViewRendererTests.luminance(afterBytes, width: after.widthPixels, x: x, y: y)
            }
            darkening[name] = 1 - sumAfter / sumBefore
        }
        let crown = try #require(darkening[.crown]), top = try #require(darkening[.top]), back = try #require(darkening[.back])
        #expect(crown > 0.05, "the treated crown darkens by \(crown)")
        #expect(abs(top - crown) < 0.05 * crown, "crown view \(crown), top view \(top)")
        #expect(abs(back - crown) < 0.05 * crown, "crown view \(crown), back view \(back)")
    }
}
