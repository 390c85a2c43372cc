import Dispatch
import Foundation

/// What one ray of a head view sees that neither the chart's texture nor the skin colour
/// changes: the chart footprint, the scalp weight, the lighting terms and the long hair over it
/// (`HeadViewRenderer.shade` finishes the radiance from these).
struct RaySample: Sendable {
    /// The chart footprint (`HeadViewGeometry.footprint`), mm; zero off the scalp.
    var centre: SIMD2<Double>
    var across: SIMD2<Double>
    var down: SIMD2<Double>
    /// How much of the surface is scalp, 0…1; −1: the ray met nothing (background).
    var scalpWeight: Double
    /// The skin's diffuse lighting factor and its specular radiance on bare skin.
    var diffuse: Float
    var specular: Float
    /// How much the surface is the shoulders' (`HeadModel.shouldersWeight`), dressed in a garment.
    var garment: Float
    /// Long hair's cover times the scalp weight (0: none) and its radiance.
    var hairWeight: Float
    var hairRadiance: LinearRGB

    static let background = RaySample(centre: .zero, across: .zero, down: .zero, scalpWeight: -1, diffuse: 0, specular: 0, garment: 0,
                                      hairWeight: 0, hairRadiance: .zero)
}

/// Hanging hair (`HangingHair`) in front of what a ray's `RaySample` sees: its opacity (0: none)
/// and radiance. Kept beside the samples only in views with hanging hair, which most scenes do
/// not have: every other view's samples stay smaller.
struct HangingSample: Sendable {
    var opacity: Float
    var radiance: LinearRGB

    static let none = HangingSample(opacity: 0, radiance: .zero)
}

/// The camera's and the head's share of a head view, per ray, for a band of rows: where each
/// pixel's ray (or, on an edge, its 3 × 3 rays) meets the head and what it sees there
/// (`RaySample`). It depends on the camera, the head, the skin's shine and the long hair, not
/// on the texture or the skin colour, so the live page keeps one per view and re-shades it when
/// the density, the time or the ink change (`HeadViewRenderer.traced`).
struct HeadViewBand: Sendable {
    let rows: Range<Int>
    let width: Int
    /// Per pixel, row-major from `rows.lowerBound`: the index of its first sample, −1 for
    /// background; an edge pixel's nine follow it.
    let first: [Int32]
    let isEdge: [Bool]
    let samples: [RaySample]
    /// Per sample, the hanging hair in front of it; empty in a view without hanging hair.
    let hanging: [HangingSample]

    /// The opacity of the hanging hair in front of sample `index` (0: none).
    func hangingOpacity(ofSample index: Int) -> Float { hanging.isEmpty ? 0 : hanging[index].opacity }
}

/// A whole view's rays, traced once: bands of `bandRows` rows, in order.
struct HeadViewRaster: Sendable {
    static let bandRows = 16
    let bands: [HeadViewBand]

    @inline(__always)
    func band(holding row: Int) -> HeadViewBand { bands[row / Self.bandRows] }
}

extension HeadViewRenderer {
    /// This view with its rays traced for every row on `threads` threads (the same samples for
    /// any count): re-rendering it with another texture or skin (`with(texture:skin:)`) only
    /// shades. `isCurrent` is asked between bands; when it turns false the tracing stops and
    /// throws `CancellationError`.
    public func traced(threads: Int, isCurrent: @escaping @Sendable () -> Bool = { true }) throws -> HeadViewRenderer {
        let count = (heightPixels + HeadViewRaster.bandRows - 1) / HeadViewRaster.bandRows
        let view = self
        let bands = ParallelWork.map(count: count, threads: threads, while: isCurrent) { b in
            view.trace(rows: (b * HeadViewRaster.bandRows)..<min(view.heightPixels, (b + 1) * HeadViewRaster.bandRows))
        }
        guard isCurrent() else { throw CancellationError() }
        var copy = self
        copy.raster = HeadViewRaster(bands: bands.map { $0! })
        return copy
    }

    /// The samples of rows `rows`.
    func trace(rows: Range<Int>) -> HeadViewBand {
        let width = widthPixels
        var first = [Int32](repeating: -1, count: rows.count * width)
        var isEdge = [Bool](repeating: false, count: rows.count * width)
        var samples: [RaySample] = []
        samples.reserveCapacity(rows.count * width / 2)
        var hangingSamples: [HangingSample] = []
        if hanging != nil { hangingSamples.reserveCapacity(rows.count * width / 2) }
        // A ray passing within a pixel of a surface it misses marks an edge.
        let slope = 1 / camera.focalPixels
        var corners: [(hit: HeadModel.Hit?, direction: SIMD3<Double>)] = []
        corners.reserveCapacity(Self.cornerSubrays.count)
        var starts: [Double] = [], startsRow = -1
        for row in rows {
            if row / HeadViewGeometry.tilePixels != startsRow {
                startsRow = row / HeadViewGeometry.tilePixels
                starts = geometry.tileStarts(tileRow: startsRow)
            }
            for column in 0..<width {
                let index = (row - rows.lowerBound) * width + column
                let x = Double(column) + 0.5, y = Double(row) + 0.5
                let start = starts[column / HeadViewGeometry.tilePixels]
                let (hit, onHeadEdge, direction) = geometry.hit(x: x, y: y, edgeSlope: slope, from: start)
                let (crossing, onHairEdge) = hanging == nil ? (nil, false)
                    : hangingCrossing(x: x, y: y, direction: direction, before: hit, edgeSlope: slope)
                if !onHeadEdge && !onHairEdge {
                    guard hit != nil || crossing != nil else { continue }
                    first[index] = Int32(samples.count)
                    samples.append(hit.map { sample($0, direction: direction, x: x, y: y, footprint: 1) } ?? .background)
                    if hanging != nil { hangingSamples.append(hangingSample(crossing, direction: direction, footprint: 1)) }
                    continue
                }
                // An edge: 3 × 3 rays, each seeing a third of the pixel across; the corners first.
                corners.removeAll(keepingCapacity: true)
                // Only a centre on the edge for its grazing angle (not for a part it passed close by).
                if let hit, hanging == nil, -(hit.normal * direction).sum() < 0.12 {
                    for k in Self.cornerSubrays {
                        let (h, _, d) = geometry.hit(x: Double(column) + (Double(k % 3) + 0.5) / 3,
                                                     y: Double(row) + (Double(k / 3) + 0.5) / 3, edgeSlope: 0, from: start)
                        corners.append((h, d))
                    }
                    if Self.covers(hit, corners, pixelMM: hit.distanceMM / camera.focalPixels) {
                        first[index] = Int32(samples.count)
                        samples.append(sample(hit, direction: direction, x: x, y: y, footprint: 1))
                        continue
                    }
                }
                first[index] = Int32(samples.count)
                isEdge[index] = true
                for k in 0..<9 {
                    let sx = Double(column) + (Double(k % 3) + 0.5) / 3, sy = Double(row) + (Double(k / 3) + 0.5) / 3
                    // The corners' rays, when traced above, are these same rays.
                    let corner = k % 2 == 1 || k == 4 || corners.isEmpty ? nil : corners[k < 4 ? k / 2 : k / 2 - 1]
                    let (h, _, d) = corner.map { ($0.hit, false, $0.direction) } ?? geometry.hit(x: sx, y: sy, edgeSlope: 0, from: start)
                    samples.append(h.map { sample($0, direction: d, x: sx, y: sy, footprint: 1.0 / 3) } ?? .background)
                    if hanging != nil {
                        let (c, _) = hangingCrossing(x: sx, y: sy, direction: d, before: h, edgeSlope: 0)
                        hangingSamples.append(hangingSample(c, direction: d, footprint: 1.0 / 3))
                    }
                }
            }
        }
        return HeadViewBand(rows: rows, width: width, first: first, isEdge: isEdge, samples: samples, hanging: hangingSamples)
    }

    /// The corners of an edge pixel's 3 × 3 rays (their index k: column k % 3, row k / 3).
    static let cornerSubrays = [0, 2, 6, 8]

    /// Does an edge pixel whose centre ray met the head at `centre` lie on the surface it
    /// met, whole: its four corner rays (`cornerSubrays`) meet the head too, within six pixel
    /// widths (`pixelMM`, at the centre's depth) of the centre's depth: no outline of a nearer
    /// part, no step to a farther one, only the grazing surface's slope? Such a pixel is on an
    /// edge only for its grazing angle, and its centre ray with the whole pixel's footprint
    /// stands for its nine: the silhouette's outer pixels, where a corner misses or another
    /// part is met, keep them.
    static func covers(_ centre: HeadModel.Hit, _ corners: [(hit: HeadModel.Hit?, direction: SIMD3<Double>)],
                       pixelMM: Double) -> Bool {
        corners.allSatisfy { corner in
            guard let hit = corner.hit else { return false }
            return abs(hit.distanceMM - centre.distanceMM) < 6 * pixelMM
        }
    }

    /// Where the ray through image point (x, y) meets the hanging hair before the head's `hit`
    /// (none where the view's box around the hair does not hold the point).
    @inline(__always)
    func hangingCrossing(x: Double, y: Double, direction: SIMD3<Double>, before hit: HeadModel.Hit?, edgeSlope: Double)
        -> (HangingHair.Crossing?, Bool) {
        guard let hanging, x >= hangingBox.x, y >= hangingBox.y, x <= hangingBox.z, y <= hangingBox.w else { return (nil, false) }
        return hanging.crossing(origin: camera.eye, direction: direction, before: hit?.distanceMM ?? .infinity, edgeSlope: edgeSlope)
    }

    /// The hanging hair the ray `direction` meets at `crossing` (nil: none), its `footprint`
    /// share of a pixel across.
    func hangingSample(_ crossing: HangingHair.Crossing?, direction: SIMD3<Double>, footprint: Double) -> HangingSample {
        guard let crossing, let hair = hanging else { return .none }
        let footprintMM = crossing.distanceMM / camera.focalPixels * footprint / max(-(crossing.normal * direction).sum(), 0.2)
        let (opacity, radiance) = hair.shade(crossing, keyLight: keyLight, towardCamera: -direction, footprintMM: footprintMM)
        // A ray that meets no head passes out of the thinning front edge into the air and can
        // meet the hair again lower down, where the edge comes forward (the front corners seen
        // from above): that hair is what shows through, not the background.
        guard opacity < 1, crossing.leavesBeside, crossing.face == .outer else {
            return HangingSample(opacity: Float(opacity), radiance: radiance)
        }
        let restart = crossing.distanceMM + 0.5
        guard var next = hair.crossing(origin: camera.eye + direction * restart, direction: direction, before: .infinity, edgeSlope: 0).crossing
        else { return HangingSample(opacity: Float(opacity), radiance: radiance) }
        next.distanceMM += restart
        let behind = hair.shade(next, keyLight: keyLight, towardCamera: -direction,
                                footprintMM: next.distanceMM / camera.focalPixels * footprint / max(-(next.normal * direction).sum(), 0.2))
        let total = opacity + (1 - opacity) * behind.opacity
        guard total > 0 else { return .none }
        let mixed = (radiance * Float(opacity) + behind.radiance * Float((1 - opacity) * behind.opacity)) / Float(total)
        return HangingSample(opacity: Float(total), radiance: mixed)
    }

    /// What the ray `direction` sees at `hit`, its `footprint` share of pixel (x, y) across;
    /// the lighting is described at `HeadViewRenderer`.
    func sample(_ hit: HeadModel.Hit, direction: SIMD3<Double>, x: Double, y: Double, footprint: Double) -> RaySample {
        let n = hit.normal
        let weight = head.scalpWeight(at: hit.point, active: hit.active)
        var result = RaySample(centre: .zero, across: .zero, down: .zero, scalpWeight: weight, diffuse: 0, specular: 0,
                               garment: weight > 0 ? 0 : Float(head.shouldersWeight(at: hit.point, active: hit.active)),
                               hairWeight: 0, hairRadiance: .zero)
        if weight > 0 {
            (result.centre, result.across, result.down) = geometry.footprint(of: hit, x: x, y: y, share: footprint)
        }
        let view = -direction
        let lit = max(0, (n * keyLight).sum())
        let diffuse = 0.34 * (0.75 + 0.25 * n.z) + 0.80 * lit
        var h = keyLight + view
        h /= (h * h).sum().squareRoot()
        let cosine = max(0, (n * view).sum())
        // Schlick's Fresnel for skin lipids (4 % at normal incidence), rising toward grazing.
        let m = 1 - cosine, m2 = m * m
        let fresnel = 0.04 + 0.96 * m2 * m2 * m
        let nh = max(0, (n * h).sum()), nh5 = nh * nh * nh * nh * nh, nh10 = nh5 * nh5, nh20 = nh10 * nh10
        let specular = shine * 2.2 * fresnel * nh20 * nh20 * lit
        result.diffuse = Float(diffuse)
        result.specular = Float(specular)
        guard let hair, weight > 0 else { return result }
        let footprintMM = hit.distanceMM / camera.focalPixels * footprint / max(cosine, 0.2)
        let (cover, strand) = hair.cover(at: hit.point, normal: n, chart: result.centre, footprintMM: footprintMM)
        guard cover > 0 else { return result }
        let sheen = LongHair.sheen(strand: strand, half: h, lit: lit)
        result.hairRadiance = hair.color * Float(diffuse) + LinearRGB(repeating: Float(sheen))
        result.hairWeight = Float(cover * weight)
        return result
    }
}

extension HeadViewRenderer {
    /// The part of `whole` (a whole-map texture view) this view's traced rays see, on its texel
    /// grid: every scalp footprint with room for its filter (twice its extent, at most
    /// `reachMM`, and four texels), nil before `traced`. A texture over it serves this view as
    /// the whole map's does, for a fraction of the texels.
    public func seenChart(within whole: MapView, reachMM: Double = 12) -> MapView? {
        guard let raster else { return nil }
        var low = SIMD2(Double.infinity, .infinity), high = -low
        for band in raster.bands {
            for sample in band.samples where sample.scalpWeight > 0 {
                let span = sample.across.replacing(with: -sample.across, where: sample.across .< 0) + sample.down.replacing(with: -sample.down, where: sample.down .< 0)
                let extent = min(2 * span.max(), reachMM)
                low = pointwiseMin(low, sample.centre - extent)
                high = pointwiseMax(high, sample.centre + extent)
            }
        }
        guard low.x < high.x, low.y < high.y else { return whole }
        let s = whole.pixelsPerMM, margin = 4.0
        let firstColumn = max(0, Int(((low.x - whole.originXMM) * s).rounded(.down) - margin))
        let firstRow = max(0, Int(((low.y - whole.originYMM) * s).rounded(.down) - margin))
        let endColumn = min(whole.widthPixels, Int(((high.x - whole.originXMM) * s).rounded(.up) + margin))
        let endRow = min(whole.heightPixels, Int(((high.y - whole.originYMM) * s).rounded(.up) + margin))
        guard endColumn > firstColumn, endRow > firstRow else { return whole }
        return MapView(originXMM: whole.originXMM + Double(firstColumn) / s, originYMM: whole.originYMM + Double(firstRow) / s,
                       widthMM: Double(endColumn - firstColumn) / s, heightMM: Double(endRow - firstRow) / s, pixelsPerMM: s)
    }
}
