import Foundation
import ImageText
import PhotoIO
import PNGIO
import PoissonDisk

/// The plan on the client's own photo (the scene's `photo:`): `photo-before`, `photo-after`,
/// `photo-session-K` (just after each session) and `photo-comparison` (before | after).
extension SceneRendering {
    /// A scene's photo, read and fitted, and its mask: everything that can refuse the photo,
    /// done before any file is written.
    public struct PreparedPhoto: Sendable {
        public let photo: Photo
        public let fit: PhotoFit
        /// One grey value per photo pixel; nil: no mask.
        public let mask: [UInt8]?
        /// The pixels past the photo's head where the fitted scalp spills a little over it (within
        /// `outlineTolerancePixels`): the composite leaves them as the photo. nil: none.
        public var clip: PhotoOutlineClip? = nil
        /// What the outline check saw of the photo's head (nil: not checked).
        public var outline: PhotoOutlineCheck? = nil
    }

    /// How far the fitted scalp may reach past the head the photo shows before the photo is
    /// refused, pixels: 4 % of the landmarks' spread (about 6 mm of head; the landmarks'
    /// residual limit too), at least 8 px. The edge is found within half a pixel of the
    /// silhouette, but a fit to landmarks marked by eye draws the scalp's outline a few pixels
    /// off it (the vertex, marked at the outline's top, pulls the head up: 5-6 px on the 640 px
    /// fixture's true lens), so a tighter limit refuses good fits. Below it, a spill of more
    /// than `outlineClipPixels` is clipped.
    static func outlineTolerancePixels(landmarks: [PhotoSettings.Landmark: SIMD2<Double>]) -> Double {
        max(8, 0.04 * PhotoFit.maximumDistance(Array(landmarks.values)))
    }

    /// The spill (pixels) past which the pixels beyond the photo's edge are kept as the photo.
    /// The edge is found to within half a pixel of the silhouette (the 640 px fixture's true
    /// camera measures 0 ± 0.4 px), so a spill of more than a pixel is ink on the background:
    /// the photo-like case's fit spilled 2-3 px on single rays along the sides (a grey sliver
    /// on the wall) while the old limit (4 px on two neighbouring rays) let it through.
    static let outlineClipPixels = 1.0

    /// Does the selection (nil: everything) write any photo output? A close-up scene
    /// (`render.crop`) leaves the photo out unless it is asked for by name or `photo`.
    func wantsPhoto(_ selected: [String]?) -> Bool {
        guard scene.photo != nil else { return false }
        guard let selected else { return scene.render.crop == nil }
        return selected.contains { $0 == "photo" || $0.hasPrefix("photo-") }
    }

    /// Reads the photo (relative to `sceneFolder`; at most half the pixels an image may have,
    /// since the comparison is twice the photo), fits the head to its landmarks and reads the
    /// mask. Throws `PhotoError` for a photo that cannot be read (`unreadable`: missing) and
    /// `SceneError` for a fit refused or a mask that does not match.
    public func preparePhoto(sceneFolder: URL?) throws -> PreparedPhoto? {
        guard let settings = scene.photo else { return nil }
        func resolve(_ file: String) -> URL {
            file.hasPrefix("/") ? URL(fileURLWithPath: file)
                : (sceneFolder ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).appendingPathComponent(file)
        }
        let photo = try PhotoReader.read(url: resolve(settings.file), maxPixels: max(1, limits.pixelsPerImage / 2))
        let head = HeadModel(shape: scene.head)
        let fit: PhotoFit
        do {
            let chart = ScalpChart(head: scene.head)
            if let focal = settings.focalLength35mm ?? photo.focalLength35mm {
                fit = try PhotoFit.fit(landmarks: settings.landmarks, head: head, chart: chart, hairline: scene.hairline,
                                       widthPixels: photo.width, heightPixels: photo.height, maxResidualPixels: settings.maxResidualPixels,
                                       focalLength35mm: focal, interpupillaryMM: settings.interpupillaryMM,
                                       focalSource: settings.focalLength35mm == nil ? .exif : .scene)
            } else {
                fit = try PhotoFit.fitWithOutline(landmarks: settings.landmarks, head: head, chart: chart, hairline: scene.hairline,
                                                  photo: photo, maxResidualPixels: settings.maxResidualPixels,
                                                  interpupillaryMM: settings.interpupillaryMM)
            }
        } catch {
            throw SceneError.invalid(file: scene.name, issues: [SceneIssue(line: 0, column: 0, keyPath: error.keyPath, message: error.message)])
        }
        let (clip, outline) = try checkOutline(photo: photo, fit: fit, head: head, landmarks: settings.landmarks)
        var mask: [UInt8]?
        if let maskFile = settings.mask {
            let url = resolve(maskFile)
            let image: Photo
            do {
                image = try PhotoReader.read(url: url, maxPixels: max(1, limits.pixelsPerImage / 2))
            } catch {
                let photoError: PhotoError = error
                if photoError.kind == .unreadable { throw photoError }
                throw SceneError.invalid(file: scene.name, issues: [SceneIssue(line: 0, column: 0, keyPath: "photo.mask", message: photoError.description)])
            }
            guard image.width == photo.width, image.height == photo.height else {
                throw SceneError.invalid(file: scene.name, issues: [SceneIssue(
                    line: 0, column: 0, keyPath: "photo.mask",
                    message: "the mask \(url.path) is \(image.width) × \(image.height) pixels; it must be the photo's size, \(photo.width) × \(photo.height) (white treat, black leave, grey partial)")])
            }
            // The green channel stands for grey (a painted mask is grey anyway).
            mask = (0..<(photo.width * photo.height)).map { image.pixels[3 * $0 + 1] }
        }
        return PreparedPhoto(photo: photo, fit: fit, mask: mask, clip: clip, outline: outline)
    }

    /// Refuses a fit whose scalp outline reaches past the photo's head by more than
    /// `outlineTolerancePixels` (the composite would ink the background); a smaller spill is
    /// returned as the clip that keeps the background the photo's, with what the check saw.
    func checkOutline(photo: Photo, fit: PhotoFit, head: HeadModel,
                      landmarks: [PhotoSettings.Landmark: SIMD2<Double>]) throws -> (PhotoOutlineClip?, PhotoOutlineCheck) {
        let outline = PhotoFit.outline(of: photo, camera: fit.camera, head: head, landmarks: landmarks)
        let tolerance = Self.outlineTolerancePixels(landmarks: landmarks)
        guard let worst = outline.worstSpill, worst.pixels > tolerance else {
            return (outline.clip(minimumPixels: Self.outlineClipPixels), outline.check)
        }
        let point = outline.point(of: worst.sample)
        let lens = switch fit.focalSource {
        case .exif: "the photo's EXIF"
        case .scene: "photo.focalLength35mm"
        case .outline: "the head's outline"
        case .typicalPhone: "a phone's typical lens, the photo not saying"
        }
        let message = "the fitted scalp reaches \(PhotoFit.format(worst.pixels)) pixels past the head the photo shows, at (\(Int(point.x.rounded())), \(Int(point.y.rounded()))) "
            + "(\(outline.placeName(of: worst.sample))); allowed: \(PhotoFit.format(tolerance)) (4 % of the landmarks' spread, at least 8). The ink would land on the background. "
            + "The fit put the camera \(PhotoFit.format(fit.distanceMM / 10)) cm from the head with a \(PhotoFit.format(fit.focalLength35mm)) mm lens in 35 mm terms (from \(lens)): "
            + "give the camera's focal length (photo.focalLength35mm, or the camera's own JPEG with its EXIF), mark more landmarks (both tragions, the hairline, the pupils) "
            + "and check each one's place, or paint a mask (photo.mask) that keeps the ink on the head"
        throw SceneError.invalid(file: scene.name, issues: [SceneIssue(line: 0, column: 0, keyPath: "photo.landmarks", message: message)])
    }

    /// The fit as report.json has it.
    func photoReport(_ prepared: PreparedPhoto) -> RenderReport.PhotoFitReport? {
        guard let settings = scene.photo else { return nil }
        let fit = prepared.fit
        return RenderReport.PhotoFitReport(
            file: settings.file, widthPixels: prepared.photo.width, heightPixels: prepared.photo.height,
            orientation: prepared.photo.orientation, residualPixels: fit.rmsResidualPixels, residualLimitPixels: fit.limitPixels,
            landmarkResidualPixels: Dictionary(uniqueKeysWithValues: fit.residualPixels.map { ($0.key.rawValue, $0.value) }),
            cameraDistanceMM: fit.distanceMM, focalPixels: fit.camera.focalPixels, focalLength35mm: fit.focalLength35mm,
            focalFromEXIF: fit.focalFromEXIF, focalSource: fit.focalSource.rawValue, mirrorImage: fit.isMirrorImage,
            outline: prepared.outline.map(RenderReport.PhotoOutlineReport.init))
    }

    /// The warning a render prints when the outline check could not verify the fit (`check`
    /// not `verified`): how much it saw, what that leaves unchecked and what would help.
    public static func outlineWarning(_ check: PhotoOutlineCheck, fit: PhotoFit) -> String? {
        guard !check.verified else { return nil }
        let lens = fit.focalSource == .typicalPhone
            ? "; the lens is a phone's typical \(PhotoFit.format(PhotoFit.typicalFocalLength35mm)) mm, a guess, so the camera's distance is too"
            : ""
        return "photo: warning: the fitted scalp's outline could not be checked against the head in the photo: "
            + "\(check.raysWithEdge) of its \(check.scalpRays) rays found the head's edge (hair over it, or a background of the skin's colour; "
            + "at least \(Int((PhotoOutlineCheck.verifiedShare * 100).rounded())) % are needed)\(lens). The ink may land past the head: look at photo-after.png's outline, "
            + "and give photo.focalLength35mm (or use the camera's own JPEG with its EXIF) or paint a mask (photo.mask)"
    }

    /// The photo outputs the selection names, for `prepared`.
    func photoJobs(_ prepared: PreparedPhoto?, _ preview: ScenePreview, after moment: TreatmentTime,
                   selected: [String]?) throws -> [ImageJob] {
        guard let prepared, let settings = scene.photo, wantsPhoto(selected) else { return [] }
        let map = preview.map
        func wanted(_ name: String) -> Bool { selected == nil || selected!.contains("photo") || selected!.contains(name) }
        let afterDay = moment.day(in: scene.sessions)
        var moments: [(name: String, day: Double?)] = [("photo-before", nil), ("photo-after", afterDay)]
        for (index, session) in scene.sessions.enumerated() { moments.append(("photo-session-\(index + 1)", session.day)) }
        moments = moments.filter { wanted($0.name) }
        let comparison = wanted("photo-comparison")
        guard !moments.isEmpty || comparison else { return [] }
        let (dots, mask) = try photoTreatment(prepared, map: map, planDots: preview.dots)
        let font = try Font.dejaVuSans()
        let head = HeadModel(shape: scene.head)
        let camera = prepared.fit.camera
        let (rows, columns) = PhotoComposite.scalpBox(camera: camera, head: head, width: prepared.photo.width, height: prepared.photo.height)
        let coverage = PhotoScalpCoverage(camera: camera, head: head, dots: dots, rows: rows, columns: columns)
        let textureView = coverage.textureView(within: textureView(of: map, pixelsPerMM: texturePixelsPerMM(for: [camera])))
        let photoPixels = prepared.photo.width * prepared.photo.height
        // Users per moment: each image with pigment takes the before texture and its own.
        var users: [String: Int] = [:]
        for item in moments where item.day != nil {
            users[Self.dayKey(nil), default: 0] += 1
            users[Self.dayKey(item.day), default: 0] += 1
        }
        if comparison {
            users[Self.dayKey(nil), default: 0] += 1
            users[Self.dayKey(afterDay), default: 0] += 1
        }
        var estimate = viewEstimate(textureView: textureView, images: 0, sheet: nil, moments: users.count, dots: dots.count)
        estimate.pixelsPerImage = (comparison ? 2 : 1) * photoPixels
        estimate.peakMemoryBytes += photoPixels * 3 * (mask == nil ? 1 : 2) + imagesInFlight * 2 * photoPixels * 3
        estimate.bytesWritten = (moments.count + (comparison ? 2 : 0)) * photoPixels * 3
        try limits.check(estimate)
        let textures = ViewTextures(users: users)
        let rendering = self
        @Sendable func texture(_ day: Double?) -> ChartTexture {
            textures.texture(day: day) {
                let (surface, skin) = textures.surface { (preview.surface(view: textureView), LinearRGB.zero) }
                return (rendering.chartTexture(map: map, dots: dots, day: day, surface: surface), skin)
            }.0
        }
        // Drawn here, not when its turn comes: a font problem is reported before any file is written.
        let mark = try PhotoComposite.mark(photo: prepared.photo, corner: settings.markCorner, font: font)
        @Sendable func composite(_ day: Double?) -> PhotoComposite {
            PhotoComposite(photo: prepared.photo, camera: prepared.fit.camera, head: head,
                           before: day == nil ? nil : texture(nil), after: day.map(texture), mask: mask, mark: mark,
                           coverage: coverage, clip: prepared.clip)
        }
        var jobs = moments.map { item in ImageJob(name: item.name, day: item.day) { composite(item.day) } }
        if comparison {
            let gap = max(8, prepared.photo.width / 100)
            jobs.append(ImageJob(name: "photo-comparison", day: afterDay, moment: "before and \(moment)") {
                ComparisonImage(left: composite(nil), right: composite(afterDay), gapPixels: gap)
            })
        }
        return jobs
    }
}
