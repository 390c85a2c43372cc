import Foundation

extension PhotoFit {
    /// The adult mean interpupillary distance, mm (Dodgson 2004: 63 mm over adults, men 64,
    /// women 62): where the pupils' landmarks go when the scene does not give the client's.
    public static let typicalInterpupillaryMM = 63.0

    /// The camera distances (mm, eye to the head's centre) a consultation photo is taken from:
    /// arm's length to across a room. The fit is free inside; outside, a soft term pulls it back.
    public static let typicalDistanceRangeMM = 300.0...1500.0
    /// The farthest camera a fit may put the camera at, mm: beyond it the landmarks did not hold
    /// the distance and the fit is refused.
    public static let farthestCameraMM = 3000.0
    /// A phone's main camera, 35 mm equivalent (26 to 28 mm on current phones): the focal length
    /// expected when the photo's EXIF does not say.
    public static let typicalFocalLength35mm = 27.0

    /// The diagonal of a 35 mm film frame (36 × 24 mm): a "35 mm equivalent" focal length is
    /// relative to it.
    static let filmDiagonalMM = (36.0 * 36.0 + 24.0 * 24.0).squareRoot()

    /// The focal length in pixels of a `width` × `height` photo whose lens is `focalLength35mm`
    /// in 35 mm terms (the same angle of view across the diagonal).
    public static func focalPixels(focalLength35mm: Double, widthPixels: Int, heightPixels: Int) -> Double {
        focalLength35mm / filmDiagonalMM * (Double(widthPixels * widthPixels + heightPixels * heightPixels)).squareRoot()
    }

    /// The 35 mm equivalent of `focalPixels` on a `width` × `height` photo.
    public static func focalLength35mm(focalPixels: Double, widthPixels: Int, heightPixels: Int) -> Double {
        focalPixels / Self.focalPixels(focalLength35mm: 1, widthPixels: widthPixels, heightPixels: heightPixels)
    }

    /// What a photo's camera is likely to be, as soft terms beside the landmarks' residuals: a
    /// few landmarks on a near-frontal face barely tell a long lens far away from a wide one near
    /// (the picture is almost the same), and the landmarks alone drift to the far end. The focal
    /// length is log-normal about the EXIF's (σ 5 %) or a phone's main camera (27 mm, σ of its
    /// log 0.15: 20 to 36 mm within two; a photo through a 2× or 3× lens without EXIF is pulled
    /// nearer than it was taken), and the distance free within
    /// `typicalDistanceRangeMM`, with σ 10 % of log beyond. One σ weighs as much as a landmark
    /// 1 % of the landmarks' spread off in x or y: marks set by eye are that close at best.
    struct Priors {
        var focalPixels: Double
        var focalSigmaLog: Double
        var pixelsPerSigma: Double
        var focalGiven: Bool

        init(widthPixels: Int, heightPixels: Int, focalLength35mm: Double?, pixelsPerSigma: Double) {
            focalPixels = PhotoFit.focalPixels(focalLength35mm: focalLength35mm ?? PhotoFit.typicalFocalLength35mm,
                                               widthPixels: widthPixels, heightPixels: heightPixels)
            focalSigmaLog = focalLength35mm == nil ? 0.15 : 0.05
            focalGiven = focalLength35mm != nil
            self.pixelsPerSigma = pixelsPerSigma
        }

        func residuals(_ camera: HeadCamera) -> [Double] {
            let distance = (camera.eye * camera.eye).sum().squareRoot()
            let range = PhotoFit.typicalDistanceRangeMM
            let outside = max(0, log(distance / range.upperBound), log(range.lowerBound / max(distance, 1e-9)))
            return [pixelsPerSigma * log(camera.focalPixels / focalPixels) / focalSigmaLog, pixelsPerSigma * outside / 0.1]
        }
    }
}
