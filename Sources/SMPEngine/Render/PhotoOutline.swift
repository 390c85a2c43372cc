import Foundation
import PhotoIO

/// The fitted head's scalp outline against the head the photo shows: along rays out from the
/// head's centre in the image, where the fitted scalp ends and where the photo's head ends.
///
/// A fit can match its landmarks and still put the scalp's outline off the photo's head: four
/// landmarks on a near-frontal face hardly tell a wide lens near from a long one far, and the
/// wrong one draws the vault's outline tens of pixels above the real head (the composite then
/// inks the background). The photo's edge is found, per ray, as the strongest colour step within
/// `reach` of the fitted outline whose inner side looks like the head (closer to the colour near
/// the landmarks than its outer side is); where the background is the head's colour, or hair
/// blurs the edge, the ray says nothing.
public struct PhotoOutline: Sendable {
    /// One ray from `centre`, at `angle`.
    public struct Sample: Sendable, Equatable {
        /// Radians, x right and y down in the image (0: toward the image's right, π/2: down).
        public var angle: Double
        /// Where the fitted head's scalp ends along the ray, pixels from `centre`.
        public var fittedRadius: Double
        /// Where the photo's head ends along the ray, pixels from `centre`; nil: no clear edge.
        public var edgeRadius: Double?
        /// The photo's background just past the edge and its head just inside it (sRGB levels,
        /// the means within 2 px of points 4 px out and in); nil without an edge.
        public var background: SIMD3<Double>? = nil
        public var headSide: SIMD3<Double>? = nil
        /// How far the fitted scalp reaches past the photo's head, pixels (negative: it stops short).
        public var spillPixels: Double? { edgeRadius.map { fittedRadius - $0 } }
    }

    /// The image point of the head's centre the rays leave from, pixels.
    public let centre: SIMD2<Double>
    /// One per `angleStep`, from angle 0; nil where the fitted outline there is not scalp.
    public let samples: [Sample?]
    /// How far inside and outside the fitted outline the photo's edge is looked for, pixels.
    public let reachPixels: Double

    /// Rays every 3°.
    static let rayCount = 120
    static var angleStep: Double { 2 * .pi / Double(rayCount) }

    /// The outline of the head `camera` sees in `photo`, the photo's edge looked for within
    /// `reachPixels` of it, the head's colour taken from around `skinPoint` (photo pixels: a point
    /// the landmarks place on the head, such as the forehead).
    public init(photo: Photo, camera: HeadCamera, head: HeadModel, skinPoint: SIMD2<Double>, reachPixels: Double) {
        let geometry = HeadViewGeometry(camera: camera, head: head)
        centre = camera.project(SIMD3(0, 0, 0.3 * head.shape.earToTopMM)) ?? SIMD2(0.5 * Double(photo.width), 0.5 * Double(photo.height))
        self.reachPixels = reachPixels
        let pixels = PhotoPixels(photo: photo)
        let skin = pixels.mean(around: skinPoint, radius: max(2, reachPixels / 6))
        let step = max(2, Double(max(photo.width, photo.height)) / 50)
        var samples: [Sample?] = []
        for index in 0..<Self.rayCount {
            let angle = Double(index) * Self.angleStep
            let direction = SIMD2(cos(angle), sin(angle))
            // To the photo's border: an outline beyond it is not in the photo.
            let toBorderX = direction.x > 1e-9 ? (Double(photo.width) - centre.x) / direction.x
                : direction.x < -1e-9 ? -centre.x / direction.x : .infinity
            let toBorderY = direction.y > 1e-9 ? (Double(photo.height) - centre.y) / direction.y
                : direction.y < -1e-9 ? -centre.y / direction.y : .infinity
            guard let radius = Self.outlineRadius(geometry: geometry, head: head, from: centre, along: direction,
                                                  within: min(toBorderX, toBorderY), step: step) else {
                samples.append(nil)
                continue
            }
            let edge = pixels.edge(from: centre, along: direction, near: radius, reach: reachPixels, headColour: skin)
            let origin = centre
            samples.append(Sample(angle: angle, fittedRadius: radius, edgeRadius: edge,
                                  background: edge.map { pixels.mean(around: origin + direction * ($0 + 4), radius: 2) },
                                  headSide: edge.map { pixels.mean(around: origin + direction * ($0 - 4), radius: 2) }))
        }
        self.samples = samples
    }

    /// Where the head's silhouette crosses the ray from `centre` along `direction` (the last
    /// point that still meets the head, found by bisection), when the head just inside it is
    /// scalp; nil where it is face, ear or neck, or the ray never leaves the head in the image.
    static func outlineRadius(geometry: HeadViewGeometry, head: HeadModel, from centre: SIMD2<Double>, along direction: SIMD2<Double>,
                              within span: Double, step: Double) -> Double? {
        func hit(_ radius: Double) -> HeadModel.Hit? {
            let p = centre + direction * radius
            return geometry.hit(x: p.x, y: p.y, edgeSlope: 0).hit
        }
        guard span > 0, hit(0) != nil else { return nil }
        // March out in coarse steps to the first miss, then bisect.
        var inside = 0.0, outside = 0.0
        var radius = step
        while radius < span {
            if hit(radius) == nil { outside = radius; break }
            inside = radius
            radius += step
        }
        guard outside > 0 else { return nil }
        while outside - inside > 0.1 {
            let middle = 0.5 * (inside + outside)
            if hit(middle) != nil { inside = middle } else { outside = middle }
        }
        // The surface a pixel inside the outline shows: scalp, or another part of the head.
        guard let last = hit(max(0, inside - 1)), head.scalpWeight(at: last.point, active: last.active) > 0.5 else { return nil }
        return inside
    }

    /// What the check could see: how many rays meet the fitted scalp's outline, how many of them
    /// found the photo's head edge, and the worst spill.
    public var check: PhotoOutlineCheck {
        PhotoOutlineCheck(scalpRays: samples.reduce(0) { $0 + ($1 == nil ? 0 : 1) },
                          raysWithEdge: samples.reduce(0) { $0 + ($1?.edgeRadius == nil ? 0 : 1) },
                          worstSpillPixels: worstSpill?.pixels)
    }

    /// The rays' spill, each the worst of it and its two neighbours' least (a lone ray's false
    /// edge, a shadow or a fleck of background, does not count alone): the worst of these,
    /// with its ray; nil when no ray found an edge.
    public var worstSpill: (pixels: Double, sample: Sample)? {
        var worst: (pixels: Double, sample: Sample)?
        for index in samples.indices {
            guard let sample = samples[index] else { continue }
            let held = heldSpill(at: index)
            if held > (worst?.pixels ?? -.infinity) { worst = (held, sample) }
        }
        return worst
    }

    /// Ray `index`'s spill, at most its neighbours' largest; -∞ without an edge.
    func heldSpill(at index: Int) -> Double {
        let count = samples.count
        guard let spill = samples[index]?.spillPixels else { return -.infinity }
        let neighbours = [samples[(index + count - 1) % count]?.spillPixels, samples[(index + 1) % count]?.spillPixels]
        return min(spill, neighbours.compactMap { $0 }.max() ?? -.infinity)
    }

    /// The image point where a sample's fitted outline lies.
    public func point(of sample: Sample) -> SIMD2<Double> {
        centre + SIMD2(cos(sample.angle), sin(sample.angle)) * sample.fittedRadius
    }

    /// Where a sample's ray leaves the head, in the image's directions: "the top of the photo's
    /// head", "the upper left of the photo's head", ...
    public func placeName(of sample: Sample) -> String {
        let names = ["the right side", "the lower right", "the bottom", "the lower left", "the left side", "the upper left",
                     "the top", "the upper right"]
        let octant = Int(((sample.angle / (2 * .pi) * 8) + 0.5).rounded(.down)) % 8
        return "\(names[octant]) of the photo's head"
    }

    /// The rays' spills as a pixel clip: beyond the photo's edge (half a pixel of slack: a pixel
    /// whose centre lies further out shows little of the head), on rays whose fitted scalp spills more than `minimumPixels` past
    /// it, the photo shows background and the composite leaves it alone. A ray counts when a
    /// neighbour spills too (as in `worstSpill`), or when its edge lies within
    /// `agreementPixels` of its neighbours' (a lone false edge, a shadow or a fleck within the
    /// head, lies off theirs and would cut a wedge out of the scalp).
    public func clip(minimumPixels: Double) -> PhotoOutlineClip? {
        let count = samples.count
        let rim = samples.map { sample -> PhotoOutlineClip.Rim? in
            guard let sample, let edge = sample.edgeRadius, let background = sample.background, let head = sample.headSide else { return nil }
            func linear(_ c: SIMD3<Double>) -> LinearRGB {
                LinearRGB(SRGBTransfer.decode(UInt8(c.x.rounded())), SRGBTransfer.decode(UInt8(c.y.rounded())), SRGBTransfer.decode(UInt8(c.z.rounded())))
            }
            let rim = PhotoOutlineClip.Rim(edgeRadius: edge, background: linear(background), head: linear(head))
            let split = rim.head - rim.background
            // Too little between head and background to tell a pixel's share.
            return (split * split).sum() > 1e-4 ? rim : nil
        }
        let limits = samples.indices.map { index -> Double? in
            guard let sample = samples[index], let edge = sample.edgeRadius, sample.fittedRadius - edge > minimumPixels else { return nil }
            let neighbours = [samples[(index + count - 1) % count]?.edgeRadius, samples[(index + 1) % count]?.edgeRadius].compactMap { $0 }
            let agrees = !neighbours.isEmpty && neighbours.allSatisfy { abs($0 - edge) <= Self.agreementPixels }
            guard heldSpill(at: index) > minimumPixels || agrees else { return nil }
            return edge + 0.5
        }
        guard limits.contains(where: { $0 != nil }) || rim.contains(where: { $0 != nil }) else { return nil }
        return PhotoOutlineClip(centre: centre, limitRadii: limits, rim: rim)
    }

    /// How far a ray's edge may lie from its neighbours' (3° away) and still be the head's
    /// outline, pixels.
    static let agreementPixels = 3.0
}

/// How much of the fitted scalp's outline the photo let the outline check see. Where hair
/// covers the head's edge, or the background has the skin's colour, the rays find no edge and
/// say nothing: a check with too few edges has not verified the fit, and the render says so
/// (report.json's `photo.outline`, a warning on standard error) instead of passing silently.
public struct PhotoOutlineCheck: Sendable, Equatable {
    /// Rays (every 3° about the head's centre) that meet the fitted scalp's outline in the photo.
    public var scalpRays: Int
    /// Of them, the rays that found the photo's head edge near it.
    public var raysWithEdge: Int
    /// The worst spill past the photo's head (pixels, on two neighbouring rays; negative: the
    /// fitted scalp stops short); nil when no ray found an edge.
    public var worstSpillPixels: Double?

    /// The share of the scalp's rays that must find an edge for the check to count: the clean
    /// fixtures find it on nearly all of them, a skin-coloured wall on none; with less than half
    /// a spill on the rest could go unseen over a whole side.
    public static let verifiedShare = 0.5

    /// Enough of the outline was seen to trust the check.
    public var verified: Bool { scalpRays > 0 && Double(raysWithEdge) >= Self.verifiedShare * Double(scalpRays) }

    public init(scalpRays: Int, raysWithEdge: Int, worstSpillPixels: Double?) {
        self.scalpRays = scalpRays
        self.raysWithEdge = raysWithEdge
        self.worstSpillPixels = worstSpillPixels
    }
}

/// Pixels the composite must leave as the photo because they lie past the photo's head
/// (`PhotoOutline.clip`): per ray from the head's centre, the radius beyond which the photo
/// shows background.
public struct PhotoOutlineClip: Sendable {
    let centre: SIMD2<Double>
    /// Per ray (`PhotoOutline`'s angles); nil: nothing clipped along it.
    let limitRadii: [Double?]
    /// Per ray: the photo's head edge and the background past it; nil where no edge was found.
    var rim: [Rim?] = []

    struct Rim: Sendable {
        var edgeRadius: Double
        /// The photo's colours just past the edge and just inside it, linear light.
        var background: LinearRGB
        var head: LinearRGB
    }

    /// How far inside the photo's edge a pixel may share its colour with the background: the
    /// photo-like case's soft edge blends over 2-3 px.
    static let rimPixels = 3.0

    /// The share of the pixel at `ray` (`rayPosition`) that is head, from its colour `pixel` (linear light)
    /// between the nearest ray's head and background colours, 0 to 1; nil well inside the photo's
    /// edge or where no ray near found one. The ink is scaled by it, as by a mask's grey: a rim
    /// pixel half wall takes half the ink (inked whole, the soft edge's blend went grey, 2-4 px
    /// past the head along the photo-like case's left side), a wall pixel none.
    @inline(__always)
    func headShare(_ ray: (offset: SIMD2<Double>, position: Double), pixel: LinearRGB) -> Float? {
        guard !rim.isEmpty else { return nil }
        let (d, position) = ray
        let count = rim.count
        let nearest = Int(position.rounded()) % count
        let other = Int(position.rounded(.down)) % count == nearest ? (nearest + 1) % count : (nearest + count - 1) % count
        guard let edge = rim[nearest] ?? rim[other] else { return nil }
        let inner = edge.edgeRadius - Self.rimPixels
        guard inner < 0 || (d * d).sum() > inner * inner else { return nil }
        let split = edge.head - edge.background
        return min(1, max(0, ((pixel - edge.background) * split).sum() / (split * split).sum()))
    }

    /// Pixel (column, row)'s offset from the outline's centre and its angle in ray steps
    /// (0 ..< the ray count, fractional between rays).
    @inline(__always)
    func rayPosition(column: Int, row: Int) -> (offset: SIMD2<Double>, position: Double) {
        let d = SIMD2(Double(column) + 0.5, Double(row) + 0.5) - centre
        var angle = atan2(d.y, d.x)
        if angle < 0 { angle += 2 * .pi }
        return (d, angle / PhotoOutline.angleStep)
    }

    /// Is the pixel at `ray` (`rayPosition`) past the photo's head on a clipped ray? Between rays, the nearer
    /// clipped neighbours' radii, blended.
    @inline(__always)
    func isBackground(_ ray: (offset: SIMD2<Double>, position: Double)) -> Bool {
        let (d, position) = ray
        let count = limitRadii.count
        let low = Int(position.rounded(.down)) % count, high = (low + 1) % count
        let t = position - position.rounded(.down)
        let limit: Double
        switch (limitRadii[low], limitRadii[high]) {
        case let (a?, b?): limit = a + (b - a) * t
        case let (a?, nil): limit = a
        case let (nil, b?): limit = b
        case (nil, nil): return false
        }
        return (d * d).sum() > limit * limit
    }
}

/// A photo's pixels as colours (sRGB levels), for the outline's profiles.
struct PhotoPixels {
    let photo: Photo

    func colour(_ x: Int, _ y: Int) -> SIMD3<Double>? {
        guard x >= 0, y >= 0, x < photo.width, y < photo.height else { return nil }
        let i = 3 * (y * photo.width + x)
        return SIMD3(Double(photo.pixels[i]), Double(photo.pixels[i + 1]), Double(photo.pixels[i + 2]))
    }

    /// Chromaticity steps smaller than this (in `chromaticity`'s units) are noise or shading:
    /// skin against a grey wall differs by about 0.045.
    static let chromaticityStep = 0.012

    /// A colour's red and blue shares of its sum (a pale offset keeps the darkest pixels'
    /// noise from dominating): the same under more or less light.
    static func chromaticity(_ c: SIMD3<Double>) -> SIMD2<Double> {
        let sum = c.x + c.y + c.z + 30
        return SIMD2((c.x + 10) / sum, (c.z + 10) / sum)
    }

    static func chromaticityDistance(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }

    /// The mean colour of the pixels within `radius` of `point`.
    func mean(around point: SIMD2<Double>, radius: Double) -> SIMD3<Double> {
        var sum = SIMD3<Double>.zero, count = 0.0
        let r = Int(radius.rounded(.up))
        for dy in -r...r {
            for dx in -r...r where Double(dx * dx + dy * dy) <= radius * radius {
                if let c = colour(Int(point.x.rounded(.down)) + dx, Int(point.y.rounded(.down)) + dy) { sum += c; count += 1 }
            }
        }
        return count > 0 ? sum / count : SIMD3(repeating: 128)
    }

    /// Along the ray from `centre` in `direction`, between `near - reach` and `near + reach`
    /// pixels out: the radius of the strongest colour step whose inner side is nearer
    /// `headColour` than its outer side, to a tenth of a pixel; nil when no step stands clear of
    /// the pixels' noise.
    func edge(from centre: SIMD2<Double>, along direction: SIMD2<Double>, near: Double, reach: Double,
              headColour: SIMD3<Double>) -> Double? {
        let tangent = SIMD2(-direction.y, direction.x)
        let start = max(0, near - reach)
        let count = Int((near + reach - start).rounded(.down)) + 1
        guard count > 8 else { return nil }
        // Each step of the profile: 7 pixels across the ray, averaged (the photo's noise).
        var profile: [SIMD3<Double>] = []
        profile.reserveCapacity(count)
        for k in 0..<count {
            let p = centre + direction * (start + Double(k))
            var sum = SIMD3<Double>.zero, n = 0.0
            for across in -3...3 {
                let q = p + tangent * Double(across)
                if let c = colour(Int(q.x.rounded(.down)), Int(q.y.rounded(.down))) { sum += c; n += 1 }
            }
            guard n > 0 else { return nil }
            profile.append(sum / n)
        }
        let window = max(3, Int(reach / 8))
        guard count > 2 * window else { return nil }
        func mean(_ range: Range<Int>) -> SIMD3<Double> { profile[range].reduce(.zero, +) / Double(range.count) }
        func length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }
        let headChroma = Self.chromaticity(headColour)
        var contrast = [Double](repeating: 0, count: count)
        var best = -1
        for k in window...(count - window) {
            let inner = mean((k - window)..<k), outer = mean(k..<(k + window))
            // The head's side is its colour in shade too: in chromaticity (the shading divides
            // out) the inner side must be the head's and the outer side clearly not. Shading
            // and creases within the head, however strong, are not its edge.
            let innerOff = Self.chromaticityDistance(Self.chromaticity(inner), headChroma)
            let outerOff = Self.chromaticityDistance(Self.chromaticity(outer), headChroma)
            guard outerOff - innerOff > Self.chromaticityStep else { continue }
            contrast[k] = length(inner - outer)
            if best < 0 || contrast[k] > contrast[best] { best = k }
        }
        guard best > 0 else { return nil }
        // The noise of one profile step, from neighbours' differences on both sides.
        var noise = 0.0, pairs = 0.0
        for k in 1..<count where abs(k - best) > window {
            noise += length(profile[k] - profile[k - 1]) * length(profile[k] - profile[k - 1]); pairs += 1
        }
        let sigma = pairs > 0 ? (noise / (2 * pairs)).squareRoot() : 0
        // A window's mean has σ/√window of noise; a step is clear at 6 of those and 4 levels.
        guard contrast[best] > max(4, 6 * sigma / Double(window).squareRoot()) else { return nil }
        // The windows' contrast peaks where the head's colour gives way, which on a shaded rim is
        // where the rim darkens, pixels inside the silhouette; the silhouette is the outermost
        // sharp step near it (the background beyond is even): among the two-pixel steps within a
        // window of the peak, the outermost of those at least half the strongest.
        let low = max(2, best - window), high = min(count - 1, best + window)
        var steps = [Double](repeating: 0, count: count)
        for k in low...high { steps[k] = length(profile[k] - profile[k - 2]) }
        let strongest = steps[low...high].max() ?? 0
        var outer = best
        for k in low...high where steps[k] >= 0.5 * strongest && steps[k] >= steps[k - 1] && (k == high || steps[k] >= steps[k + 1]) {
            outer = k
        }
        // Between profile steps: the vertex of the parabola through the step's peak.
        var offset = 0.0
        if outer > low, outer < high {
            let a = steps[outer - 1], b = steps[outer], c = steps[outer + 1]
            let curvature = a - 2 * b + c
            if curvature < 0 { offset = max(-0.5, min(0.5, 0.5 * (a - c) / curvature)) }
        }
        // Step k spans pixels k-2 to k: the edge lies at pixel k-1's centre, between their centres.
        return start + Double(outer) - 1 + offset
    }
}
