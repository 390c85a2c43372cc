import Foundation
import Testing
@testable import SMPEngine

/// The head views show what a camera sees, not a mirror: a mark on the patient's right is on
/// the image's left from the front, on its right from behind and from above (as on the map,
/// whose chart x runs to the patient's right), seen by the `right` view and hidden from the
/// `left` one.
@Suite("Head views: the patient's right and left")
struct HeadViewSideTests {
    /// A pale linear scar on the patient's right side of the top of the head, front to back (chart x 50 mm).
    static let scar = "scars:\n  - { kind: linear, pointsMM: [[50, -70], [50, 70]], widthMM: 12, treatment: avoid }\n"

    /// The pixels where the before view `name` of the scene with the scar differs from the one
    /// without: how many lie in the image's left and right halves.
    static func scarInView(_ name: HeadViewName) throws -> (left: Int, right: Int, count: Int) {
        let plain = HeadViewRendererTests.scene(viewPixels: 160)
        let without = try HeadViewRendererTests.Setup(plain), with = try HeadViewRendererTests.Setup(plain + "\n" + scar)
        let a = HeadViewRendererTests.pixels(try without.view(name, day: nil))
        let b = HeadViewRendererTests.pixels(try with.view(name, day: nil))
        var left = 0, right = 0
        for i in stride(from: 0, to: a.count, by: 3) where (0..<3).contains(where: { abs(Int(a[i + $0]) - Int(b[i + $0])) > 2 }) {
            if (i / 3) % 160 < 80 { left += 1 } else { right += 1 }
        }
        return (left, right, left + right)
    }

    @Test(arguments: [(HeadViewName.front, false), (.back, true), (.top, true)])
    func scarOnThePatientsRight(view: HeadViewName, onImageRight: Bool) throws {
        let seen = try Self.scarInView(view)
        #expect(seen.count > 20, "the scar shows in the \(view) view: \(seen.count) pixels")
        // The scar runs over the top a hand's width right of the midline: nearly all on one side.
        let onItsSide = onImageRight ? seen.right : seen.left
        #expect(Double(onItsSide) > 0.9 * Double(seen.count), "\(view): \(seen.left) pixels left, \(seen.right) right")
    }

    @Test func onlyTheRightViewSeesTheRightSide() throws {
        #expect(try Self.scarInView(.right).count > 20)
        #expect(try Self.scarInView(.left).count == 0)
    }

    /// The camera's axes: right-handed in the world (right × up = toward the camera) once the
    /// head frame's handedness (X right, Y back, Z up: left-handed) is accounted for.
    @Test func frontCameraPutsThePatientsRightOnTheImagesLeft() {
        let camera = HeadCamera(view: .front, shape: .adultMan, distanceMM: 600, pixels: 100)
        let right = camera.project(SIMD3(60, 0, 0))!, left = camera.project(SIMD3(-60, 0, 0))!
        #expect(right.x < 50 && left.x > 50)
        let back = HeadCamera(view: .back, shape: .adultMan, distanceMM: 600, pixels: 100)
        #expect(back.project(SIMD3(60, 0, 0))!.x > 50)
    }
}
