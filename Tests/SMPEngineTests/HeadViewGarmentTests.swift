import Foundation
import Testing
@testable import SMPEngine

/// The shoulders wear a plain garment: a matte neutral grey, darker than the background, so
/// the head stands out; the neck above its neckline stays skin.
@Suite("Head views: the shoulders in a plain garment")
struct HeadViewGarmentTests {
    @Test("the shoulders are neutral grey below the background's tone; the neck is skin", arguments: [HeadViewName.front, .top])
    func shouldersDressed(_ name: HeadViewName) throws {
        let setup = try HeadViewRendererTests.Setup(HeadViewRendererTests.scene(viewPixels: 240))
        let view = try setup.view(name, day: nil)
        let bytes = HeadViewRendererTests.pixels(view)
        let background = HeadViewRenderer.backgroundColor
        var garment = 0, neck = 0
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                let (hit, onEdge, _) = view.geometry.hit(x: Double(column) + 0.5, y: Double(row) + 0.5, edgeSlope: 1 / view.camera.focalPixels)
                guard let hit, !onEdge else { continue }
                let weight = view.head.shouldersWeight(at: hit.point, active: hit.active)
                let i = 3 * (row * view.widthPixels + column)
                let (r, g, b) = (Int(bytes[i]), Int(bytes[i + 1]), Int(bytes[i + 2]))
                if weight > 0.99 {
                    garment += 1
                    #expect(abs(r - b) <= 4 && abs(r - g) <= 4, "a garment pixel (\(column), \(row)) is \(r), \(g), \(b)")
                    #expect(g < Int(background.green) - 30, "a garment pixel (\(column), \(row)) is \(g) against the background's \(background.green)")
                } else if weight == 0, hit.point.z < -100, view.head.scalpWeight(at: hit.point, active: hit.active) == 0 {
                    neck += 1
                    #expect(r > b + 20, "a neck pixel (\(column), \(row)) is skin, not grey: \(r), \(g), \(b)")
                }
            }
        }
        #expect(garment > 200, "\(garment) garment pixels")
        #expect(name == .top || neck > 200, "\(neck) neck pixels")
    }
}
