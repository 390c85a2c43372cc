import Testing
@testable import SMPEngine

/// The mannequin below the ear line reads as a head: a soft brow ridge over shallow eye
/// hollows, a nose, a chin with the throat set back under it, a neck narrower than the jaw that
/// flares into the shoulders. Measured on the model's surface (where its distance changes
/// sign), in millimetres, for the default man and woman.
@Suite("The mannequin's shape")
struct HeadShapeTests {
    /// The surface's farthest reach along +x (half the breadth) at height `z`, over every depth y
    /// up to `maxY`.
    static func halfWidth(_ head: HeadModel, z: Double, frontOf maxY: Double = 150) -> Double {
        var widest = 0.0
        for y in stride(from: -150.0, through: maxY, by: 2) {
            for x in stride(from: 250.0, through: 0, by: -0.25) where head.distance(SIMD3(x, y, z), active: head.allParts) <= 0 {
                widest = max(widest, x)
                break
            }
        }
        return widest
    }

    /// The surface's frontmost y (the face is toward −y) on the line at (`x`, `z`), nil if the
    /// line misses the head.
    static func front(_ head: HeadModel, x: Double, z: Double) -> Double? {
        for y in stride(from: -200.0, through: 150, by: 0.1) where head.distance(SIMD3(x, y, z), active: head.allParts) <= 0 {
            return y
        }
        return nil
    }

    @Test("the neck below the jaw is narrower than the jaw, and flares into the shoulders at the frame's bottom",
          arguments: [HeadShape.adultMan, .adultWoman])
    func neck(shape: HeadShape) {
        let head = HeadModel(shape: shape)
        let s = shape.earToTopMM / 131
        let jaw = Self.halfWidth(head, z: -65 * s), neck = Self.halfWidth(head, z: -150 * s), shoulders = Self.halfWidth(head, z: -235 * s)
        #expect(neck < 0.9 * jaw, "neck \(2 * neck) mm wide, jaw \(2 * jaw) mm")
        #expect(shoulders > 1.4 * neck, "shoulders \(2 * shoulders) mm wide, neck \(2 * neck) mm")
    }

    @Test("in profile the throat is set back under the chin: the jaw's underside, not a pole, joins them",
          arguments: [HeadShape.adultMan, .adultWoman])
    func chinAndThroat(shape: HeadShape) throws {
        let head = HeadModel(shape: shape)
        let s = shape.earToTopMM / 131
        let chin = try #require(Self.front(head, x: 0, z: -95 * s))
        let throat = try #require(Self.front(head, x: 0, z: -150 * s))
        #expect(throat - chin > 35 * s, "throat \(throat - chin) mm behind the chin")
    }

    @Test("the brow ridge follows the forehead's curve into the temples (no bar standing off it), and the jaw narrows below the cheekbones",
          arguments: [HeadShape.adultMan, .adultWoman])
    func browAndJawOutline(shape: HeadShape) throws {
        let head = HeadModel(shape: shape)
        let sx = shape.sideToSideMM / 77, sz = shape.earToTopMM / 131
        // A brow follows the forehead's curve: above the eye's outer half it stands off the
        // forehead (the vault's own surface) about as far as over the inner half. A bar straight
        // across stands off more and more toward its ends (more than twice as far at 38 mm).
        func proud(_ x: Double) throws -> Double {
            let surface = try #require(Self.front(head, x: x * sx, z: 20 * sz))
            let vault = try #require(stride(from: -200.0, through: 150, by: 0.1).first { head.partDistance(SIMD3(x * sx, $0, 20 * sz), 0) <= 0 })
            return vault - surface
        }
        let inner = try proud(15), outer = try proud(38)
        #expect(outer < 1.6 * inner, "the brow stands \(outer) mm off the forehead above the eye's outer half, \(inner) mm above its inner half")
        // The face's outline from the front (the ears left out): the jaw at the mouth's level
        // well inside the cheekbones' breadth (bigonial about 75 % of bizygomatic), not the
        // vault's breadth carried down.
        let cheeks = Self.halfWidth(head, z: -20 * sz, frontOf: -40), jaw = Self.halfWidth(head, z: -62 * sz, frontOf: -40)
        #expect(jaw < 0.88 * cheeks, "jaw \(2 * jaw) mm, cheekbones \(2 * cheeks) mm")
    }

    @Test("a brow ridge stands forward of the eye hollows, the nose forward of both",
          arguments: [HeadShape.adultMan, .adultWoman])
    func browEyesNose(shape: HeadShape) throws {
        let head = HeadModel(shape: shape)
        let sx = shape.sideToSideMM / 77, sz = shape.earToTopMM / 131
        let brow = try #require(Self.front(head, x: 31 * sx, z: 22 * sz))
        let hollow = try #require(Self.front(head, x: 31 * sx, z: 3 * sz))
        let nose = try #require(Self.front(head, x: 0, z: -22 * sz))
        #expect(hollow - brow > 4 && hollow - brow < 15, "eye hollow \(hollow - brow) mm behind the brow")
        #expect(hollow - nose > 15, "nose \(hollow - nose) mm forward of the eye hollow")
    }
}
