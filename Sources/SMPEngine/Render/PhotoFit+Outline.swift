import Foundation
import PhotoIO

extension PhotoFit {
    /// The focal lengths (35 mm terms) the outline search tries: a phone's ultra-wide to a
    /// portrait telephoto, each 15 % longer than the one before.
    static let outlineSearchFocalLengths35mm: [Double] = (0..<16).map { 18 * pow(1.15, Double($0)) }

    /// How far from the fitted outline the photo's edge is looked for, pixels: 15 % of the
    /// landmarks' spread (about 25 mm of head), so that a fit off by a wrong lens still finds it.
    static func outlineReachPixels(landmarks: [PhotoSettings.Landmark: SIMD2<Double>]) -> Double {
        max(12, 0.15 * maximumDistance(Array(landmarks.values)))
    }

    /// A point of the photo the landmarks place on the head, whose colour stands for the head's
    /// at its outline: half-way from the glabella to the vertex (the forehead, or the scalp above
    /// it), else the landmarks' centre.
    static func headColourPoint(landmarks: [PhotoSettings.Landmark: SIMD2<Double>]) -> SIMD2<Double> {
        if let glabella = landmarks[.glabella], let vertex = landmarks[.vertex] { return 0.5 * (glabella + vertex) }
        if let glabella = landmarks[.glabella], let hairline = landmarks[.hairline] { return 0.5 * (glabella + hairline) }
        return landmarks.values.reduce(.zero, +) / Double(max(1, landmarks.count))
    }

    /// The fitted scalp's outline against the head `photo` shows, for the camera `camera`.
    public static func outline(of photo: Photo, camera: HeadCamera, head: HeadModel,
                               landmarks: [PhotoSettings.Landmark: SIMD2<Double>]) -> PhotoOutline {
        PhotoOutline(photo: photo, camera: camera, head: head, skinPoint: headColourPoint(landmarks: landmarks),
                     reachPixels: outlineReachPixels(landmarks: landmarks))
    }

    /// The fit for a photo that does not say its focal length (no EXIF, no
    /// `photo.focalLength35mm`): the landmarks leave the focal length and the distance nearly
    /// traded for each other, but the head's outline does not (a wide lens near draws the vault's
    /// outline higher and narrower over the face than a long lens far). For each focal length of
    /// `outlineSearchFocalLengths35mm` the pose is fitted with it held, to the landmarks and to
    /// the photo's head edge along the outline's rays together (`refine`: choosing between
    /// poses fitted to the landmarks alone, the vertex mark's few pixels decided the lens); the
    /// focal length with the least sum of squared landmark residuals and weighted outline gaps
    /// (between the two best grid lengths' neighbours, a parabola's vertex in log focal length)
    /// is fitted at last, its lens loosely held. When the photo shows no outline edge anywhere,
    /// the phone's prior stands (`focalSource` `.typicalPhone`).
    public static func fitWithOutline(landmarks: [PhotoSettings.Landmark: SIMD2<Double>], head: HeadModel, chart: ScalpChart,
                                      hairline: Hairline, photo: Photo, maxResidualPixels: Double? = nil,
                                      interpupillaryMM: Double? = nil) throws(PhotoFitError) -> PhotoFit {
        let width = photo.width, height = photo.height
        let start = try fit(landmarks: landmarks, head: head, chart: chart, hairline: hairline, widthPixels: width, heightPixels: height,
                            maxResidualPixels: maxResidualPixels, interpupillaryMM: interpupillaryMM)
        let names = landmarks.keys.sorted { $0.rawValue < $1.rawValue }
        let observed = names.map { landmarks[$0]! }
        let model = names.map {
            modelPoint($0, head: head, chart: chart, hairline: hairline, interpupillaryMM: interpupillaryMM ?? typicalInterpupillaryMM)
        }
        let target = model.reduce(.zero, +) / Double(model.count)
        let pixelsPerSigma = 0.01 * maximumDistance(observed)
        var fitted: [(pose: Pose, cost: Double)] = []
        for focal35 in outlineSearchFocalLengths35mm {
            // From the phone fit: the camera moved along its line of sight so the head keeps its
            // size in the picture, the focal length held within 1 %.
            var camera = start.camera
            let focal = focalPixels(focalLength35mm: focal35, widthPixels: width, heightPixels: height)
            camera.eye = target + (camera.eye - target) * (focal / camera.focalPixels)
            camera.focalPixels = focal
            var priors = Priors(widthPixels: width, heightPixels: height, focalLength35mm: focal35, pixelsPerSigma: pixelsPerSigma)
            priors.focalSigmaLog = 0.01
            let pose = levenbergMarquardt(Pose(camera: camera), model: model, observed: observed, priors: priors)
            // The pose held to the photo's outline as well as the landmarks.
            let refined = refine(pose, names: names, model: model, observed: observed, priors: priors, head: head, photo: photo,
                                 landmarks: landmarks, rounds: outlineRounds)
            guard let outline = refined.outline, outline.meanSquareGap != nil else { fitted.append((refined.pose, .infinity)); continue }
            let gaps = outline.truncatedSquareGaps(limit: pixelsPerSigma)
            let landmarkSquares = landmarkMeanSquare(refined.pose.camera, model: refined.model, observed: observed) * Double(names.count)
            fitted.append((refined.pose, landmarkSquares + outlineRayWeight * outlineRayWeight * gaps))
        }
        let costs = fitted.map(\.cost)
        guard let best = costs.indices.min(by: { costs[$0] < costs[$1] }), costs[best].isFinite else { return start }
        var logFocal = log(outlineSearchFocalLengths35mm[best])
        if best > 0, best < costs.count - 1, costs[best - 1].isFinite, costs[best + 1].isFinite {
            let a = costs[best - 1], b = costs[best], c = costs[best + 1]
            let curvature = a - 2 * b + c
            if curvature > 0 { logFocal += max(-0.5, min(0.5, 0.5 * (a - c) / curvature)) * log(1.15) }
        }
        // The best grid pose at the lens between the grid's, fitted again with the lens loosely held.
        var camera = fitted[best].pose.camera
        let focal = focalPixels(focalLength35mm: exp(logFocal), widthPixels: width, heightPixels: height)
        camera.eye = target + (camera.eye - target) * (focal / camera.focalPixels)
        camera.focalPixels = focal
        var priors = Priors(widthPixels: width, heightPixels: height, focalLength35mm: exp(logFocal), pixelsPerSigma: pixelsPerSigma)
        priors.focalSigmaLog = 0.02
        let refined = refine(Pose(camera: camera), names: names, model: model, observed: observed, priors: priors, head: head,
                             photo: photo, landmarks: landmarks, rounds: outlineRounds)
        return try finish(refined.pose, names: names, model: refined.model, observed: observed, target: target,
                          limit: maxResidualPixels ?? 0.04 * maximumDistance(observed), focalSource: .outline)
    }

    /// At most how many times a pose is fitted to the outline's rim points and edges found for
    /// the pose before (it stops when the camera holds still): three left the 640 px fixture's
    /// lens search a few per cent from where eight settle.
    static let outlineRounds = 8

    /// The landmarks' mean square residual (pixels²) for `camera`.
    static func landmarkMeanSquare(_ camera: HeadCamera, model: [SIMD3<Double>], observed: [SIMD2<Double>]) -> Double {
        var squares = 0.0
        for (point, seen) in zip(model, observed) {
            let d = (camera.project(point) ?? SIMD2(1e6, 1e6)) - seen
            squares += (d * d).sum()
        }
        return squares / Double(max(1, model.count))
    }
}

extension PhotoOutline {
    /// The sum of the squared gaps between the fitted outline and the photo's edge over the rays
    /// that see scalp, each at most `limit` (a ray without an edge counts `limit`): a few rays
    /// whose edge is something else (hair standing past the scalp) weigh no more than a few pixels.
    func truncatedSquareGaps(limit: Double) -> Double {
        samples.reduce(0) { sum, sample in
            guard let sample else { return sum }
            return sum + min(limit * limit, sample.spillPixels.map { $0 * $0 } ?? .infinity)
        }
    }

    /// The mean square of the gaps between the fitted outline and the photo's edge over the
    /// rays that see scalp, each gap at most the reach, a ray without an edge counted as half
    /// the reach off; nil when fewer rays found an edge than the outline check needs
    /// (`PhotoOutlineCheck.verifiedShare`): a lens chosen by a few rays on a skin-coloured wall
    /// (20 mm from 2 of 73 on the photo-like case) is a worse guess than a phone's.
    var meanSquareGap: Double? {
        var sum = 0.0, count = 0.0, edges = 0
        for sample in samples {
            guard let sample else { continue }
            count += 1
            if let spill = sample.spillPixels {
                edges += 1
                sum += min(spill * spill, reachPixels * reachPixels)
            } else {
                sum += 0.25 * reachPixels * reachPixels
            }
        }
        return edges > 0 && Double(edges) >= PhotoOutlineCheck.verifiedShare * count ? sum / count : nil
    }
}
