import Foundation
import ImageText
import PhotoIO
import PoissonDisk
import Testing
@testable import SMPEngine

/// `photo.mask.mode`: a painted mask restricts the plan's area or replaces it.
@Suite("Photo: the painted mask")
struct PhotoMaskTests {
    /// Norwood 3: the plan treats the receded temples and leaves the haired top alone.
    static let sceneText = PhotoFitTests.sceneText.replacingOccurrences(of: "pattern: norwood7", with: "pattern: norwood3")

    @Test func modeIsReadAndCheckedByKeyPath() throws {
        let base = PhotoSettingsTests.base + "photo:\n  file: c.jpg\n  landmarks: { glabella: { x: 1, y: 2 }, vertex: { x: 3, y: 4 }, leftTragion: { x: 5, y: 6 }, rightTragion: { x: 7, y: 8 } }\n"
        let replace = try Scene.load(yaml: base + "  mask: { file: m.png, mode: replace }\n  interpupillaryMM: 61\n", file: "p.yaml")
        #expect(replace.photo?.mask == "m.png" && replace.photo?.maskMode == .replace && replace.photo?.interpupillaryMM == 61)
        let plain = try Scene.load(yaml: base + "  mask: m.png\n", file: "p.yaml")
        #expect(plain.photo?.mask == "m.png" && plain.photo?.maskMode == .restrict)
        let error = #expect(throws: SceneError.self) {
            _ = try Scene.load(yaml: base + "  mask: { file: m.png, mode: add }\n  interpupillaryMM: 20\n", file: "p.yaml")
        }
        let issues = error?.issues ?? []
        #expect(issues.contains { $0.keyPath == "photo.mask.mode" && $0.message.contains("restrict, replace") })
        #expect(issues.contains { $0.keyPath == "photo.interpupillaryMM" })
    }

    /// A mask painted over the haired side of the head, which the plan leaves untreated: with
    /// `restrict` the top stays as it was; with `replace` the sessions' dots go there, at each
    /// session's full density per cm² of scalp, and darken it in photo-after; every pixel the
    /// mask leaves black keeps the photo's bytes.
    @Test func replaceTreatsThePaintedArea() throws {
        let setup = try HeadViewRendererTests.Setup(Self.sceneText)
        let head = HeadModel(shape: setup.rendering.scene.head)
        let truth = setup.rendering.camera(.threeQuarter)
        let photo = Photo(width: truth.widthPixels, height: truth.heightPixels,
                          pixels: HeadViewRendererTests.pixels(try setup.view(.threeQuarter, day: nil)))
        let marks = PhotoFitTests.landmarks(seenBy: truth, head: head, chart: setup.map.chart, hairline: setup.rendering.scene.hairline)
        let fit = try PhotoFit.fit(landmarks: marks, head: head, chart: setup.map.chart, hairline: setup.rendering.scene.hairline,
                                   widthPixels: photo.width, heightPixels: photo.height, focalLength35mm: PhotoFitTests.exifFocalLength(of: truth))
        // The painted patch: the haired side of the head above the ear.
        let painted = (columns: 172..<198, rows: 185..<235)
        let mask = (0..<(photo.width * photo.height)).map { i -> UInt8 in
            painted.columns.contains(i % photo.width) && painted.rows.contains(i / photo.width) ? 255 : 0
        }
        let prepared = SceneRendering.PreparedPhoto(photo: photo, fit: fit, mask: mask)
        func after(_ mode: PhotoSettings.MaskMode) throws -> (pixels: [UInt8], dots: [PoissonDot]) {
            var rendering = setup.rendering
            rendering.scene.photo = PhotoSettings(file: "photo.png", landmarks: marks, mask: "mask.png", maskMode: mode)
            let (dots, compositeMask) = try rendering.photoTreatment(prepared, map: setup.map, planDots: setup.dots)
            let before = rendering.chartTexture(map: setup.map, dots: dots, day: nil, surface: setup.surface)
            let after = rendering.chartTexture(map: setup.map, dots: dots, day: setup.afterDay, surface: setup.surface)
            let composite = PhotoComposite(photo: photo, camera: fit.camera, head: head, before: before, after: after, mask: compositeMask,
                                           mark: (RGB8Image(width: 0, height: 0), 0, 0))
            return (PhotoFitTests.pixels(composite), dots)
        }
        let restricted = try after(.restrict), replaced = try after(.replace)
        func meanGreen(_ bytes: [UInt8]) -> Double {
            var sum = 0.0
            for row in painted.rows { for column in painted.columns { sum += Double(bytes[(row * photo.width + column) * 3 + 1]) } }
            return sum / Double(painted.rows.count * painted.columns.count)
        }
        let photoGreen = meanGreen(photo.pixels)
        #expect(abs(meanGreen(restricted.pixels) - photoGreen) < 0.5, "the plan leaves the top untreated")
        #expect(meanGreen(replaced.pixels) < photoGreen - 4, "replaced \(meanGreen(replaced.pixels)), photo \(photoGreen)")
        var changedOutside = 0
        for i in 0..<(photo.width * photo.height) where mask[i] == 0 && replaced.pixels[(3 * i)..<(3 * i + 3)] != photo.pixels[(3 * i)..<(3 * i + 3)] {
            changedOutside += 1
        }
        #expect(changedOutside == 0)
        // Per cm² of scalp: the dots within 5 mm of the chart point under the patch's centre are
        // the design's 100 per cm² (one session at full density).
        let geometry = HeadViewGeometry(camera: fit.camera, head: head)
        let centre = try #require(geometry.sight(x: 185, y: 210, share: 1)).centreMM
        let near = replaced.dots.filter { (($0.xMM - centre.x) * ($0.xMM - centre.x) + ($0.yMM - centre.y) * ($0.yMM - centre.y)) < 25 }
        let perCM2 = Double(near.count) / (Double.pi * 0.25)
        #expect(abs(perCM2 / 100 - 1) < 0.12, "\(perCM2) dots per cm² where the session asks 100")
    }
}
