/// The scene's `photo:` section: the client's own photo, the landmarks a technician marked on
/// it, and how the simulation is composited onto it.
///
/// Landmark coordinates are photo pixels of the upright photo (after its EXIF orientation), x to
/// the right and y down from the top-left corner of the image (the centre of the top-left pixel
/// is (0.5, 0.5)).
public struct PhotoSettings: Sendable, Equatable {
    /// The points the head is fitted to, each a point of the parametric head (`HeadModel`).
    public enum Landmark: String, Sendable, CaseIterable {
        /// The brow's midpoint, between the eyebrows.
        case glabella
        /// The patient's left ear canal's front notch (on the right of a frontal photo).
        case leftTragion
        case rightTragion
        /// The top of the head (the highest point of the skull with the head upright).
        case vertex
        /// The midpoint of the planned hairline (the scene's `hairline.heightAboveBrowMM` above
        /// the glabella), as technicians draw it on the forehead before treatment.
        case hairline
        /// The patient's left and right pupils, `interpupillaryMM` apart.
        case leftPupil
        case rightPupil
    }

    /// What the painted mask does to the plan's treatment area.
    public enum MaskMode: String, Sendable, CaseIterable {
        /// Only where the mask is white (grey: partly) does the plan's ink show.
        case restrict
        /// The mask is the treatment area: where it is white (grey: partly) on the scalp the
        /// photo sees, dots at the plan's full density (each session's), wherever the plan put
        /// them or not; black leaves the photo.
        case replace
    }

    /// The corner the "simulation" mark sits in. It cannot be switched off.
    public enum Corner: String, Sendable, CaseIterable {
        case topLeft, topRight, bottomLeft, bottomRight
    }

    /// The photo file as written in the scene, relative to the scene file's folder unless absolute.
    public var file: String
    public var landmarks: [Landmark: SIMD2<Double>]
    /// The client's measured head circumference, mm: the head (and its chart) is scaled to it.
    public var headCircumferenceMM: Double?
    /// A painted mask (PNG the photo's size: white treat, black leave, grey partial), relative
    /// like `file`; nil: the plan's treatment area alone.
    public var mask: String?
    public var maskMode: MaskMode
    /// The client's measured distance between the pupils, mm: places the pupils' landmarks
    /// (nil: `PhotoFit.typicalInterpupillaryMM`).
    public var interpupillaryMM: Double?
    public var markCorner: Corner
    /// The largest root-mean-square landmark residual of the fit accepted, pixels; nil: 4 % of
    /// the landmarks' spread in the photo.
    public var maxResidualPixels: Double?
    /// The camera's focal length in 35 mm terms, as the clinic knows its camera; over the photo's
    /// EXIF when both say. nil: the EXIF's, else found from the head's outline in the photo.
    public var focalLength35mm: Double?

    /// At least this many landmarks: the fit has 7 unknowns (3 turns, 3 positions, the focal length).
    public static let minimumLandmarks = 4

    public init(file: String, landmarks: [Landmark: SIMD2<Double>], headCircumferenceMM: Double? = nil, mask: String? = nil,
                maskMode: MaskMode = .restrict, interpupillaryMM: Double? = nil, markCorner: Corner = .bottomRight,
                maxResidualPixels: Double? = nil, focalLength35mm: Double? = nil) {
        self.file = file
        self.landmarks = landmarks
        self.headCircumferenceMM = headCircumferenceMM
        self.mask = mask
        self.maskMode = maskMode
        self.interpupillaryMM = interpupillaryMM
        self.markCorner = markCorner
        self.maxResidualPixels = maxResidualPixels
        self.focalLength35mm = focalLength35mm
    }
}

extension Scene {
    static func readPhoto(_ root: SceneObject) -> PhotoSettings? {
        guard root.has("photo") else {
            _ = root.node("photo")
            return nil
        }
        let object = root.object("photo")
        defer { object.finish() }
        let file = object.string("file", default: nil, pattern: "\\S", allowed: "the photo's file name, a JPEG or PNG")
        let marks = object.object("landmarks")
        var landmarks: [PhotoSettings.Landmark: SIMD2<Double>] = [:]
        for landmark in PhotoSettings.Landmark.allCases where marks.has(landmark.rawValue) {
            let point = marks.object(landmark.rawValue)
            landmarks[landmark] = SIMD2(point.number("x", default: nil, in: 0...100_000, unit: "px"),
                                        point.number("y", default: nil, in: 0...100_000, unit: "px"))
            point.finish()
        }
        for landmark in PhotoSettings.Landmark.allCases where !marks.has(landmark.rawValue) { _ = marks.node(landmark.rawValue) }
        if landmarks.count < PhotoSettings.minimumLandmarks {
            let names = PhotoSettings.Landmark.allCases.map(\.rawValue).joined(separator: ", ")
            object.reader.report(marks.mark ?? object.mark, marks.keyPath,
                                 "\(landmarks.count) landmark\(landmarks.count == 1 ? "" : "s") given; the fit needs at least \(PhotoSettings.minimumLandmarks) of \(names), each as {x: …, y: …} in photo pixels")
        }
        marks.finish()
        let circumference = object.optionalNumber("headCircumferenceMM", in: 400...700, unit: "mm")
        // `mask:` is a file name, or { file:, mode: restrict | replace }.
        var mask: String?, maskMode = PhotoSettings.MaskMode.restrict
        if object.has("mask"), let node = object.node("mask"), case .mapping = node {
            let maskObject = object.object("mask")
            mask = maskObject.string("file", default: nil, pattern: "\\S", allowed: "a PNG file name")
            maskMode = maskObject.choice("mode", default: .restrict)
            maskObject.finish()
        } else if object.has("mask") {
            mask = object.string("mask", default: nil, pattern: "\\S", allowed: "a PNG file name, or { file: …, mode: restrict | replace }")
        } else {
            _ = object.node("mask")
        }
        let interpupillary = object.optionalNumber("interpupillaryMM", in: 45...80, unit: "mm")
        return PhotoSettings(file: file, landmarks: landmarks, headCircumferenceMM: circumference, mask: mask, maskMode: maskMode,
                             interpupillaryMM: interpupillary,
                             markCorner: object.choice("markCorner", default: .bottomRight),
                             maxResidualPixels: object.optionalNumber("maxResidualPixels", in: 0.1...10_000, unit: "px"),
                             focalLength35mm: object.optionalNumber("focalLength35mm", in: 8...1200, unit: "mm"))
    }
}
