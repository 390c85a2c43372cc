import Foundation

/// `report.json`: what a render made and from what. A stable format (keys sorted, numbers in
/// physical units named in the key) that other tools read. Its bytes depend only on the scene,
/// its seed and the settings that change the images: not on the thread count or the machine's
/// speed, so timings are not in it (`SceneRendering.Result.timings`; `smp render --timings`).
public struct RenderReport: Sendable, Codable, Equatable {
    public struct Settings: Sendable, Codable, Equatable {
        public var pixelsPerMM: Double
        public var viewOriginXMM: Double
        public var viewOriginYMM: Double
        public var viewWidthMM: Double
        public var viewHeightMM: Double
        public var widthPixels: Int
        public var heightPixels: Int
        /// The moment after.png shows, as given (`healed`, `5y`, ...).
        public var after: String
        public var compression: String
    }

    public struct Image: Sendable, Codable, Equatable {
        public var name: String
        public var file: String
        /// Days after the first session; nil for images without pigment.
        public var day: Double?
    }

    /// The head fitted to the scene's photo (`photo:`), when the render wrote photo outputs.
    public struct PhotoFitReport: Sendable, Codable, Equatable {
        public var file: String
        public var widthPixels: Int
        public var heightPixels: Int
        /// The EXIF orientation applied (1: none).
        public var orientation: Int
        /// Root-mean-square landmark residual of the fit, and the limit it passed, pixels.
        public var residualPixels: Double
        public var residualLimitPixels: Double
        /// Each landmark's residual, pixels.
        public var landmarkResidualPixels: [String: Double]
        /// The fitted camera: its distance from the head's centre (mm) and focal length (pixels).
        public var cameraDistanceMM: Double
        public var focalPixels: Double
        /// The fitted focal length in 35 mm film terms, mm, whether it was held near the
        /// photo's EXIF, and what held it: `exif`, `scene` (`photo.focalLength35mm`), `outline`
        /// (the head's outline in the photo) or `typicalPhone` (a phone's 27 mm).
        public var focalLength35mm: Double
        public var focalFromEXIF: Bool
        public var focalSource: String
        /// The photo is a mirror image (the patient's right on its right), as a selfie is.
        public var mirrorImage: Bool
        /// What the check of the fitted scalp's outline against the photo's head saw.
        public var outline: PhotoOutlineReport? = nil
    }

    /// `PhotoOutlineCheck` as report.json has it.
    public struct PhotoOutlineReport: Sendable, Codable, Equatable {
        /// Rays every 3° about the head's centre that meet the fitted scalp's outline.
        public var scalpRays: Int
        /// Of them, the rays that found the photo's head edge.
        public var raysWithEdge: Int
        /// The worst spill past the photo's head, pixels (negative: short of it); nil: no edge found.
        public var worstSpillPixels: Double?
        /// At least half the rays found the edge: the check saw enough of the head to trust it.
        /// false: hair, or a background of the skin's colour, hid the head's edge.
        public var verified: Bool

        public init(_ check: PhotoOutlineCheck) {
            scalpRays = check.scalpRays
            raysWithEdge = check.raysWithEdge
            worstSpillPixels = check.worstSpillPixels
            verified = check.verified
        }
    }

    public var software: String
    public var scene: String
    /// The seed as text: JSON numbers lose precision past 2⁵³.
    public var seed: String
    public var sceneHash: String
    public var dotCount: Int
    public var settings: Settings
    public var density: DensityReport
    public var images: [Image]
    public var photo: PhotoFitReport?
    /// `outcome-range.png`'s measurements, when it was written.
    public var outcomeRange: OutcomeRangeReport?
    /// `distance.png`'s panels, when it was written.
    public var viewingDistance: [ViewingDistance.Panel]?

    /// `forecast.png`'s measurements, when it was written.
    public var forecast: ForecastReport?

    /// The plan per session as `smp plan` has it: needle and dilution per region, impressions
    /// per region, estimated hours, density per region, scar and patch.
    public var sessions: [SessionPlanRow]? = nil

    public struct ForecastReport: Sendable, Codable, Equatable {
        public var healedDarkening: Double
        public var touchUpMargin: Double
        public var touchUpsDueYears: [Double]
        public var yearly: [Forecast.Moment]

        public init(_ forecast: Forecast) {
            healedDarkening = forecast.healedDarkening
            touchUpMargin = forecast.margin
            touchUpsDueYears = forecast.touchUpsDue
            yearly = forecast.yearly
        }
    }

    public struct OutcomeRangeReport: Sendable, Codable, Equatable {
        public var healedDarkening: Double
        public var cells: [OutcomeRange.Cell]

        public init(_ range: OutcomeRange) {
            healedDarkening = range.healedDarkening
            cells = range.table
        }
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
