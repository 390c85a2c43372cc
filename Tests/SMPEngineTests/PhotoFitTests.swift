import Foundation
import ImageText
import PhotoIO
import PoissonDisk
import Testing
@testable import SMPEngine

/// The photo path checked on photos we can trust: head views rendered with a known camera.
@Suite("Photo: the plan fitted to a photo")
struct PhotoFitTests {
    /// A treated Norwood 7 top without specular sheen (a photo's sheen is in the photo; the view's
    /// would differ between before and after and blur the comparison).
    static let sceneText = HeadViewRendererTests.scene(viewPixels: 640).replacingOccurrences(of: "texture: 0 }", with: "texture: 0, shine: 0 }")

    /// The landmarks `camera` sees of the head, where it sees them; the pupils (which the
    /// mannequin does not draw) only when asked.
    static func landmarks(seenBy camera: HeadCamera, head: HeadModel, chart: ScalpChart, hairline: Hairline, pupils: Bool = false)
        -> [PhotoSettings.Landmark: SIMD2<Double>] {
        var marks: [PhotoSettings.Landmark: SIMD2<Double>] = [:]
        for landmark in PhotoSettings.Landmark.allCases where pupils || ![.leftPupil, .rightPupil].contains(landmark) {
            let point = PhotoFit.modelPoint(landmark, head: head, chart: chart, hairline: hairline)
            // Only what the camera sees is marked; the top of the head also where it is the outline.
            let toPoint = point - camera.eye, length = (toPoint * toPoint).sum().squareRoot()
            let first = head.intersect(origin: camera.eye, direction: toPoint / length, edgeSlope: 0).hit?.distanceMM ?? length
            guard first > length - 60 else { continue }
            // The top of the head as a technician marks it: on the outline when the camera is below it.
            marks[landmark] = camera.project(landmark == .vertex ? PhotoFit.vertexModelPoint(camera: camera, head: head) : point)
        }
        return marks
    }

    static func pixels(_ image: some RowImage) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: image.widthPixels * image.heightPixels * 3)
        bytes.withUnsafeMutableBytes { image.renderRows(0..<image.heightPixels, into: $0, rowStride: image.widthPixels * 3) }
        return bytes
    }

    /// `camera`'s focal length as its JPEG's EXIF says it: in 35 mm terms, to the millimetre.
    static func exifFocalLength(of camera: HeadCamera) -> Double {
        PhotoFit.focalLength35mm(focalPixels: camera.focalPixels, widthPixels: camera.widthPixels, heightPixels: camera.heightPixels).rounded()
    }

    static func angleDegrees(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        acos(min(1, (a * b).sum() / ((a * a).sum() * (b * b).sum()).squareRoot())) * 180 / .pi
    }

    // From behind and above, the ears hide behind the parietals: two landmarks, too few to fit.
    @Test(arguments: [HeadViewName.front, .threeQuarter])
    func fitRecoversTheCamera(view: HeadViewName) throws {
        let scene = try Scene.load(yaml: Self.sceneText, file: "photo-test.yaml")
        let rendering = SceneRendering(scene: scene, sceneText: Self.sceneText, threads: 2)
        let head = HeadModel(shape: scene.head), chart = ScalpChart(head: scene.head)
        let truth = rendering.camera(view)
        var marks = Self.landmarks(seenBy: truth, head: head, chart: chart, hairline: scene.hairline)
        #expect(marks.count >= 4)
        // Clicked to a tenth of a pixel.
        marks = marks.mapValues { ($0 * 10).rounded(.toNearestOrAwayFromZero) / 10 }
        let fit = try PhotoFit.fit(landmarks: marks, head: head, chart: chart, hairline: scene.hairline,
                                   widthPixels: truth.widthPixels, heightPixels: truth.heightPixels,
                                   focalLength35mm: Self.exifFocalLength(of: truth))
        let offset = fit.camera.eye - truth.eye
        // Four landmarks (the three-quarter view hides one ear) leave the distance the least sure,
        // along the line of sight.
        #expect((offset * offset).sum().squareRoot() < 6, "eye off by \(offset) mm")
        #expect(Self.angleDegrees(fit.camera.forward, truth.forward) < 1)
        #expect(Self.angleDegrees(fit.camera.up, truth.up) < 1)
        #expect(abs(fit.camera.focalPixels / truth.focalPixels - 1) < 0.015)
        #expect(fit.rmsResidualPixels < 0.5)
        // The head views draw what a camera sees, not a mirror image.
        #expect(!fit.isMirrorImage)
    }

    /// Both ears on one side of the face: no head fits.
    @Test func inconsistentEarsAreRefused() throws {
        let scene = try Scene.load(yaml: Self.sceneText, file: "photo-test.yaml")
        let head = HeadModel(shape: scene.head), chart = ScalpChart(head: scene.head)
        let truth = SceneRendering(scene: scene, sceneText: Self.sceneText).camera(.front)
        var marks = Self.landmarks(seenBy: truth, head: head, chart: chart, hairline: scene.hairline)
        marks[.leftTragion] = marks[.rightTragion]! + SIMD2(12, 40)
        let error = #expect(throws: PhotoFitError.self) {
            _ = try PhotoFit.fit(landmarks: marks, head: head, chart: chart, hairline: scene.hairline,
                                 widthPixels: truth.widthPixels, heightPixels: truth.heightPixels)
        }
        #expect(error?.keyPath.hasPrefix("photo.landmarks") == true)
    }

    @Test func landmarkOutsideThePhotoIsRefused() throws {
        let scene = try Scene.load(yaml: Self.sceneText, file: "photo-test.yaml")
        let head = HeadModel(shape: scene.head), chart = ScalpChart(head: scene.head)
        var marks = Self.landmarks(seenBy: SceneRendering(scene: scene, sceneText: "").camera(.front), head: head, chart: chart,
                                   hairline: scene.hairline)
        marks[.vertex] = SIMD2(320, -40)
        let error = #expect(throws: PhotoFitError.self) {
            _ = try PhotoFit.fit(landmarks: marks, head: head, chart: chart, hairline: scene.hairline, widthPixels: 640, heightPixels: 640)
        }
        #expect(error?.keyPath == "photo.landmarks.vertex")
        #expect(error?.message.contains("outside the 640 × 640 photo") == true)
    }

    /// The head view's before image as the photo: the composite after the fit matches the view's
    /// after image where both see scalp, and leaves every other pixel as the photo had it.
    @Test func compositeMatchesTheViewsAfter() throws {
        let setup = try HeadViewRendererTests.Setup(Self.sceneText)
        let scene = setup.rendering.scene
        let head = HeadModel(shape: scene.head)
        let truth = setup.rendering.camera(.threeQuarter)
        let beforeView = try setup.view(.threeQuarter, day: nil), afterView = try setup.view(.threeQuarter, day: setup.afterDay)
        let photo = Photo(width: truth.widthPixels, height: truth.heightPixels, pixels: HeadViewRendererTests.pixels(beforeView))
        let expected = HeadViewRendererTests.pixels(afterView)
        let marks = Self.landmarks(seenBy: truth, head: head, chart: setup.map.chart, hairline: scene.hairline)
        let fit = try PhotoFit.fit(landmarks: marks, head: head, chart: setup.map.chart, hairline: scene.hairline,
                                   widthPixels: photo.width, heightPixels: photo.height,
                                   focalLength35mm: Self.exifFocalLength(of: truth))
        let before = setup.rendering.chartTexture(map: setup.map, dots: setup.dots, day: nil, surface: setup.surface)
        let after = setup.rendering.chartTexture(map: setup.map, dots: setup.dots, day: setup.afterDay, surface: setup.surface)
        let noMark = (image: RGB8Image(width: 0, height: 0), x: 0, y: 0)
        // As a render does: only the pixels near inked scalp traced.
        let (rows, columns) = PhotoComposite.scalpBox(camera: fit.camera, head: head, width: photo.width, height: photo.height)
        let coverage = PhotoScalpCoverage(camera: fit.camera, head: head, dots: setup.dots, rows: rows, columns: columns)
        let composite = PhotoComposite(photo: photo, camera: fit.camera, head: head, before: before, after: after,
                                       mask: nil, mark: noMark, coverage: coverage)
        let result = Self.pixels(composite)
        var scalpDifference = 0.0, scalpCount = 0, changedOffScalp = 0, darkened = 0
        for row in 0..<photo.height {
            for column in 0..<photo.width {
                let ray = truth.ray(x: Double(column) + 0.5, y: Double(row) + 0.5)
                let hit = head.intersect(origin: truth.eye, direction: ray, edgeSlope: 1 / truth.focalPixels)
                let i = (row * photo.width + column) * 3
                let scalp = hit.hit.map { head.scalpWeight(at: $0.point, active: $0.active) } ?? 0
                if scalp == 0 {
                    if result[i..<(i + 3)] != photo.pixels[i..<(i + 3)] { changedOffScalp += 1 }
                    continue
                }
                guard scalp == 1, !hit.onEdge else { continue }
                for c in 0..<3 { scalpDifference += abs(Double(result[i + c]) - Double(expected[i + c])) }
                scalpCount += 1
                if result[i + 1] < photo.pixels[i + 1] { darkened += 1 }
            }
        }
        #expect(changedOffScalp == 0)
        #expect(scalpCount > 20_000)
        #expect(darkened > scalpCount / 4, "the ink darkens the treated scalp")
        #expect(scalpDifference / Double(3 * scalpCount) < 1.5, "mean difference \(scalpDifference / Double(3 * scalpCount)) levels")

        // A painted mask: black leaves the left third as the photo, white treats the right third
        // as without a mask, grey the middle partly.
        let third = photo.width / 3
        let mask = (0..<(photo.width * photo.height)).map { i -> UInt8 in
            let column = i % photo.width
            return column < third ? 0 : column < 2 * third ? 128 : 255
        }
        let masked = Self.pixels(PhotoComposite(photo: photo, camera: fit.camera, head: head, before: before,
                                                after: after, mask: mask, mark: noMark, coverage: coverage))
        var partial = 0, between = 0
        for row in 0..<photo.height {
            for column in 0..<photo.width {
                let i = (row * photo.width + column) * 3
                if column < third {
                    #expect(masked[i..<(i + 3)] == photo.pixels[i..<(i + 3)])
                } else if column >= 2 * third {
                    #expect(masked[i..<(i + 3)] == result[i..<(i + 3)])
                } else if result[i + 1] + 4 < photo.pixels[i + 1] {
                    partial += 1
                    if masked[i + 1] > result[i + 1] && masked[i + 1] < photo.pixels[i + 1] { between += 1 }
                }
            }
        }
        #expect(partial > 1000 && between > partial * 9 / 10, "\(between) of \(partial) half-masked pixels between photo and full effect")
    }
}

@Suite("Photo: the scene's photo section")
struct PhotoSettingsTests {
    static let base = "name: p\nhead: { circumferenceMM: 570 }\n"

    @Test func readsFileLandmarksAndOptions() throws {
        let text = Self.base + """
            photo:
              file: client.jpg
              landmarks:
                glabella: { x: 400, y: 520.5 }
                leftTragion: { x: 610, y: 600 }
                rightTragion: { x: 190, y: 600 }
                vertex: { x: 400, y: 120 }
              headCircumferenceMM: 600
              mask: mask.png
              markCorner: topLeft
              maxResidualPixels: 12
            """
        let scene = try Scene.load(yaml: text, file: "p.yaml")
        let photo = try #require(scene.photo)
        #expect(photo.file == "client.jpg" && photo.mask == "mask.png" && photo.markCorner == .topLeft && photo.maxResidualPixels == 12)
        #expect(photo.landmarks[.glabella] == SIMD2(400, 520.5) && photo.landmarks.count == 4)
        // The measured circumference sizes the head.
        #expect(abs(scene.head.circumferenceMM - 600) < 0.5)
    }

    @Test func tooFewLandmarksAndBadValuesNameTheirKeys() throws {
        let text = Self.base + """
            photo:
              landmarks:
                glabella: { x: 400, y: 520 }
                vertex: { x: -4, y: 120 }
              markCorner: middle
              shadows: yes
            """
        let error = #expect(throws: SceneError.self) { _ = try Scene.load(yaml: text, file: "p.yaml") }
        let paths = error?.issues.map(\.keyPath) ?? []
        #expect(paths.contains("photo.file"))
        #expect(paths.contains("photo.landmarks"))
        #expect(paths.contains("photo.landmarks.vertex.x"))
        #expect(paths.contains("photo.markCorner"))
        #expect(paths.contains("photo.shadows"))
    }

    @Test func noPhotoSectionIsNil() throws {
        #expect(try Scene.load(yaml: Self.base, file: "p.yaml").photo == nil)
    }
}

@Suite("Photo: hand-marked landmarks")
struct PhotoHandMarkedTests {
    /// A 900 × 1200 portrait crop of a front view (1200 px, 600 mm) with the landmarks marked by
    /// eye on the picture, a few pixels off the model's, the ears as a camera sees them: the fit
    /// takes them.
    @Test func frontPortraitMarkedByEye() throws {
        let shape = HeadShape.adultMan
        let head = HeadModel(shape: shape), chart = ScalpChart(head: shape)
        let marks: [PhotoSettings.Landmark: SIMD2<Double>] = [
            .glabella: SIMD2(450, 445), .leftTragion: SIMD2(687, 549), .rightTragion: SIMD2(213, 549), .vertex: SIMD2(450, 133),
        ]
        let truth = HeadCamera(view: .front, shape: shape, distanceMM: 600, pixels: 1200)
        let truthDistance = (truth.eye * truth.eye).sum().squareRoot()
        // Four landmarks a few pixels off do not hold the camera's distance by themselves (a far
        // camera with a long lens makes nearly the same picture: 13.8 m before the priors); the
        // photo's EXIF focal length (here the truth's, 53 mm in 35 mm terms) does.
        let exif = PhotoFit.focalLength35mm(focalPixels: truth.focalPixels, widthPixels: 900, heightPixels: 1200).rounded()
        let fit = try PhotoFit.fit(landmarks: marks, head: head, chart: chart, hairline: Hairline(heightAboveBrowMM: 72),
                                   widthPixels: 900, heightPixels: 1200, focalLength35mm: exif)
        #expect(abs(fit.distanceMM / truthDistance - 1) < 0.15, "\(fit.distanceMM) mm, truth \(truthDistance) mm")
        #expect(fit.focalFromEXIF)
        #expect(fit.rmsResidualPixels < 15)
        #expect(Self.angle(fit.camera.forward, truth.forward) < 12, "\(Self.angle(fit.camera.forward, truth.forward))°")
        // Marked on a camera's view of the patient (left ear on the image's right): not a
        // mirror image.
        #expect(!fit.isMirrorImage)
    }

    /// A phone's photo (3:4 portrait from 60 cm with a 27 mm lens in 35 mm terms) without EXIF,
    /// four landmarks set a few pixels off by eye: the phone prior holds the distance.
    @Test func phonePhotoWithoutEXIF() throws {
        let shape = HeadShape.adultMan
        let head = HeadModel(shape: shape), chart = ScalpChart(head: shape), hairline = Hairline(heightAboveBrowMM: 72)
        let truth = HeadCamera(eye: SIMD3(0, -600, 10), forward: SIMD3(0, 1, -0.02), up: SIMD3(0, 0, 1), widthPixels: 1200, heightPixels: 1600,
                               focalPixels: PhotoFit.focalPixels(focalLength35mm: 27, widthPixels: 1200, heightPixels: 1600), distanceMM: 600)
        // Where each landmark projects (the ear canals as the ears' outline shows them), a few
        // pixels off.
        let slips: [PhotoSettings.Landmark: SIMD2<Double>] = [.glabella: SIMD2(3, -2), .leftTragion: SIMD2(-4, 3),
                                                              .rightTragion: SIMD2(2, 4), .vertex: SIMD2(-3, -3)]
        var marks: [PhotoSettings.Landmark: SIMD2<Double>] = [:]
        for (landmark, slip) in slips {
            marks[landmark] = try #require(truth.project(PhotoFit.modelPoint(landmark, head: head, chart: chart, hairline: hairline))) + slip
        }
        let fit = try PhotoFit.fit(landmarks: marks, head: head, chart: chart, hairline: hairline, widthPixels: 1200, heightPixels: 1600)
        let truthDistance = (truth.eye * truth.eye).sum().squareRoot()
        #expect(abs(fit.distanceMM / truthDistance - 1) < 0.15, "\(fit.distanceMM) mm, truth \(truthDistance) mm, focal \(fit.focalLength35mm) mm")
        #expect(!fit.focalFromEXIF)
    }

    /// A lens the landmarks cannot agree with (a 400 mm telephoto in the EXIF of a portrait taken
    /// at 60 cm) puts the camera metres away: refused, naming the distances allowed.
    @Test func farCameraIsRefused() throws {
        let shape = HeadShape.adultMan
        let head = HeadModel(shape: shape), chart = ScalpChart(head: shape)
        let marks: [PhotoSettings.Landmark: SIMD2<Double>] = [
            .glabella: SIMD2(450, 445), .leftTragion: SIMD2(687, 549), .rightTragion: SIMD2(213, 549), .vertex: SIMD2(450, 133),
        ]
        let error = #expect(throws: PhotoFitError.self) {
            _ = try PhotoFit.fit(landmarks: marks, head: head, chart: chart, hairline: Hairline(heightAboveBrowMM: 72),
                                 widthPixels: 900, heightPixels: 1200, focalLength35mm: 400)
        }
        #expect(error?.keyPath == "photo.landmarks")
        #expect(error?.message.contains("m from the head; a consultation photo is taken from 0.3 to 1.5 m") == true, "\(String(describing: error))")
    }

    /// The hairline landmark is where the views draw the plan's hairline: its chart point on
    /// the map, through the cranium's chart (`HeadViewGeometry`).
    @Test func hairlineLandmarkIsTheViewsHairline() throws {
        let shape = HeadShape.adultMan
        let head = HeadModel(shape: shape), chart = ScalpChart(head: shape), hairline = Hairline(heightAboveBrowMM: 72)
        let point = PhotoFit.modelPoint(.hairline, head: head, chart: chart, hairline: hairline)
        let camera = HeadCamera(view: .front, shape: shape, distanceMM: 600, pixels: 800)
        let geometry = HeadViewGeometry(camera: camera, head: head)
        let onChart = geometry.chartPoint(point)
        let planned = chart.chartPoint(polar: chart.frontPolar(arcAboveBrowMM: 72), azimuth: -Double.pi / 2)
        #expect(abs(onChart.x - planned.x) < 0.1 && abs(onChart.y - planned.y) < 0.1, "\(onChart) vs \(planned)")
        // And the front view's ray through its pixel sees that chart point.
        let pixel = try #require(camera.project(point))
        let seen = try #require(geometry.sight(x: pixel.x, y: pixel.y, share: 1)).centreMM
        #expect(((seen - planned) * (seen - planned)).sum().squareRoot() < 0.5)
    }

    /// The pupils, `interpupillaryMM` apart, fit with the other landmarks; a mirrored photo (a
    /// selfie) is fitted as one and said to be.
    @Test func pupilsAndASelfie() throws {
        let shape = HeadShape.adultMan
        let head = HeadModel(shape: shape), chart = ScalpChart(head: shape), hairline = Hairline(heightAboveBrowMM: 72)
        let truth = HeadCamera(view: .front, shape: shape, distanceMM: 500, pixels: 1000)
        var model: [PhotoSettings.Landmark: SIMD2<Double>] = [:]
        for landmark in PhotoSettings.Landmark.allCases {
            // The vertex where the outline shows the top of the head.
            model[landmark] = truth.project(landmark == .vertex ? PhotoFit.vertexModelPoint(camera: truth, head: head)
                : PhotoFit.modelPoint(landmark, head: head, chart: chart, hairline: hairline, interpupillaryMM: 66))
        }
        let pupilGap = model[.leftPupil]!.x - model[.rightPupil]!.x
        #expect(pupilGap > 0, "the patient's left pupil is on the image's right")
        let exif = PhotoFit.focalLength35mm(focalPixels: truth.focalPixels, widthPixels: 1000, heightPixels: 1000)
        let fit = try PhotoFit.fit(landmarks: model, head: head, chart: chart, hairline: hairline, widthPixels: 1000, heightPixels: 1000,
                                   focalLength35mm: exif, interpupillaryMM: 66)
        #expect(fit.rmsResidualPixels < 0.5 && !fit.isMirrorImage)
        let mirrored = model.mapValues { SIMD2(1000 - $0.x, $0.y) }
        let selfie = try PhotoFit.fit(landmarks: mirrored, head: head, chart: chart, hairline: hairline, widthPixels: 1000, heightPixels: 1000,
                                      focalLength35mm: exif, interpupillaryMM: 66)
        #expect(selfie.isMirrorImage && selfie.rmsResidualPixels < 0.5)
    }

    static func angle(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { PhotoFitTests.angleDegrees(a, b) }
}
