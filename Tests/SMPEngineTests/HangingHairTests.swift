import Foundation
import Testing
@testable import SMPEngine

/// Long hair falls: from the front, a woman's 250 mm hair hangs over her ears, framing the face
/// with a curved edge and ending unevenly; hair of 60 mm stays on the vault, above the ear canal.
@Suite("Head views: long hair that falls")
struct HangingHairTests {
    /// A woman's head with hair `lengthMM` long, untreated.
    static func scene(lengthMM: Double, viewPixels: Int = 200) -> String {
        """
        name: hair-test
        seed: 19
        head: { sex: woman, circumferenceMM: 550 }
        skin: { monk: 3, texture: 0 }
        hairLoss: { pattern: ludwig2 }
        hairline: { style: soft, heightAboveBrowMM: 56 }
        existingHair: { hairsPerCM2: 190, color: "#5a4030", stubbleLengthMM: 8, lengthMM: \(lengthMM) }
        design: { dotsPerCM2: 70 }
        sessions:
          - { day: 0, densityFactor: 1, dilution: 0.5, needle: { diameterMM: 0.18, configuration: single } }
        render: { pixelsPerMM: 10, viewPixels: \(viewPixels) }
        """
    }

    /// Per pixel of `view`, the opacity of the hanging hair in front of its (first) ray; 0 for
    /// none or the background.
    static func hangingOpacities(_ view: HeadViewRenderer) -> [Float] {
        let band = view.trace(rows: 0..<view.heightPixels)
        return band.first.map { $0 >= 0 ? band.hangingOpacity(ofSample: Int($0)) : 0 }
    }

    /// The pixels of the front view whose ray meets an ear (its surface within a millimetre of
    /// an ear's part) when the hair is short.
    static func earPixels(_ view: HeadViewRenderer) -> [Int] {
        let head = view.head
        let ears = head.parts.indices.filter { head.parts[$0].height == nil && abs(head.parts[$0].centre.x) > 40 && head.parts[$0].radii.z > 20 }
        var pixels: [Int] = []
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                let (hit, _, _) = view.geometry.hit(x: Double(column) + 0.5, y: Double(row) + 0.5, edgeSlope: 0)
                guard let hit, ears.contains(where: { HeadModel.distance(hit.point, to: head.parts[$0]) < 1 }) else { continue }
                pixels.append(row * view.widthPixels + column)
            }
        }
        return pixels
    }

    @Test("250 mm hair hangs over the ears in the front view: where the short hair's view shows an ear, hair")
    func longHairCoversTheEars() throws {
        let short = try HeadViewRendererTests.Setup(Self.scene(lengthMM: 8))
        let long = try HeadViewRendererTests.Setup(Self.scene(lengthMM: 250))
        let shortView = try short.view(.front, day: nil), longView = try long.view(.front, day: nil)
        #expect(shortView.hanging == nil)
        let ears = Self.earPixels(shortView)
        #expect(ears.count > 40, "the short hair's front view shows the ears: \(ears.count) pixels")
        // What a patient sees there is hair: dark brown, not the ear's skin tone. The hair is open
        // in front of the face (`frontCutYMM`), so the ear's front rim beside the cheek may show.
        let bytes = HeadViewRendererTests.pixels(longView), shortBytes = HeadViewRendererTests.pixels(shortView)
        let width = longView.widthPixels
        var darker = 0
        for pixel in ears {
            let x = pixel % width, y = pixel / width
            let hair = HeadViewRendererTests.luminance(bytes, width: width, x: x, y: y)
            let ear = HeadViewRendererTests.luminance(shortBytes, width: width, x: x, y: y)
            if hair < 0.6 * ear && bytes[3 * pixel] > bytes[3 * pixel + 2] { darker += 1 }
        }
        #expect(Double(darker) > 0.8 * Double(ears.count), "\(darker) of \(ears.count) ear pixels hair-coloured")
    }

    @Test("250 mm hair falls well below the ear canal at the sides and the back; 60 mm hair does not reach below it")
    func lengthSetsHowFarItFalls() throws {
        let long = try HeadViewRendererTests.Setup(Self.scene(lengthMM: 250))
        for name in [HeadViewName.left, .back] {
            let view = try long.view(name, day: nil)
            let hanging = try #require(view.hanging)
            // Ends at the shoulders or above them, below the vault's widest level all round.
            #expect(hanging.endZMM.min()! >= hanging.shoulderZMM && hanging.endZMM.max()! < hanging.inner.centre.z)
            // 250 mm from the parting over the vault leaves the hair about 90 mm below the ear
            // canal: a chin-length bob. Well below the ear canal (60 mm), a band of hair.
            let level = try #require(view.camera.project(SIMD3(0, 0, -60)))
            let opacities = Self.hangingOpacities(view)
            let below = opacities.indices.filter { Double($0 / view.widthPixels) > level.y && opacities[$0] > 0.9 }
            #expect(below.count > 100, "\(name): \(below.count) hair pixels 60 mm below the ear canal")
        }
        let medium = try HeadViewRendererTests.Setup(Self.scene(lengthMM: 60))
        for name in [HeadViewName.front, .left, .back] {
            let view = try medium.view(name, day: nil)
            let canal = try #require(view.camera.project(SIMD3(view.head.shape.sideToSideMM, 0, 0)))
            let opacities = Self.hangingOpacities(view)
            let below = opacities.indices.filter { $0 / view.widthPixels > Int(canal.y.rounded(.up)) && opacities[$0] > 0 }
            #expect(below.isEmpty, "\(name): \(below.count) pixels of hanging hair below the ear canal")
        }
    }

    @Test("250 mm hair frames the face with a curved front edge, and ends unevenly lock by lock, not in comb teeth")
    func edgeAndEnds() throws {
        let long = try HeadViewRendererTests.Setup(Self.scene(lengthMM: 250, viewPixels: 300))
        // From the side: the hair's pixel nearest the face in each row from 40 mm above the ear
        // canal to 40 mm below it; the edge's distance from the face changes down the height.
        let side = try long.view(.left, day: nil)
        let width = side.widthPixels
        let face = try #require(side.camera.project(SIMD3(0, -100, 0))).x, canal = try #require(side.camera.project(SIMD3(0, 0, 0))).x
        let towardFace = face < canal ? -1 : 1
        let top = Int(try #require(side.camera.project(SIMD3(0, 0, 40))).y), bottom = Int(try #require(side.camera.project(SIMD3(0, 0, -40))).y)
        var opacities = Self.hangingOpacities(side)
        var edges: [Double] = []
        for row in top...bottom {
            let columns = (0..<width).filter { opacities[row * width + $0] > 0.5 }
            guard let edge = towardFace < 0 ? columns.min() : columns.max() else { continue }
            edges.append(Double(edge))
        }
        #expect(edges.count > (bottom - top) / 2, "hair beside the face in \(edges.count) rows")
        let spreadMM = ((edges.max() ?? 0) - (edges.min() ?? 0)) / side.camera.pixelsPerMMAtTarget
        #expect(spreadMM > 8, "the front edge moves \(spreadMM) mm over 80 mm of height: a straight cut")
        // From behind: the lowest hair pixel of each column across the middle of the back. The
        // ends vary (locks) but neighbouring columns mostly agree (no teeth a strand wide).
        let back = try long.view(.back, day: nil)
        opacities = Self.hangingOpacities(back)
        let backWidth = back.widthPixels
        var ends: [Int] = []
        for column in (backWidth * 2 / 5)..<(backWidth * 3 / 5) {
            let rows = (0..<back.heightPixels).filter { opacities[$0 * backWidth + column] > 0.5 }
            if let lowest = rows.max() { ends.append(lowest) }
        }
        let jumps = zip(ends, ends.dropFirst()).map { abs($0 - $1) }
        let rangeMM = Double((ends.max() ?? 0) - (ends.min() ?? 0)) / back.camera.pixelsPerMMAtTarget
        #expect(rangeMM > 3, "the ends lie within \(rangeMM) mm: a straight line")
        #expect(jumps.filter { Double($0) / back.camera.pixelsPerMMAtTarget > 4 }.count * 10 < jumps.count,
                "neighbouring columns' ends jump more than 4 mm in \(jumps.filter { Double($0) / back.camera.pixelsPerMMAtTarget > 4 }.count) of \(jumps.count)")
    }

    @Test("from above, the hair hanging beside the head hides what is below it: no background through its ring, none at the front corners")
    func ringSeenFromAbove() throws {
        let long = try HeadViewRendererTests.Setup(Self.scene(lengthMM: 250))
        let view = try long.view(.top, day: nil)
        let band = view.trace(rows: 0..<view.heightPixels)
        // Pixels (not on an outline) whose ray meets the hanging hair and no head: the locks
        // beside the head, seen down their length. A full head of hair is opaque there.
        var beside = 0, seeThrough = 0
        for pixel in band.first.indices where band.first[pixel] >= 0 && !band.isEdge[pixel] {
            let index = Int(band.first[pixel])
            guard band.samples[index].scalpWeight < 0, band.hangingOpacity(ofSample: index) > 0 else { continue }
            beside += 1
            if band.hangingOpacity(ofSample: index) < 0.95 { seeThrough += 1 }
        }
        #expect(beside > 500, "\(beside) pixels of hair beside the head")
        #expect(seeThrough * 25 < beside, "\(seeThrough) of \(beside) pixels beside the head show the background through the hair")
    }

    @Test("the front edge's face turns up where the edge comes forward lower down, out where it rounds off across the hair")
    func frontEdgeNormal() throws {
        let long = try HeadViewRendererTests.Setup(Self.scene(lengthMM: 250))
        let hair = try #require(try long.view(.front, day: nil).hanging)
        // Beside the cheek (45 mm below the ear line, where the edge comes forward fastest) on
        // the left: at the hair's inside, its middle and its outside.
        let z = hair.inner.centre.z - 45
        var previousOutward = -1.0
        for depth in [0.2, 0.5, 0.85] {
            // The point on the edge `depth` of the way from the inner bullet to the outer one.
            let size = 1 + depth * hair.thicknessMM / hair.inner.radii.x
            var p = SIMD3(0, hair.frontCutYMM, z)
            for _ in 0..<40 {
                let u = (p.y - hair.inner.centre.y) / hair.inner.radii.y
                p.x = -hair.inner.radii.x * max(size * size - u * u, 0).squareRoot()
                p.y = hair.cutY(at: p)
            }
            let n = hair.cutNormal(at: p)
            #expect(abs((n * n).sum() - 1) < 1e-9)
            #expect(n.y < -0.5, "the edge faces the face: \(n) at depth \(depth)")
            #expect(n.z > 0.05, "and up, the hair below it coming forward: \(n) at depth \(depth)")
            // Out to the side (−x on the left), more so toward the hair's outside.
            #expect(-n.x >= previousOutward, "\(n) at depth \(depth)")
            previousOutward = -n.x
        }
        #expect(previousOutward > 0.3, "the outer locks' ends turn out to the side: \(previousOutward)")
    }

    @Test("long hair's views do not depend on the thread count or the band split")
    func reproducible() throws {
        let text = Self.scene(lengthMM: 250, viewPixels: 180)
        let one = try HeadViewRendererTests.Setup(text, threads: 1), three = try HeadViewRendererTests.Setup(text, threads: 3)
        for name in [HeadViewName.front, .left, .threeQuarter, .crown] {
            let a = HeadViewRendererTests.pixels(try one.view(name, day: one.afterDay), band: 16, threads: 1)
            let b = HeadViewRendererTests.pixels(try three.view(name, day: three.afterDay), band: 7, threads: 3)
            #expect(a == b, "\(name)")
            let traced = try three.view(name, day: nil).traced(threads: 3)
            #expect(HeadViewRendererTests.pixels(traced, band: 5, threads: 2) == HeadViewRendererTests.pixels(try one.view(name, day: nil)), "\(name) traced")
        }
    }
}
