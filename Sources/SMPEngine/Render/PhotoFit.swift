import Foundation

/// Why a photo's landmarks could not be fitted: what was wrong and what would help.
public struct PhotoFitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The scene key the problem is about (`photo.landmarks`, `photo.landmarks.glabella`).
    public var keyPath: String
    public var message: String

    public init(keyPath: String, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String { "\(keyPath): \(message)" }
}

/// The camera that saw the head in a photo: a perspective-n-point fit of the parametric head
/// (`HeadModel`) to the landmarks marked on the photo.
///
/// Unknowns: the camera's turn (3), its position (3) and its focal length (1), with the
/// principal point at the photo's centre and square pixels. The head's size is the scene's (or
/// the measured circumference's): a photo alone cannot tell a large head far away from a small
/// one near. Levenberg–Marquardt on the landmarks' reprojection errors, started from each head
/// view's direction at three focal lengths (a phone's wide lens to a portrait lens); the best
/// fit wins. A fit whose root-mean-square residual passes the limit, or which sees a marked glabella
/// from behind, is refused.
public struct PhotoFit: Sendable {
    public let camera: HeadCamera
    /// Root-mean-square distance between the marked landmarks and the fitted head's, pixels.
    public let rmsResidualPixels: Double
    /// Each landmark's distance to its fitted projection, pixels.
    public let residualPixels: [PhotoSettings.Landmark: Double]
    /// The largest residual accepted.
    public let limitPixels: Double
    /// The photo shows the head as a mirror does (a phone's selfie camera, or a photo flipped):
    /// the patient's right on the image's right of a frontal photo. A camera photo (and a head
    /// view): false.
    public let isMirrorImage: Bool
    /// The camera's distance from the head's centre (mid-way between the ear canals), mm.
    public var distanceMM: Double { (camera.eye * camera.eye).sum().squareRoot() }
    /// The fitted focal length in 35 mm film terms, mm.
    public var focalLength35mm: Double {
        Self.focalLength35mm(focalPixels: camera.focalPixels, widthPixels: camera.widthPixels, heightPixels: camera.heightPixels)
    }
    /// What held the focal length: the photo's EXIF, the scene's `photo.focalLength35mm`, the
    /// head's outline in the photo (`fitWithOutline`) or, with none of these, a phone's (`Priors`).
    public let focalSource: FocalSource
    /// The focal length was held near the photo's EXIF.
    public var focalFromEXIF: Bool { focalSource == .exif }

    public enum FocalSource: String, Sendable {
        case exif, scene, outline, typicalPhone
    }

    /// The head-model point of each landmark (mm, `HeadShape`'s frame): found on the model's
    /// own surface, so a view of the model and the fit agree.
    public static func modelPoint(_ landmark: PhotoSettings.Landmark, head: HeadModel, chart: ScalpChart,
                                  hairline: Hairline, interpupillaryMM: Double = typicalInterpupillaryMM) -> SIMD3<Double> {
        let shape = head.shape
        func surface(from origin: SIMD3<Double>, along direction: SIMD3<Double>) -> SIMD3<Double> {
            head.intersect(origin: origin, direction: direction, edgeSlope: 0).hit?.point ?? origin
        }
        switch landmark {
        case .glabella: return surface(from: SIMD3(0, -1000, shape.browHeightMM), along: SIMD3(0, 1, 0))
        case .leftPupil, .rightPupil:
            // The mannequin has no eyes: the pupils sit where an adult's do relative to the
            // glabella (our estimate from profiles: 20 mm below it, 12 mm behind its front), half
            // the interpupillary distance to each side (X is the patient's right).
            let glabella = surface(from: SIMD3(0, -1000, shape.browHeightMM), along: SIMD3(0, 1, 0))
            let side = landmark == .rightPupil ? 1.0 : -1.0
            return glabella + SIMD3(side * 0.5 * interpupillaryMM, 12, -20)
        case .leftTragion: return surface(from: SIMD3(-1000, 0, 0), along: SIMD3(1, 0, 0))
        case .rightTragion: return surface(from: SIMD3(1000, 0, 0), along: SIMD3(-1, 0, 0))
        case .vertex: return surface(from: SIMD3(0, 0, 1000), along: SIMD3(0, 0, -1))
        case .hairline:
            // Where the views and the composite draw the plan's hairline: its chart point (on the
            // map's chart) through the cranium's chart.
            let polar = chart.frontPolar(arcAboveBrowMM: hairline.heightAboveBrowMM)
            let chartMM = chart.chartPoint(polar: polar, azimuth: -Double.pi / 2)
            // (Always on the chart, which reaches 120° from the top; else the vault at that angle.)
            return HeadViewGeometry.surfacePoint(chartMM: chartMM, head: head) ?? head.cranium.point(polar: polar, azimuth: -Double.pi / 2)
        }
    }

    /// Fits the camera of a `widthPixels` × `heightPixels` photo to `landmarks` (photo pixels).
    /// `focalLength35mm` (the photo's EXIF, 35 mm equivalent) holds the focal length close to
    /// it; without it a phone's main camera is expected (`Priors`). `interpupillaryMM` places the
    /// pupils' landmarks (default `typicalInterpupillaryMM`).
    public static func fit(landmarks: [PhotoSettings.Landmark: SIMD2<Double>], head: HeadModel, chart: ScalpChart,
                           hairline: Hairline, widthPixels: Int, heightPixels: Int,
                           maxResidualPixels: Double? = nil, focalLength35mm: Double? = nil,
                           interpupillaryMM: Double? = nil, focalSource: FocalSource = .exif,
                           focalSigmaLog: Double? = nil) throws(PhotoFitError) -> PhotoFit {
        for (landmark, point) in landmarks.sorted(by: { $0.key.rawValue < $1.key.rawValue })
        where !(0...Double(widthPixels)).contains(point.x) || !(0...Double(heightPixels)).contains(point.y) {
            throw PhotoFitError(keyPath: "photo.landmarks.\(landmark.rawValue)",
                                message: "(\(format(point.x)), \(format(point.y))) is outside the \(widthPixels) × \(heightPixels) photo; allowed: x 0 to \(widthPixels), y 0 to \(heightPixels) (pixels of the upright photo)")
        }
        let names = landmarks.keys.sorted { $0.rawValue < $1.rawValue }
        guard names.count >= PhotoSettings.minimumLandmarks else {
            throw PhotoFitError(keyPath: "photo.landmarks", message: "\(names.count) landmarks given; the fit needs at least \(PhotoSettings.minimumLandmarks)")
        }
        let observed = names.map { landmarks[$0]! }
        let model = names.map {
            modelPoint($0, head: head, chart: chart, hairline: hairline, interpupillaryMM: interpupillaryMM ?? typicalInterpupillaryMM)
        }
        let spread = maximumDistance(observed)
        guard spread > 8 else {
            throw PhotoFitError(keyPath: "photo.landmarks", message: "the landmarks lie within \(format(spread)) pixels of each other; mark them where the head shows them (they span the head)")
        }
        let limit = maxResidualPixels ?? 0.04 * spread
        var priors = Priors(widthPixels: widthPixels, heightPixels: heightPixels, focalLength35mm: focalLength35mm,
                            pixelsPerSigma: 0.01 * spread)
        if let focalSigmaLog { priors.focalSigmaLog = focalSigmaLog }
        let modelSpread = maximumDistance3(model)
        let centroid = observed.reduce(.zero, +) / Double(observed.count)
        let target = model.reduce(.zero, +) / Double(model.count)
        var best: (pose: Pose, cost: Double)?
        let glabella = names.firstIndex(of: .glabella).map { model[$0] }
        var mirrored = false, tooClose = false
        // A camera photo shows the head as the head views do; a selfie (or a flipped photo) as a
        // mirror does: both are tried.
        for mirror in [false, true] {
        for view in HeadViewName.allCases {
            for focalFactor in [0.9, 1.6, 3.0] {
                let focal = focalFactor * Double(max(widthPixels, heightPixels))
                let (toCamera, upHint) = view.placement
                let back = toCamera / (toCamera * toCamera).sum().squareRoot()
                let distance = focal * modelSpread / spread
                var start = Pose(camera: HeadCamera(eye: target + back * distance, forward: -back, up: upHint, widthPixels: widthPixels,
                                                    heightPixels: heightPixels, focalPixels: focal, distanceMM: distance))
                if mirror { start.camera.right = -start.camera.right }
                // Slide the camera so that the landmarks' centre lands on the marked centre.
                let offset = centroid - SIMD2(0.5 * Double(widthPixels), 0.5 * Double(heightPixels))
                start.camera.eye += (-start.camera.right * offset.x + start.camera.up * offset.y) * distance / focal
                let fitted = levenbergMarquardt(start, model: model, observed: observed, priors: priors)
                let cost = fitted.cost(model: model, observed: observed, priors: priors)
                // Four or five landmarks fit a mirror image too (a head seen from behind, the
                // Necker cube's flip) about as well: with a glabella marked, only poses facing it count.
                if let glabella, ((glabella - fitted.camera.eye) * SIMD3(0, -1, 0)).sum() > 0 {
                    mirrored = true
                    continue
                }
                // Four landmarks marked by eye can fit exactly with the camera almost touching the
                // head (its focal length traded for distance): no photo is taken from there.
                let eye = fitted.camera.eye
                guard (eye * eye).sum().squareRoot() >= Self.closestCameraMM else {
                    tooClose = true
                    continue
                }
                if cost < (best?.cost ?? .infinity) { best = (fitted, cost) }
            }
        }
        }
        guard let best else {
            throw PhotoFitError(keyPath: "photo.landmarks", message: tooClose
                ? "the landmarks fit only a camera closer than \(Int(Self.closestCameraMM)) mm to the head's centre; check each one's place, or add the hairline"
                : mirrored ? "the landmarks fit only a head seen from behind, with the glabella facing away: they are inconsistent; check each one's place and side (left and right are the patient's)"
                : "no pose of the head fits the landmarks")
        }
        // The vertex mark on the silhouette (`vertexModelPoint`), fitted again until it holds still.
        let refined = refine(best.pose, names: names, model: model, observed: observed, priors: priors, head: head, photo: nil,
                             landmarks: landmarks, rounds: 3)
        return try finish(refined.pose, names: names, model: refined.model, observed: observed, target: target, limit: limit,
                          focalSource: priors.focalGiven ? focalSource : .typicalPhone)
    }

    /// The fit of `pose` to the landmarks, checked: refused when the residual passes `limit` or
    /// the camera is too far off.
    static func finish(_ pose: Pose, names: [PhotoSettings.Landmark], model: [SIMD3<Double>], observed: [SIMD2<Double>],
                       target: SIMD3<Double>, limit: Double, focalSource: FocalSource) throws(PhotoFitError) -> PhotoFit {
        var camera = pose.camera
        camera.distanceMM = ((target - camera.eye) * camera.forward).sum()
        var residuals: [PhotoSettings.Landmark: Double] = [:]
        for (index, name) in names.enumerated() {
            let projected = camera.project(model[index]) ?? SIMD2(.infinity, .infinity)
            let difference = projected - observed[index]
            residuals[name] = (difference * difference).sum().squareRoot()
        }
        let rms = (residuals.values.map { $0 * $0 }.reduce(0, +) / Double(names.count)).squareRoot()
        let worst = residuals.max { $0.value < $1.value }!
        guard rms <= limit else {
            throw PhotoFitError(keyPath: "photo.landmarks", message: "the head does not fit the landmarks: the residual is \(format(rms)) pixels root-mean-square "
                + "(the most \(format(worst.value)) at \(worst.key.rawValue)), more than the \(format(limit)) allowed (photo.maxResidualPixels, default 4 % of the landmarks' spread); "
                + "check that each landmark is where its name says (left and right are the patient's)")
        }
        let distance = (camera.eye * camera.eye).sum().squareRoot()
        guard distance <= Self.farthestCameraMM else {
            throw PhotoFitError(keyPath: "photo.landmarks", message: "the fit puts the camera \(format(distance / 1000)) m from the head; a consultation photo is taken from \(format(typicalDistanceRangeMM.lowerBound / 1000)) to \(format(typicalDistanceRangeMM.upperBound / 1000)) m (accepted: up to \(format(farthestCameraMM / 1000)) m). "
                + "These landmarks do not hold the distance: mark more of them (both tragions, the hairline, the pupils), use the camera's own JPEG (its EXIF focal length fixes the distance), or check each one's place")
        }
        let cameraRight = HeadCamera.imageAxes(forward: camera.forward, upHint: camera.up).right
        return PhotoFit(camera: camera, rmsResidualPixels: rms, residualPixels: residuals, limitPixels: limit,
                        isMirrorImage: (cameraRight * camera.right).sum() < 0, focalSource: focalSource)
    }

    /// The camera as the fit moves it.
    struct Pose {
        var camera: HeadCamera

        func residuals(model: [SIMD3<Double>], observed: [SIMD2<Double>], priors: Priors, outline: [OutlineTarget] = []) -> [Double] {
            var out: [Double] = []
            for (point, seen) in zip(model, observed) {
                // A point behind the camera counts as far off, so the fit turns away from it.
                let projected = camera.project(point) ?? SIMD2(1e6, 1e6)
                out.append(projected.x - seen.x)
                out.append(projected.y - seen.y)
            }
            for target in outline { out.append(target.residual(camera)) }
            return out + priors.residuals(camera)
        }

        func cost(model: [SIMD3<Double>], observed: [SIMD2<Double>], priors: Priors) -> Double {
            residuals(model: model, observed: observed, priors: priors).reduce(0) { $0 + $1 * $1 }
        }

        /// The pose moved by `step`: a turn (rotation vector, radians) about the eye, the eye moved
        /// (mm) and the focal length scaled by e^step[6].
        func moved(_ step: [Double]) -> Pose {
            let omega = SIMD3(step[0], step[1], step[2])
            func turn(_ v: SIMD3<Double>) -> SIMD3<Double> {
                let angle = (omega * omega).sum().squareRoot()
                guard angle > 0 else { return v }
                let k = omega / angle
                let kxv = SIMD3(k.y * v.z - k.z * v.y, k.z * v.x - k.x * v.z, k.x * v.y - k.y * v.x)
                return v * cos(angle) + kxv * sin(angle) + k * (k * v).sum() * (1 - cos(angle))
            }
            var next = camera
            next.forward = turn(camera.forward)
            next.right = turn(camera.right)
            next.up = turn(camera.up)
            next.eye += SIMD3(step[3], step[4], step[5])
            next.focalPixels *= exp(step[6])
            return Pose(camera: next)
        }
    }

    /// The nearest a photo's camera can be to the head's centre: 15 cm from the face (the
    /// distance prior already pulls a fit nearer than 30 cm back).
    static let closestCameraMM = 250.0

    static func levenbergMarquardt(_ start: Pose, model: [SIMD3<Double>], observed: [SIMD2<Double>], priors: Priors,
                                   outline: [OutlineTarget] = []) -> Pose {
        var pose = start
        var residual = pose.residuals(model: model, observed: observed, priors: priors, outline: outline)
        var cost = residual.reduce(0) { $0 + $1 * $1 }
        var lambda = 1e-3
        let parameters = 7
        // Steps for the numeric derivatives: radians, mm, log focal.
        let h = [1e-6, 1e-6, 1e-6, 1e-4, 1e-4, 1e-4, 1e-6]
        for _ in 0..<200 {
            var jacobian = [[Double]](repeating: [], count: parameters)
            for p in 0..<parameters {
                var step = [Double](repeating: 0, count: parameters)
                step[p] = h[p]
                let plus = pose.moved(step).residuals(model: model, observed: observed, priors: priors, outline: outline)
                step[p] = -h[p]
                let minus = pose.moved(step).residuals(model: model, observed: observed, priors: priors, outline: outline)
                jacobian[p] = zip(plus, minus).map { ($0 - $1) / (2 * h[p]) }
            }
            var normal = [[Double]](repeating: [Double](repeating: 0, count: parameters), count: parameters)
            var gradient = [Double](repeating: 0, count: parameters)
            for a in 0..<parameters {
                for b in 0..<parameters { normal[a][b] = zip(jacobian[a], jacobian[b]).reduce(0) { $0 + $1.0 * $1.1 } }
                gradient[a] = -zip(jacobian[a], residual).reduce(0) { $0 + $1.0 * $1.1 }
            }
            var improved = false
            for _ in 0..<10 {
                var damped = normal
                for a in 0..<parameters { damped[a][a] += lambda * max(normal[a][a], 1e-9) }
                guard let step = solve(damped, gradient) else { lambda *= 10; continue }
                let candidate = pose.moved(step)
                let candidateResidual = candidate.residuals(model: model, observed: observed, priors: priors, outline: outline)
                let candidateCost = candidateResidual.reduce(0) { $0 + $1 * $1 }
                if candidateCost < cost {
                    let relative = (cost - candidateCost) / max(cost, 1e-300)
                    pose = candidate
                    residual = candidateResidual
                    cost = candidateCost
                    lambda = max(lambda / 10, 1e-12)
                    improved = relative > 1e-15
                    break
                }
                lambda *= 10
            }
            if !improved || cost < 1e-20 { break }
        }
        return pose
    }

    /// x with a·x = b (Gaussian elimination with partial pivoting); nil when a is singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a, v = b
        let n = b.count
        for column in 0..<n {
            let pivot = (column..<n).max { abs(m[$0][column]) < abs(m[$1][column]) }!
            guard abs(m[pivot][column]) > 1e-300 else { return nil }
            m.swapAt(column, pivot)
            v.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = m[row][column] / m[column][column]
                guard factor != 0 else { continue }
                for k in column..<n { m[row][k] -= factor * m[column][k] }
                v[row] -= factor * v[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = v[row]
            for k in (row + 1)..<n { sum -= m[row][k] * x[k] }
            x[row] = sum / m[row][row]
        }
        return x
    }

    static func maximumDistance(_ points: [SIMD2<Double>]) -> Double {
        var best = 0.0
        for a in points { for b in points { best = max(best, ((a - b) * (a - b)).sum().squareRoot()) } }
        return best
    }

    static func maximumDistance3(_ points: [SIMD3<Double>]) -> Double {
        var best = 0.0
        for a in points { for b in points { best = max(best, ((a - b) * (a - b)).sum().squareRoot()) } }
        return best
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
