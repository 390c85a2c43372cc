import Foundation

/// Long hair that falls (`LongHair`'s hair, long enough to lie down): a volume hanging from the
/// sides and the back of the vault, over the ears and down to where its length ends, open in
/// front of the face, which a head view's rays meet before the head.
///
/// Its shape is a shell between two "bullets", each an ellipsoid above its equator (the ear
/// line) and, below it, the vertical elliptic cylinder of that equator: hair follows the
/// vault's outline down to its widest level and falls straight from there. The inner bullet is
/// the smallest of its shape around the vault (the hair lies on the head; below it, it hangs
/// at the head's breadth); the outer one is that grown by the hair's thickness (`thicknessMM`)
/// at the sides and back and by `topGapMM` at the top. The shell is cut:
///
/// - in front by the surface `y = cutY(at:)`: near the temples (`frontCutYMM`) over the top,
///   coming forward by up to `framingMM` at cheek level, waving lock by lock (`edgeWaveMM`), so
///   the face shows between the two sides of the hair, framed by a curved, soft edge (the hair
///   thins over `edgeSoftMM` behind it) rather than a straight cut;
/// - below, at each azimuth, where the hair's length runs out, measured along the inner
///   bullet's vertical section from the parting (at the top) or, behind, the whorl, and capped
///   at the shoulders (`shoulderZMM`): the ends are uneven lock by lock (`lockWidthMM` across,
///   `lockRaggedMM` up or down) and a little strand by strand, rise by up to `frontRiseMM`
///   toward the face (the outline curves up to the front edge) and taper to nothing over `taperMM`;
/// - above, by fading: a ray that crosses less than `clearThroughMM` of it sees through it,
///   one that crosses more than `opaqueThroughMM` does not. On top, where the shell lies
///   `topGapMM` off the head, the hair is `LongHair`'s colour on the scalp with the map's scalp
///   under it, which shows through thinning hair; at the sides, and where a ray grazes the
///   head's outline, the hair hides what is behind it.
///
/// Shaded as `LongHair`'s hair is: the hair's colour lit from the shell's normal, strands
/// running down it with their clumping and their own highlight. The inside of the shell (seen
/// through the opening, behind the neck) and its cut face are darker, shaded by the hair around
/// them (`innerShade`, `cutShade`, our estimates).
struct HangingHair: Sendable {
    /// An ellipsoid of `radii` about `centre` above `centre.z`, its equator's cylinder below.
    struct Bullet: Sendable {
        let centre: SIMD3<Double>
        let radii: SIMD3<Double>
        let inverseRadii: SIMD3<Double>

        init(centre: SIMD3<Double>, radii: SIMD3<Double>) {
            self.centre = centre
            self.radii = radii
            inverseRadii = 1 / radii
        }

        /// The point's size in the bullet's unit coordinates: below 1 inside, 1 on the surface.
        func scaled(_ p: SIMD3<Double>) -> Double {
            var u = (p - centre) * inverseRadii
            if u.z < 0 { u.z = 0 }
            return (u * u).sum().squareRoot()
        }

        /// The outward unit normal at (or near) surface point `p`.
        func normal(at p: SIMD3<Double>) -> SIMD3<Double> {
            var g = (p - centre) * inverseRadii * inverseRadii
            if p.z < centre.z { g.z = 0 }
            let length = (g * g).sum().squareRoot()
            return length > 0 ? g / length : SIMD3(0, 0, 1)
        }

        /// Where the ray enters and leaves the bullet cut off at height `bottomZ` (absolute),
        /// and how near (in unit coordinates, 0 on the surface) a missing ray passes.
        func interval(origin: SIMD3<Double>, direction: SIMD3<Double>, bottomZ: Double) -> (enter: Double, exit: Double)? {
            let o = origin - centre
            var enter = Double.infinity, exit = -Double.infinity
            let oo = o * inverseRadii, dd = direction * inverseRadii
            let a = (dd * dd).sum(), b = (oo * dd).sum(), c = (oo * oo).sum() - 1
            let disc = b * b - a * c
            if disc >= 0 {
                let root = disc.squareRoot()
                (enter, exit) = ((-b - root) / a, (-b + root) / a)
            }
            // The cylinder below the equator; the bullet is convex, so the two stretches join.
            let o2 = SIMD2(oo.x, oo.y), d2 = SIMD2(dd.x, dd.y)
            let a2 = (d2 * d2).sum(), b2 = (o2 * d2).sum(), c2 = (o2 * o2).sum() - 1
            var low = -Double.infinity, high = Double.infinity
            if a2 > 1e-12 {
                let disc2 = b2 * b2 - a2 * c2
                if disc2 >= 0 {
                    let root = disc2.squareRoot()
                    (low, high) = ((-b2 - root) / a2, (-b2 + root) / a2)
                } else {
                    (low, high) = (1, 0)
                }
            } else if c2 > 0 {
                (low, high) = (1, 0)
            }
            if abs(direction.z) > 1e-12 {
                let t0 = (bottomZ - origin.z) / direction.z, t1 = (centre.z - origin.z) / direction.z
                low = max(low, min(t0, t1))
                high = min(high, max(t0, t1))
            } else if origin.z > centre.z || origin.z < bottomZ {
                (low, high) = (1, 0)
            }
            if low <= high {
                enter = min(enter, low)
                exit = max(exit, high)
            }
            return enter <= exit ? (enter, exit) : nil
        }
    }

    let inner: Bullet
    let outer: Bullet
    let frontCutYMM: Double
    let shoulderZMM: Double
    /// A ray through less hair than this sees through it; through more than `opaqueThroughMM`, not.
    let clearThroughMM: Double
    let opaqueThroughMM: Double
    let thicknessMM: Double
    /// Where the hair ends at each of `endZMM.count` azimuths about the bullets' axis (from +x
    /// toward +y), mm.
    let endZMM: [Double]
    let hair: LongHair

    /// Uneven ends: each lock's end moves up or down by up to `lockRaggedMM`, each strand's by
    /// `strandRaggedMM` more (at most `raggedMM` in all), then tapers over `taperMM`.
    static let raggedMM = 14.0
    static let lockRaggedMM = 10.0
    static let strandRaggedMM = 3.0
    static let lockWidthMM = 16.0
    static let taperMM = 16.0
    /// The front edge: how far it comes forward of `frontCutYMM` at cheek level, how far it
    /// waves lock by lock (locks `edgeLockMM` long), how far behind it the hair thins to nothing,
    /// and how much higher the ends are at it than `edgeRiseSpanMM` behind it (our estimates,
    /// against photographs of shoulder-length hair from the front and the side).
    static let framingMM = 16.0
    static let edgeWaveMM = 5.0
    static let edgeLockMM = 22.0
    static let edgeSoftMM = 9.0
    static let edgeRounding = 0.8
    static let frontRiseMM = 28.0
    static let edgeRiseSpanMM = 70.0
    static let topGapMM = 2.5
    static let besideOpaqueMM = 4.0
    static let frontFadeMM = 30.0
    static let innerShade = 0.6
    static let cutShade = 0.7

    /// nil when the hair is too short to fall off the vault's top: `LongHair` alone draws it.
    init?(hair: LongHair, head: HeadModel) {
        let cranium = head.cranium
        let s = head.shape
        let scale = (s.sideToSideMM / 77 + s.frontToBackMM / 100 + s.earToTopMM / 131) / 3
        // The vault sampled: its extremes set the inner bullet, the largest unit size scales it
        // to hold every point.
        var points: [SIMD3<Double>] = []
        for i in 0...60 {
            let theta = Double(i) / 60 * Double.pi / 2
            for j in 0..<120 {
                points.append(cranium.point(polar: theta, azimuth: Double(j) / 120 * 2 * Double.pi))
            }
        }
        let low = points.reduce(SIMD3(repeating: Double.infinity)) { pointwiseMin($0, $1) }
        let high = points.reduce(SIMD3(repeating: -Double.infinity)) { pointwiseMax($0, $1) }
        // The bullets' equator at the vault's widest (the parietal eminences): hair falls
        // straight from there.
        let widest = points.max { $0.x < $1.x }?.z ?? 0
        let centre = SIMD3(0, 0.5 * (low.y + high.y), max(widest, 0))
        let trial = Bullet(centre: centre, radii: SIMD3(high.x, 0.5 * (high.y - low.y), high.z - centre.z))
        let fit = points.map(trial.scaled).max() ?? 1
        inner = Bullet(centre: centre, radii: trial.radii * fit)
        // A full head of long hair stands about 16 mm off the head's sides at 250 mm; shorter or
        // thinner hair less (our estimate).
        thicknessMM = min(18, 4 + 0.05 * hair.lengthMM) * (min(hair.hairsPerCM2, 250) / 200).squareRoot()
        outer = Bullet(centre: centre, radii: inner.radii + SIMD3(thicknessMM, thicknessMM, Self.topGapMM))
        // Near the temples: the frontotemporal corner lies about half the head's length forward.
        frontCutYMM = centre.y - 0.5 * inner.radii.y
        // Shoulders about 205 mm below the ear line for the default head (our estimate: tragion
        // to menton 130 mm, the neck to the shoulders' top 75 mm).
        shoulderZMM = -205 * scale
        clearThroughMM = 2 * Self.topGapMM
        opaqueThroughMM = max(clearThroughMM + 4, 0.7 * thicknessMM)
        self.hair = hair
        // The length used by the time the hair leaves the vault's section at azimuth φ: the
        // arc from the top to the equator, less (behind) the arc from the top to the whorl.
        let whorl = hair.whorl - centre
        let whorlElevation = asin(min(max(whorl.z / inner.radii.z, -1), 1))
        let count = 256
        var ends = [Double](repeating: 0, count: count)
        let r = inner.radii
        for k in 0..<count {
            let phi = Double(k) / Double(count) * 2 * Double.pi
            let rho = 1 / ((cos(phi) / r.x) * (cos(phi) / r.x) + (sin(phi) / r.y) * (sin(phi) / r.y)).squareRoot()
            let arcs = Self.arcsFromTop(rho: rho, height: r.z, steps: 90)
            let rhoBack = r.y
            let toWhorl = Self.arcsFromTop(rho: rhoBack, height: r.z, steps: 90)
            let whorlArc = Self.arc(arcs: toWhorl, elevation: whorlElevation)
            let rootArc = whorlArc * max(0, sin(phi)) * max(0, sin(phi))
            let used = arcs[0] - rootArc
            let z: Double
            if hair.lengthMM >= used {
                z = centre.z - (hair.lengthMM - used)
            } else {
                // Ends on the vault: the elevation whose arc from the root is the length.
                var e = 0.0
                for step in 0...90 where arcs[step] - rootArc >= hair.lengthMM { e = Double(step) / 90 * Double.pi / 2 }
                z = centre.z + r.z * sin(e)
            }
            ends[k] = max(z, shoulderZMM)
        }
        endZMM = ends
        // Hair that does not fall past the vault's widest level at the sides lies on the vault:
        // `LongHair` alone draws it.
        guard ends[0] < centre.z, ends[count / 2] < centre.z else { return nil }
    }

    /// The arc (mm) from the top of an ellipse with horizontal semi-axis `rho` and vertical
    /// `height` down to elevation k/steps · π/2 (index k), by the midpoint rule.
    static func arcsFromTop(rho: Double, height: Double, steps: Int) -> [Double] {
        var arcs = [Double](repeating: 0, count: steps + 1)
        let du = Double.pi / 2 / Double(steps)
        for k in stride(from: steps - 1, through: 0, by: -1) {
            let u = (Double(k) + 0.5) * du
            let speed = ((rho * sin(u)) * (rho * sin(u)) + (height * cos(u)) * (height * cos(u))).squareRoot()
            arcs[k] = arcs[k + 1] + speed * du
        }
        return arcs
    }

    /// `arcsFromTop`'s arc at `elevation` (radians), linear between its steps.
    static func arc(arcs: [Double], elevation: Double) -> Double {
        let steps = arcs.count - 1
        let u = min(max(elevation / (Double.pi / 2), 0), 1) * Double(steps)
        let k = min(Int(u), steps - 1)
        return arcs[k] + (arcs[k + 1] - arcs[k]) * (u - Double(k))
    }

    /// Where the hair ends at the azimuth of `p`, mm, linear between the table's azimuths.
    func endZ(at p: SIMD3<Double>) -> Double {
        var phi = atan2(p.y - inner.centre.y, p.x) / (2 * Double.pi)
        if phi < 0 { phi += 1 }
        let u = phi * Double(endZMM.count)
        let k = Int(u) % endZMM.count
        let next = (k + 1) % endZMM.count
        return endZMM[k] + (endZMM[next] - endZMM[k]) * (u - Double(k))
    }

    /// The arc length around the bullets' axis to `p` (mm, on the outer bullet's equator):
    /// the strands' across coordinate.
    func around(_ p: SIMD3<Double>) -> Double {
        let angle = atan2(p.x, p.y - inner.centre.y)
        return angle * 0.5 * (outer.radii.x + outer.radii.y)
    }

    /// The front edge's y at `p`, mm: `frontCutYMM` at and above the bullets' equator, coming
    /// forward by up to `framingMM` some 90 mm below it (beside the cheeks), each lock's edge a
    /// little forward or back; and rounded across the hair's thickness, the locks farther out
    /// ending up to `edgeRounding` of the thickness farther back (the locks nearest the face come
    /// farthest forward, and the hair's front corner is round seen from above or the front, as
    /// a lock's end is, not a square cut).
    func cutY(at p: SIMD3<Double>) -> Double {
        let below = min(max((inner.centre.z - p.z) / 90, 0), 1)
        let wave = hair.strands.value(xMM: 7.5, yMM: p.z / Self.edgeLockMM) * Self.edgeWaveMM
        let depth = min(max((inner.scaled(p) - 1) * inner.radii.x / thicknessMM, 0), 1)
        return frontCutYMM - Self.framingMM * below * below * (3 - 2 * below) + wave + Self.edgeRounding * thicknessMM * depth * depth
    }

    /// The front edge's outward unit normal at `p`: the gradient of `cutY(at:) − y`, toward
    /// the face, out to the side where the edge rounds off, and up where it comes forward lower
    /// down (the framing, each lock's wave): seen from above, the locks' tops there face the sky.
    func cutNormal(at p: SIMD3<Double>) -> SIMD3<Double> {
        let step = 0.5
        func slope(_ axis: SIMD3<Double>) -> Double { (cutY(at: p + axis * step) - cutY(at: p - axis * step)) / (2 * step) }
        let m = SIMD3(slope(SIMD3(1, 0, 0)), slope(SIMD3(0, 1, 0)) - 1, slope(SIMD3(0, 0, 1)))
        return m / (m * m).sum().squareRoot()
    }

    /// Where the ray first passes from in front of the front edge to behind it between `start`
    /// and `end`, nil if it does not: twelve samples find the change of side, bisection the point.
    func cutCrossing(origin: SIMD3<Double>, direction: SIMD3<Double>, from start: Double, to end: Double) -> Double? {
        guard end > start else { return nil }
        func side(_ t: Double) -> Double {
            let p = origin + direction * t
            return p.y - cutY(at: p)
        }
        let samples = 12
        var a = start, inFront = side(start) < 0
        for k in 1...samples {
            let b = start + (end - start) * Double(k) / Double(samples)
            let behind = side(b) >= 0
            if inFront && behind {
                var (low, high) = (a, b)
                for _ in 0..<24 {
                    let middle = 0.5 * (low + high)
                    if side(middle) < 0 { low = middle } else { high = middle }
                }
                return high
            }
            (a, inFront) = (b, !behind)
        }
        return nil
    }

    /// Which face of the shell a ray meets.
    enum Face: Sendable {
        case outer, inner, cut
    }

    /// Where a ray meets the hair.
    struct Crossing: Sendable {
        var distanceMM: Double
        var point: SIMD3<Double>
        var normal: SIMD3<Double>
        var face: Face
        /// How far the ray runs through the hair from `point`, mm.
        var throughMM: Double
        /// The ray leaves the hair through its outside (beside the head, seen edge-on) rather
        /// than reaching the head under it.
        var leavesBeside: Bool
        /// How far behind the front edge (`cutY(at:)`) the ray is where it leaves the hair, mm: a
        /// ray that enters near the edge but runs on through the hair behind it is not thinned.
        var exitBehindEdgeMM: Double
    }

    /// The first point of the shell along the ray `origin + t·direction` before `limit` (the
    /// head's hit), or nil, and whether the ray passes within `edgeSlope` per mm of an outline
    /// of it (the pixel needs more rays).
    func crossing(origin: SIMD3<Double>, direction: SIMD3<Double>, before limit: Double, edgeSlope: Double)
        -> (crossing: Crossing?, onEdge: Bool) {
        guard let (enter, exit) = outer.interval(origin: origin, direction: direction, bottomZ: shoulderZMM - Self.raggedMM) else {
            return (nil, passesNear(origin: origin, direction: direction, edgeSlope: edgeSlope))
        }
        var candidates: [(Double, Face)] = [(enter, .outer)]
        let innerStretch = inner.interval(origin: origin, direction: direction, bottomZ: shoulderZMM - Self.raggedMM - 1)
        if let (_, innerExit) = innerStretch {
            candidates.append((innerExit, .inner))
        }
        if let t = cutCrossing(origin: origin, direction: direction, from: max(enter, 0), to: min(exit, limit)) {
            candidates.append((t, .cut))
        }
        candidates.sort { $0.0 < $1.0 }
        for (t, face) in candidates where t > 0 && t < limit && t <= exit + 1e-6 {
            let p = origin + direction * t
            guard p.y - cutY(at: p) >= -1e-3, outer.scaled(p) <= 1 + 1e-6, inner.scaled(p) >= 1 - 1e-6,
                  p.z >= endZ(at: p) - Self.raggedMM else { continue }
            let n: SIMD3<Double>
            switch face {
            case .outer: n = outer.normal(at: p)
            case .inner: n = -inner.normal(at: p)
            case .cut: n = cutNormal(at: p)
            }
            let pixelMM = edgeSlope * t
            // The outline: grazing the outer face, or at the cut face's rims.
            var edge = face == .outer && -(n * direction).sum() < 0.12
            if face == .cut {
                edge = (1 - outer.scaled(p)) * outer.radii.x < 1.5 * pixelMM || (inner.scaled(p) - 1) * inner.radii.x < 1.5 * pixelMM
            } else if p.y - cutY(at: p) < 1.5 * pixelMM {
                edge = true
            }
            // The hair the ray passes through from there: to the head, or out of the shell.
            // A ray that meets no head inside the hair runs through all of it (across the gap
            // between the head and the hair's inside, too, where the hair hangs clear of it).
            let leavesBeside = limit >= exit
            var through = min(limit, exit) - t
            if !leavesBeside, let (innerEnter, _) = innerStretch, innerEnter > t { through = min(through, innerEnter - t) }
            // The cut face is the hair's edge, seen along its thickness; leaving the inside, the
            // ray sees the hair behind the head.
            let leaving = origin + direction * (t + min(through, 400))
            if face != .outer { through = .infinity }
            return (Crossing(distanceMM: t, point: p, normal: n, face: face, throughMM: through, leavesBeside: leavesBeside,
                             exitBehindEdgeMM: leaving.y - cutY(at: leaving)), edge)
        }
        return (nil, false)
    }

    /// Does a ray that misses the outer bullet pass within a pixel of it (on the side of the
    /// head the hair is on)?
    func passesNear(origin: SIMD3<Double>, direction: SIMD3<Double>, edgeSlope: Double) -> Bool {
        guard edgeSlope > 0 else { return false }
        let o = origin - outer.centre
        // The ray's point nearest the axis, in the cross-section's unit coordinates.
        let oo = SIMD2(o.x, o.y) * SIMD2(outer.inverseRadii.x, outer.inverseRadii.y)
        let dd = SIMD2(direction.x, direction.y) * SIMD2(outer.inverseRadii.x, outer.inverseRadii.y)
        let a = (dd * dd).sum()
        guard a > 1e-12 else { return false }
        let t = -(oo * dd).sum() / a
        let p = origin + direction * t
        guard t > 0, p.y >= cutY(at: p), p.z <= outer.centre.z, p.z >= endZ(at: p) - Self.raggedMM else { return false }
        let nearest = oo + dd * t
        let miss = ((nearest * nearest).sum().squareRoot() - 1) * min(outer.radii.x, outer.radii.y)
        return miss < 1.5 * edgeSlope * t
    }

    /// How opaque the hair is at `crossing` (0…1: clear at the top, where `LongHair` draws it,
    /// and at the ends), and its radiance from the lighting terms of `HeadViewRenderer.sample`.
    func shade(_ crossing: Crossing, keyLight: SIMD3<Double>, towardCamera view: SIMD3<Double>, footprintMM: Double)
        -> (opacity: Double, radiance: LinearRGB) {
        let p = crossing.point, n = crossing.normal
        // On the cut face the ray meets the front locks side by side, from the hair's inside
        // to its outside, each running down: their across coordinate is the depth into the hair.
        let across = crossing.face == .cut ? (inner.scaled(p) - 1) * inner.radii.x : around(p)
        let along = -p.z
        let clumping = hair.clumping(across: across, along: along, footprintMM: footprintMM)
        // Uneven ends: each lock (a coarse lattice across the hair) ends a little higher or lower,
        // its strands a little more, and all rise toward the face's edge.
        let lock = hair.strands.value(xMM: across / Self.lockWidthMM, yMM: 3.5) * Self.lockRaggedMM
        let strand = hair.strands.value(xMM: across / LongHair.strandWidthMM, yMM: 0.5) * Self.strandRaggedMM
        let behindEdge = p.y - cutY(at: p)
        let rise = Self.frontRiseMM * (1 - smoothstep(0, Self.edgeRiseSpanMM, behindEdge))
        let tip = p.z - (endZ(at: p) + lock + strand + rise - Self.raggedMM)
        let atEnd = smoothstep(0, Self.taperMM, tip)
        // Thin where the ray crosses little of it on its way to the head (on top, where it lies
        // on the head): there the scalp shows through, as `LongHair` draws it. Beside the head
        // the ray crosses the hanging locks, some ten hairs per mm² (a full head in a shell
        // 16 mm thick), nearly across their length: a few millimetres of them hide what is
        // behind (the ring round the head seen from above, the outline from the sides).
        // Over the top, the shell's front ends where the hair from the hairline lies on the head
        // (`LongHair`): faded over `frontFadeMM` behind the cut (its face too), not cut off;
        // beside the face the hair thins to its edge over `edgeSoftMM`, strand by strand.
        // Only where the ray reaches the head does `LongHair` draw that hair under it; a ray
        // running down through the hair beside the head sees hair, not the background through a fade.
        let overTop = crossing.leavesBeside ? 0 : smoothstep(inner.centre.z, inner.centre.z + 0.4 * inner.radii.z, p.z)
        let fade = 1 - overTop * (1 - smoothstep(0, Self.frontFadeMM, behindEdge))
        let thinning = crossing.face != .outer ? 1 : smoothstep(0, Self.edgeSoftMM * clumping, max(behindEdge, crossing.exitBehindEdgeMM))
        // A ray running beside the head crosses the thinned edge's hair as it does the rest, by
        // its length times how thin it is there: one running down along the edge (the front
        // corners seen from above) crosses enough of it to see hair, not what is beyond.
        let layer = crossing.leavesBeside ? smoothstep(0, Self.besideOpaqueMM, crossing.throughMM * thinning)
            : smoothstep(clearThroughMM, opaqueThroughMM, crossing.throughMM) * thinning
        let front = crossing.face == .inner ? 1 : fade
        // Between clumps the ray sees deeper hair, not what is behind it, where the hair it
        // crosses is the hanging locks' whole depth.
        let gaps = crossing.leavesBeside ? 1 : 0.75 + 0.25 * clumping
        let opacity = min(1, atEnd * layer * front * gaps)
        guard opacity > 0 else { return (0, .zero) }
        // Strands run down the surface.
        var fibre = SIMD3<Double>(0, 0, -1) - n * -n.z
        let length = (fibre * fibre).sum().squareRoot()
        fibre = length > 1e-9 ? fibre / length : SIMD3(0, 1, 0)
        let lit = max(0, (n * keyLight).sum())
        var h = keyLight + view
        h /= (h * h).sum().squareRoot()
        let diffuse = 0.34 * (0.75 + 0.25 * n.z) + 0.80 * lit
        let shade: Double
        switch crossing.face {
        case .outer: shade = 1
        case .inner: shade = Self.innerShade
        // The hair around the edge's face shades it, except where the face turns to the open:
        // up to the sky (the tops of the locks that come forward beside the face) or out to the
        // side (the outer locks' rounded ends).
        case .cut: shade = Self.cutShade + (1 - Self.cutShade) * max(0, n.z, p.x < 0 ? -n.x : n.x)
        }
        let brightness = shade * (0.85 + 0.15 * clumping)
        let sheen = crossing.face == .outer ? LongHair.sheen(strand: fibre, half: h, lit: lit) : 0
        return (opacity, hair.color * Float(diffuse * brightness) + LinearRGB(repeating: Float(sheen * brightness)))
    }

    /// The corners of the box around the hair: what a view projects to know which pixels' rays
    /// can meet it.
    var boundCorners: [SIMD3<Double>] {
        let r = outer.radii, c = outer.centre
        let bottom = shoulderZMM - Self.raggedMM, top = c.z + r.z
        return (0..<8).map { k in
            SIMD3(c.x + (k & 1 == 0 ? -r.x : r.x), c.y + (k & 2 == 0 ? -r.y : r.y), k & 4 == 0 ? bottom : top)
        }
    }
}
