import Foundation

/// The whole head a view looks at, in millimetres, in `HeadShape`'s frame (X to the patient's
/// right, Y to the back, Z up, origin at the centre of the ear-line plane): the adult vault
/// (`Cranium`, the chart's half-ellipsoid reshaped), continued by a neutral mannequin (brow ridge, a featureless face with a nose and
/// eye-socket suggestion, cheekbones, jaw, chin, ears, a neck flaring into the shoulders), each part an ellipsoid or an elliptic
/// cylinder blended into the others by a smooth minimum of signed distances.
///
/// The mannequin is deliberately generic: proportions from adult head and face means (tragion
/// to menton about 130 mm, bizygomatic breadth about 140 mm, nose projection about 25 mm, neck
/// circumference about 380 mm; our estimates from anthropometric tables), scaled with the
/// scene's cranium. It must read as a head, not as the patient's face.
///
/// The scalp (everything the chart maps) is the vault exactly wherever the other
/// parts are more than their blend radius away, which is all of the treated area; `scalpWeight`
/// says how much a surface point belongs to it.
public struct HeadModel: Sendable {
    public let shape: HeadShape
    /// The vault: `parts[0]` is the ellipsoid that bounds it.
    public let cranium: Cranium

    /// One blended part: an ellipsoid (`height` nil) or a vertical elliptic cylinder from
    /// `centre.z − height` to `centre.z + height`, radii in mm; `blendMM` is the smooth-minimum
    /// radius with which it joins what came before, `carves` subtracts it instead.
    struct Part: Sendable {
        let centre: SIMD3<Double>
        let radii: SIMD3<Double>
        let height: Double?
        let blendMM: Double
        let carves: Bool
        /// 1/r and 1/r²: the distance, evaluated at every step of every marched ray, without a
        /// division.
        let inverseRadii: SIMD3<Double>
        let inverseRadiiSquared: SIMD3<Double>

        init(centre: SIMD3<Double>, radii: SIMD3<Double>, height: Double?, blendMM: Double, carves: Bool = false) {
            self.centre = centre
            self.radii = radii
            self.height = height
            self.blendMM = blendMM
            self.carves = carves
            inverseRadii = 1 / radii
            inverseRadiiSquared = inverseRadii * inverseRadii
        }
    }

    /// The cranium's bounding ellipsoid is `parts[0]`; its distance is the vault's
    /// (`partDistance`), and it is not blended.
    let parts: [Part]
    /// A part grown by some millimetres, as a ray test reads it: the inverse radii (no division
    /// per ray), and the half height of a cylinder (nil: an ellipsoid).
    struct Bound: Sendable {
        var centre: SIMD3<Double>
        var inverseRadii: SIMD3<Double>
        var halfHeight: Double?

        init(_ part: Part, grow: Double) {
            centre = part.centre
            inverseRadii = 1 / (part.radii + grow)
            halfHeight = part.height.map { $0 + grow }
        }

        /// How far the bound reaches below its centre, mm.
        var halfDepth: Double { halfHeight ?? 1 / inverseRadii.z }
    }

    /// Each part grown by the reach of its blend (where it can shape the surface), and by the
    /// most its blend adds to the volume (where the surface can be).
    let reachBounds: [Bound]
    let surfaceBounds: [Bound]
    /// The cranium and the neck themselves (the first and the last part), for rays that meet
    /// them first.
    /// The vault's axes inverted, for its distance without a division.
    let craniumInverseRadii: SIMD3<Double>
    /// An ellipsoid inside the vault: a ray that enters it crossed the vault once before.
    let craniumInnerBound: Bound
    let craniumInverseRadiiSquared: SIMD3<Double>
    let neckBound: Bound
    /// The shoulders' part (`parts[shouldersIndex]`), met exactly where no other part reaches
    /// (`shouldersAlone`).
    let shouldersIndex: Int
    /// The largest blend radius: how far the cranium can shape the surface.
    let widestBlendMM: Double
    /// A sphere holding every part but the neck, with its blend reach.
    let boundingCentre: SIMD3<Double>
    let boundingRadius: Double
    /// The cranium ellipsoid ends (smoothly, over `craniumCutBlendMM`) at this height under the
    /// midline, rising by `craniumCutRise` per mm to either side: below the nape the jaw and
    /// neck take over, instead of the ellipsoid's lower half bulging under the chin, and at the
    /// sides the jaw's own breadth (not the vault's) makes the face's outline below the
    /// cheekbones, narrowing toward the chin as a face does.
    let craniumCutMM: Double
    let craniumCutRise: Double
    /// 1/√(1 + rise²): the cut's distance from its height difference.
    let craniumCutNormalZ: Double
    let craniumCutBlendMM: Double
    /// Below this height (mm) only the neck shapes the surface.
    let neckAloneBelowMM: Double

    /// Where the neck is cut off: below every view's frame.
    static let neckBottomMM = -420.0

    public init(shape: HeadShape) {
        self.init(cranium: Cranium(shape: shape))
    }

    public init(cranium: Cranium) {
        let shape = cranium.shape
        self.shape = shape
        self.cranium = cranium
        // Proportions relative to the man's default cranium (100, 77, 131 mm semi-axes).
        let sx = shape.sideToSideMM / 77, sy = shape.frontToBackMM / 100, sz = shape.earToTopMM / 131
        func p(_ x: Double, _ y: Double, _ z: Double) -> SIMD3<Double> { SIMD3(x * sx, y * sy, z * sz) }
        let s = (sx + sy + sz) / 3
        var parts = [Part(centre: .zero, radii: cranium.radii * cranium.largestFactor, height: nil, blendMM: 0)]
        // Jaw and face mass: the mandible's breadth at its angles (bigonial breadth about
        // 107 mm), front at the lips; set high enough that its underside, not the neck, makes
        // the line from the chin back to the angle below the ear.
        parts.append(Part(centre: p(0, -44, -62), radii: p(53.5, 50, 42), height: nil, blendMM: 26 * s))
        parts.append(Part(centre: p(0, -76, -92), radii: p(26, 13, 14), height: nil, blendMM: 30 * s))     // chin
        for side in [-1.0, 1.0] {
            // Cheekbones: flat and high, under the eye sockets and back toward the zygomatic
            // arches, so they shape the face's outline without standing out as cheeks.
            parts.append(Part(centre: p(side * 44, -62, -12), radii: p(16, 20, 17), height: nil, blendMM: 24 * s))
        }
        // Brow ridge: curved back with the forehead (its front some 2 mm proud of the vault's
        // over the inner eyes, most at the glabella) and gone into the forehead before the
        // temples, not a bar standing off the forehead's curve.
        parts.append(Part(centre: p(0, -76, 18), radii: p(40, 26, 11), height: nil, blendMM: 21 * s))
        // Nose: a dorsum widening and coming forward from the nasion down to the tip (the
        // bridge's lower half), and a tip narrower than the alae's span and no taller than it
        // is deep, set into the bridge's end: a nose, not a ball on a stick.
        parts.append(Part(centre: p(0, -99, -12), radii: p(8.5, 14, 22), height: nil, blendMM: 9 * s))     // nose bridge
        parts.append(Part(centre: p(0, -103, -25), radii: p(8.5, 9.5, 5.5), height: nil, blendMM: 12 * s))  // nose tip and wings
        for side in [-1.0, 1.0] {
            // Eye sockets: a shallow, broad hollow under the brow, so the face reads as a face;
            // blended widely, so the brow above them is a soft ridge, not a bar.
            parts.append(Part(centre: p(side * 31, -105, 4), radii: p(17, 8.5, 12), height: nil, blendMM: 18 * s, carves: true))
        }
        // Shoulders and the trapezius: the neck flares into them at the frame's bottom instead
        // of running on as a pole; their top some 205 mm below the ear line (as `HangingHair`'s
        // shoulders).
        shouldersIndex = parts.count
        parts.append(Part(centre: p(0, 38, -290), radii: p(165, 85, 85), height: nil, blendMM: 36 * s))
        // The ears against the vault's side where they sit (narrower there than the head's
        // breadth, which the parietals set), not floating off it.
        let earSide = cranium.point(polar: Double.pi / 2 + 0.03, azimuth: 0.14).x
        for side in [-1.0, 1.0] {
            parts.append(Part(centre: SIMD3(side * (earSide + 2 * sx), 14 * sy, -4 * sz), radii: p(8, 17, 31),
                              height: nil, blendMM: 6 * s))   // ear
        }
        // Neck: a cylinder from inside the head down past the frame, narrower than the jaw and
        // set back under it (the throat some 50 mm behind the chin, the nape under the occiput).
        let neckTop = -30 * sz
        parts.append(Part(centre: SIMD3(0, 20 * sy, 0.5 * (neckTop + Self.neckBottomMM)), radii: p(48, 52, 1),
                          height: 0.5 * (neckTop - Self.neckBottomMM), blendMM: 30 * s))
        self.parts = parts
        let widest = parts.map(\.blendMM).max() ?? 0
        widestBlendMM = widest
        reachBounds = parts.indices.map { Bound(parts[$0], grow: $0 == 0 ? 1.5 * widest + 1 : 1.5 * parts[$0].blendMM + 1) }
        neckBound = Bound(parts[parts.count - 1], grow: 0)
        // The blends lift the cranium's surface by up to a quarter of the widest blend radius.
        surfaceBounds = parts.indices.map { Bound(parts[$0], grow: $0 == 0 ? widest / 4 + 0.5 : parts[$0].blendMM / 2 + 0.5) }
        craniumInverseRadii = 1 / cranium.radii
        craniumInnerBound = Bound(Part(centre: .zero, radii: cranium.radii * cranium.smallestFactor, height: nil, blendMM: 0), grow: 0)
        craniumInverseRadiiSquared = 1 / (cranium.radii * cranium.radii)
        // Every part but the neck, grown by the widest reach, lies within this sphere.
        let centre = SIMD3<Double>(0, -10 * sy, -20 * sz)
        boundingCentre = centre
        boundingRadius = parts.dropLast().map { part in
            let offset = part.centre - centre
            return (offset * offset).sum().squareRoot() + part.radii.max() + 1.5 * (parts.map(\.blendMM).max() ?? 0) + 1
        }.max() ?? 0
        craniumCutMM = -80 * sz
        // 0.6 mm up per mm aside: the vault ends some 35 mm below the ear line under the ears
        // (where the jaw's angle takes over), still 80 mm down at the nape's and chin's midline.
        craniumCutRise = 0.6 * sz / sx
        craniumCutNormalZ = 1 / (1 + craniumCutRise * craniumCutRise).squareRoot()
        craniumCutBlendMM = 20 * s
        // Below the cranium's cut and every other part's reach (the neck's blend beyond both).
        let reach = reachBounds
        neckAloneBelowMM = min(-80 * sz - 20 * s - widest - 1,
                               parts.indices.dropFirst().dropLast().map { parts[$0].centre.z - reach[$0].halfDepth }.min() ?? 0)
    }

    // MARK: Signed distance

    /// Every part: `distance(_:active:)` with all of them.
    var allParts: UInt32 { parts.count >= 32 ? .max : (1 << UInt32(parts.count)) - 1 }

    /// Signed distance (approximate, a lower bound near the surface) of `q` to the head: negative
    /// inside. `active` (bit i: `parts[i]`) leaves out parts too far from a ray to shape the
    /// surface along it (`intersect`): the same value wherever the ray can meet the surface.
    func distance(_ q: SIMD3<Double>, active: UInt32) -> Double {
        var d = Double.infinity
        var bits = active
        while bits != 0 {
            let index = bits.trailingZeroBitCount
            bits &= bits - 1
            let part = parts[index]
            let di = partDistance(q, index)
            if index == 0 {
                d = Self.smoothMax(di, belowCut(q), craniumCutBlendMM)
            } else {
                d = part.carves ? Self.smoothMax(d, -di, part.blendMM) : Self.smoothMin(d, di, part.blendMM)
            }
        }
        return d
    }

    /// The signed distance of `q` below the cranium's cut (negative above it), mm.
    @inline(__always)
    func belowCut(_ q: SIMD3<Double>) -> Double {
        (craniumCutMM + craniumCutRise * abs(q.x) - q.z) * craniumCutNormalZ
    }

    /// How much the surface at `q` is the cranium's, 0…1: 1 where no other part comes within its
    /// blend radius, falling to 0 where another part takes over (face, ears, neck).
    public func scalpWeight(at q: SIMD3<Double>, active: UInt32? = nil) -> Double {
        let cranium = partDistance(q, 0)
        var weight = 1.0
        var bits = (active ?? allParts) & ~1
        while bits != 0 {
            let index = bits.trailingZeroBitCount
            bits &= bits - 1
            let part = parts[index]
            guard !part.carves else { continue }
            let di = Self.distance(q, to: part)
            // 1 while the part is a blend radius farther than the cranium, 0 once it is as near.
            let t = min(max((di - cranium) / max(part.blendMM, 1), 0), 1)
            weight = min(weight, t * t * (3 - 2 * t))
        }
        return weight
    }

    /// The distance to `parts[index]`: the vault's for the cranium.
    @inline(__always)
    func partDistance(_ q: SIMD3<Double>, _ index: Int) -> Double {
        index == 0 ? cranium.distance(q, inverseRadii: craniumInverseRadii, inverseRadiiSquared: craniumInverseRadiiSquared)
            : Self.distance(q, to: parts[index])
    }

    static func distance(_ q: SIMD3<Double>, to part: Part) -> Double {
        let p = q - part.centre
        if let height = part.height {
            let xy = SIMD2(p.x, p.y)
            let a = xy * SIMD2(part.inverseRadii.x, part.inverseRadii.y)
            let b = xy * SIMD2(part.inverseRadiiSquared.x, part.inverseRadiiSquared.y)
            let k0 = (a * a).sum().squareRoot(), k1 = (b * b).sum().squareRoot()
            let radial = k1 > 0 ? k0 * (k0 - 1) / k1 : -min(part.radii.x, part.radii.y)
            let vertical = abs(p.z) - height
            let outside = SIMD2(max(radial, 0), max(vertical, 0))
            return (outside * outside).sum().squareRoot() + min(max(radial, vertical), 0)
        }
        // Quilez's ellipsoid bound: exact on the surface, close near it.
        let a = p * part.inverseRadii, b = p * part.inverseRadiiSquared
        let k0 = (a * a).sum().squareRoot(), k1 = (b * b).sum().squareRoot()
        return k1 > 0 ? k0 * (k0 - 1) / k1 : -part.radii.min()
    }

    /// Polynomial smooth minimum: equals min(a, b) when they differ by more than k, and lies at
    /// most k/4 below it.
    static func smoothMin(_ a: Double, _ b: Double, _ k: Double) -> Double {
        guard k > 0 else { return min(a, b) }
        let h = max(k - abs(a - b), 0) / k
        return min(a, b) - h * h * k / 4
    }

    static func smoothMax(_ a: Double, _ b: Double, _ k: Double) -> Double { -smoothMin(-a, -b, k) }

    /// The vault's outward unit normal at `q`, where no other part shapes it.
    func craniumNormal(at q: SIMD3<Double>) -> SIMD3<Double> {
        Self.gradientDirection(at: q) { partDistance($0, 0) }
    }

    /// The outward unit normal at `q` (the distance's gradient).
    func normal(at q: SIMD3<Double>, active: UInt32) -> SIMD3<Double> {
        Self.gradientDirection(at: q) { distance($0, active: active) }
    }

    /// The unit gradient of `distance` at `q`, by tetrahedral differences 0.02 mm wide.
    @inline(__always)
    static func gradientDirection(at q: SIMD3<Double>, _ distance: (SIMD3<Double>) -> Double) -> SIMD3<Double> {
        let h = 0.02
        let a = SIMD3<Double>(1, -1, -1), b = SIMD3<Double>(-1, -1, 1), c = SIMD3<Double>(-1, 1, -1), d = SIMD3<Double>(1, 1, 1)
        let g = a * distance(q + a * h) + b * distance(q + b * h) + c * distance(q + c * h) + d * distance(q + d * h)
        let length = (g * g).sum().squareRoot()
        return length > 0 ? g / length : SIMD3(0, 0, 1)
    }

    // MARK: Rays

    /// Where a ray meets the head.
    public struct Hit: Sendable {
        /// Distance along the (unit) ray, mm.
        public var distanceMM: Double
        public var point: SIMD3<Double>
        public var normal: SIMD3<Double>
        /// The ray passed within `nearMissMM` of the surface without hitting it, or passed close
        /// to a nearer part before hitting: the pixel is on an edge and needs more rays.
        public var onEdge: Bool
        /// The parts that shape the surface near the ray (`distance(_:active:)`).
        var active: UInt32
    }

    /// The first hit of the ray `origin + t·direction` (unit direction), or nil. `edgeSlope` is
    /// the pixel's half-width per mm of distance: a ray passing closer than that cone is flagged
    /// `onEdge` (hit or not, returned with `hit == nil` as a miss on an edge).
    public func intersect(origin: SIMD3<Double>, direction: SIMD3<Double>, edgeSlope: Double) -> (hit: Hit?, onEdge: Bool) {
        // Most rays of a view miss the head: one sphere around the head and the neck's bound
        // tell them apart before the parts are tried one by one.
        let toCentre = boundingCentre - origin
        let along = (toCentre * direction).sum()
        let missesHead = (toCentre * toCentre).sum() - along * along > boundingRadius * boundingRadius
        if missesHead && Self.bounds(origin: origin, direction: direction, reachBounds[parts.count - 1]) == nil {
            return (nil, false)
        }
        return intersect(origin: origin, direction: direction, edgeSlope: edgeSlope, candidates: allParts)
    }

    /// `intersect`, trying only the parts in `candidates` (bit i: `parts[i]`): the same answer
    /// whenever every part whose reach bound the ray meets is among them (a view finds them per
    /// pixel from the bounds' boxes in its image, `HeadViewCull`). `skipsBetweenSurfaces` false
    /// marches through the stretches between the parts' surface bounds too, as a test's reference.
    /// `marchStart`: a depth before which the ray is known to pass no surface closer than an
    /// edge's cone (a view's tile, `HeadViewGeometry.tileStart`): the march begins there.
    func intersect(origin: SIMD3<Double>, direction: SIMD3<Double>, edgeSlope: Double, candidates: UInt32,
                   skipsBetweenSurfaces: Bool = true, marchingFrom marchStart: Double = 0) -> (hit: Hit?, onEdge: Bool) {
        // Every part's bound: the blends only add volume within a quarter of the blend radius
        // (grown by half of it, for the ellipsoid bound's slack), so the surface lies inside the
        // parts grown by that much; a part whose blend reach (grown by 1.5 radii) the ray misses
        // does not shape the surface along it and is left out of the distance.
        var craniumT = Double.infinity
        var nearestOther = Double.infinity, nearestButNeck = Double.infinity
        var farthest = -Double.infinity
        var craniumExit = -Double.infinity
        var active: UInt32 = 0
        let neck = parts.count - 1
        // Where the ray is within each part's reach (the cranium's left at nothing): outside all
        // of them the surface is the vault's alone.
        var reach = ReachStretches()
        // Where the ray is within each part's surface bound: outside all of them there is no
        // surface, and the march crosses such a stretch in one step.
        var surface = ReachStretches()
        // Where the ray is within the reach of a part other than the shoulders (the cranium's
        // included): outside all of them the surface is the shoulders' alone.
        var reachButShoulders = ReachStretches()
        var remaining = candidates
        while remaining != 0 {
            let index = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            guard let (reachEnter, reachExit) = Self.bounds(origin: origin, direction: direction, reachBounds[index]) else { continue }
            active |= 1 << UInt32(index)
            if index != 0 { reach.add(index, enter: reachEnter, exit: reachExit) }
            if index != shouldersIndex { reachButShoulders.add(index, enter: reachEnter, exit: reachExit) }
            guard let (enter, exit) = Self.bounds(origin: origin, direction: direction, surfaceBounds[index]) else { continue }
            surface.add(index, enter: enter, exit: exit)
            let part = parts[index]
            // A carved part only removes volume, but it may remove some of the cranium's.
            if index == 0 { (craniumT, craniumExit) = (enter, exit) } else { nearestOther = min(nearestOther, enter) }
            if index != 0 && index != neck { nearestButNeck = min(nearestButNeck, enter) }
            if !part.carves { farthest = max(farthest, exit) }
        }
        // Likewise the neck's cylinder, met before the cranium and every other part's bound, where
        // nothing blends into it: a side view's neck is a large part of the image.
        if active & (1 << UInt32(neck)) != 0,
           let (neckT, _) = Self.bounds(origin: origin, direction: direction, neckBound),
           neckT > 0, neckT < craniumT, neckT < nearestButNeck {
            let point = origin + direction * neckT
            let local = point - parts[neck].centre
            if abs(local.z) < parts[neck].height! - 1 && neckUnblended(point, active: active) {
                var n = SIMD3(local.x * parts[neck].inverseRadiiSquared.x, local.y * parts[neck].inverseRadiiSquared.y, 0)
                n /= (n * n).sum().squareRoot()
                let facing = -(n * direction).sum()
                return (Hit(distanceMM: neckT, point: point, normal: n, onEdge: facing < 0.12, active: active), facing < 0.12)
            }
        }
        // The vault met before any other part's bound, at a point no other part blends into: a
        // ray that enters the ellipsoid inside the vault crossed the vault between the two
        // bounds; found by regula falsi, not marched.
        if craniumT.isFinite, let (inner, _) = Self.bounds(origin: origin, direction: direction, craniumInnerBound),
           inner > 0, craniumT < inner {
            let t = cranium.crossing(origin: origin, direction: direction, outside: max(craniumT, 0), inside: inner,
                                     inverseRadii: craniumInverseRadii)
            let point = origin + direction * t
            // Unblended, the head's distance there is the vault's own: the point is on its surface.
            if t < nearestOther && unblended(point, active: active) {
                let n = craniumNormal(at: point)
                let facing = -(n * direction).sum()
                return (Hit(distanceMM: t, point: point, normal: n, onEdge: facing < 0.12, active: active), facing < 0.12)
            }
        } else if craniumT < nearestOther, let t = vaultCrossing(origin: origin, direction: direction, from: max(craniumT, 0),
                                                                 to: min(craniumExit, nearestOther)) {
            // A ray near the vault's outline, which misses the ellipsoid inside it, met by the
            // vault before any other part's bound: found on the vault alone, where marching
            // evaluates every part's distance at every step.
            let point = origin + direction * t
            if unblended(point, active: active) {
                let n = craniumNormal(at: point)
                let facing = -(n * direction).sum()
                return (Hit(distanceMM: t, point: point, normal: n, onEdge: facing < 0.12, active: active), facing < 0.12)
            }
        }
        let start = min(craniumT, nearestOther)
        guard start.isFinite, farthest > 0 else {
            return (nil, false)
        }
        var t = max(start, marchStart, 0)
        // The ray's closest passes by a surface it does not stop at: where the distance, having
        // fallen, rises again. Passing within the cone makes the pixel an edge.
        var closestRatio = Double.infinity
        var previous = Double.infinity, previousT = t, falling = true
        // The vault's first crossing after the march's first point outside every other part's
        // reach (infinity: none), found once per ray; until then, such stretches are crossed in one step.
        var vaultT: Double?
        // The parts whose reach holds the march's point (the cranium always): a part outside
        // its reach is farther than 1.5 blend radii, so that wherever the distance is under
        // half a blend radius (near any surface) it is the same without it, and farther out
        // it cannot bring a surface nearer than the distance without it. Until
        // `nearPartsUntil` the set holds; `nextReach` is the next reach the ray enters, which
        // the march does not step past.
        var nearParts = active, nearPartsUntil = -Double.infinity, nextReach = Double.infinity
        if !reach.canSkip { nearPartsUntil = .infinity }
        for _ in 0..<200 {
            if skipsBetweenSurfaces, surface.canSkip, !surface.contains(t) {
                // Between the parts' surface bounds: the nearest surface is more than the
                // bounds' slack away (at least half a millimetre, far more than a large view's
                // pixel), so no hit and no pass close enough for an edge.
                let next = surface.nextEnter(after: t)
                guard next <= farthest else { break }
                previous = .infinity
                t = next
                previousT = t
                falling = true
                continue
            }
            if reach.canSkip, !reach.contains(t) {
                let next = reach.nextEnter(after: t)
                if vaultT == nil {
                    let shell = vaultShell(origin: origin, direction: direction, from: t, to: craniumExit)
                    vaultT = shell.crossing ?? .infinity
                    if let closest = shell.closest, !reach.contains(closest.t) {
                        closestRatio = min(closestRatio, closest.distanceMM / max(edgeSlope * closest.t, 1e-9))
                    }
                }
                let crossing = vaultT ?? .infinity
                if crossing > t && crossing < next {
                    let point = origin + direction * crossing
                    if -belowCut(point) > craniumCutBlendMM {
                        let n = craniumNormal(at: point)
                        let edge = closestRatio < 1 || -(n * direction).sum() < 0.12
                        return (Hit(distanceMM: crossing, point: point, normal: n, onEdge: edge, active: active), edge)
                    }
                } else if crossing > t {
                    // Nothing but the vault shapes the surface up to the next part's reach, and
                    // the ray does not cross the vault before it: no surface on the way.
                    previous = .infinity
                    falling = false
                    guard next <= farthest else { break }
                    t = next
                    previousT = t
                    falling = true
                    continue
                }
            }
            if active & (1 << UInt32(shouldersIndex)) != 0, reachButShoulders.canSkip, !reachButShoulders.contains(t) {
                // Only the shoulders shape the surface up to the next part's reach: their
                // ellipsoid's crossing is the hit, and without one the stretch is crossed in one
                // step, where marching creeps along their long, flat top.
                let next = reachButShoulders.nextEnter(after: t)
                if let alone = shouldersAlone(origin: origin, direction: direction, from: t, to: next) {
                    if let closest = alone.closest {
                        closestRatio = min(closestRatio, closest.distanceMM / max(edgeSlope * closest.t, 1e-9))
                    }
                    if let (crossing, n) = alone.crossing {
                        let edge = closestRatio < 1 || -(n * direction).sum() < 0.12
                        return (Hit(distanceMM: crossing, point: origin + direction * crossing, normal: n, onEdge: edge, active: active),
                                edge)
                    }
                    previous = .infinity
                    falling = false
                    guard next <= farthest else { break }
                    t = next
                    previousT = t
                    falling = true
                    continue
                }
            }
            if t >= nearPartsUntil {
                (nearParts, nearPartsUntil, nextReach) = reach.holding(t, among: active)
            }
            let q = origin + direction * t
            let d = distance(q, active: nearParts)
            // A twentieth of a millimetre: a tenth of the finest pixel footprint a view has.
            if d < 0.05 {
                let n = normal(at: q, active: active)
                let edge = closestRatio < 1 || -(n * direction).sum() < 0.12
                return (Hit(distanceMM: t, point: q, normal: n, onEdge: edge, active: active), edge)
            }
            if d > previous && falling { closestRatio = min(closestRatio, previous / max(edgeSlope * previousT, 1e-9)) }
            if q.z < neckAloneBelowMM && direction.z <= 0 && active & (1 << UInt32(neck)) != 0 {
                // Below every other part's reach and not rising: only the bare neck lies ahead,
                // met exactly where marching would creep down its length.
                guard let (neckT, _) = Self.bounds(origin: origin, direction: direction, neckBound), neckT > t else { break }
                let point = origin + direction * neckT
                let local = point - parts[neck].centre
                guard local.z > 1 - parts[neck].height! else { break }
                var n = SIMD3(local.x * parts[neck].inverseRadiiSquared.x, local.y * parts[neck].inverseRadiiSquared.y, 0)
                n /= (n * n).sum().squareRoot()
                let edge = closestRatio < 1 || -(n * direction).sum() < 0.12
                return (Hit(distanceMM: neckT, point: point, normal: n, onEdge: edge, active: active), edge)
            }
            falling = d <= previous
            previous = d
            previousT = t
            // Not past the next part's reach: there it joins the distance.
            t = min(t + d * 0.95, nextReach)
            if t > farthest { break }
        }
        // Out of steps in a crease (ear against the head), creeping along between two surfaces
        // a fraction of a millimetre away: the surface is there, not behind the head.
        if t <= farthest && previous < 0.5 {
            let q = origin + direction * t
            let n = normal(at: q, active: active)
            return (Hit(distanceMM: t, point: q, normal: n, onEdge: true, active: active), true)
        }
        if falling { closestRatio = min(closestRatio, previous / max(edgeSlope * previousT, 1e-9)) }
        return (nil, closestRatio < 1)
    }

    /// Is `q` farther from every active part but the cranium than that part's blend radius (so
    /// that the distance there is the cranium's alone)?
    func unblended(_ q: SIMD3<Double>, active: UInt32) -> Bool {
        guard -belowCut(q) > craniumCutBlendMM else { return false }
        var bits = active & ~1
        while bits != 0 {
            let index = bits.trailingZeroBitCount
            bits &= bits - 1
            if Self.distance(q, to: parts[index]) < parts[index].blendMM { return false }
        }
        return true
    }

    /// Is the neck's surface at `q` its own, no other part near enough to blend into it (the
    /// neck's blend radius, plus what that part's own blends may add)?
    func neckUnblended(_ q: SIMD3<Double>, active: UInt32) -> Bool {
        let neck = parts.count - 1
        var bits = active & ~(1 << UInt32(neck))
        while bits != 0 {
            let index = bits.trailingZeroBitCount
            bits &= bits - 1
            let part = parts[index]
            let needed = part.carves ? part.blendMM : parts[neck].blendMM + (index == 0 ? craniumCutBlendMM : part.blendMM) / 4 + 0.5
            if partDistance(q, index) < needed { return false }
        }
        return true
    }

    /// The corners of the box around each part's reach bound (where it can shape the surface)
    /// and surface bound (where its surface can be), in `parts` order: what a view projects
    /// once to know which parts a pixel's ray can meet.
    var boundCorners: (reach: [[SIMD3<Double>]], surface: [[SIMD3<Double>]]) {
        func corners(_ bound: Bound) -> [SIMD3<Double>] {
            let radii = 1 / bound.inverseRadii
            let half = SIMD3(radii.x, radii.y, bound.halfHeight ?? radii.z)
            return (0..<8).map { k in
                bound.centre + half * SIMD3(k & 1 == 0 ? -1 : 1, k & 2 == 0 ? -1 : 1, k & 4 == 0 ? -1 : 1)
            }
        }
        return (reachBounds.map(corners), surfaceBounds.map(corners))
    }

    /// Entry and exit distances of a ray through `bound`, nil if it misses.
    @inline(__always)
    static func bounds(origin: SIMD3<Double>, direction: SIMD3<Double>, _ bound: Bound) -> (Double, Double)? {
        let o = origin - bound.centre
        if let top = bound.halfHeight {
            let r = SIMD2(bound.inverseRadii.x, bound.inverseRadii.y)
            let oo = SIMD2(o.x, o.y) * r, dd = SIMD2(direction.x, direction.y) * r
            let a = (dd * dd).sum(), b = (oo * dd).sum(), c = (oo * oo).sum() - 1
            var enter = -Double.infinity, exit = Double.infinity
            if a > 1e-12 {
                let disc = b * b - a * c
                guard disc >= 0 else { return nil }
                let root = disc.squareRoot()
                enter = (-b - root) / a
                exit = (-b + root) / a
            } else if c > 0 {
                return nil
            }
            if abs(direction.z) > 1e-12 {
                let t0 = (-top - o.z) / direction.z, t1 = (top - o.z) / direction.z
                enter = max(enter, min(t0, t1))
                exit = min(exit, max(t0, t1))
            } else if abs(o.z) > top {
                return nil
            }
            return enter <= exit && exit > 0 ? (enter, exit) : nil
        }
        let oo = o * bound.inverseRadii, dd = direction * bound.inverseRadii
        let a = (dd * dd).sum(), b = (oo * dd).sum(), c = (oo * oo).sum() - 1
        let disc = b * b - a * c
        guard disc >= 0 else { return nil }
        let root = disc.squareRoot()
        let exit = (-b + root) / a
        guard exit > 0 else { return nil }
        return ((-b - root) / a, exit)
    }

    // MARK: Chart

    /// The surface angles (θ from the top, parametric φ) of the cranium point in the direction
    /// of `q` in the ellipsoid's own coordinates: exact on the cranium, a nearby chart point for
    /// points the blends push off it.
    public func surfaceAngles(of q: SIMD3<Double>) -> (polar: Double, azimuth: Double) {
        let u = q / cranium.radii
        let length = (u * u).sum().squareRoot()
        guard length > 0 else { return (0, 0) }
        return (acos(min(max(u.z / length, -1), 1)), atan2(u.y, u.x))
    }
}
