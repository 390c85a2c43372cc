/// What one ray of a view sees of the scalp: the chart region under it and how the surface
/// there faces the camera. Every view of the plan (the flat map, a head seen through a camera,
/// the head fitted to a patient's photo) answers this per output pixel, and a renderer needs
/// nothing else of the view's geometry: a pixel shows the chart's reflectance filtered over the
/// footprint, shaded from the normal.
public struct ScalpSight: Sendable, Equatable {
    /// The chart point the ray meets, mm.
    public var centreMM: SIMD2<Double>
    /// The chart vectors, mm, of the ray's share of its pixel across and down: the parallelogram
    /// a texture is filtered over. Foreshortened where the surface turns away from the camera,
    /// so that a dot covers the same chart area in every view.
    public var acrossMM: SIMD2<Double>
    public var downMM: SIMD2<Double>
    /// The surface's unit normal and the unit direction from the point toward the camera, in
    /// the view's frame: what shading needs.
    public var normal: SIMD3<Double>
    public var towardCamera: SIMD3<Double>
    /// How much of the surface there is scalp: 1 on it, falling to 0 where it blends into the
    /// face, ears and neck.
    public var scalpWeight: Double

    public init(centreMM: SIMD2<Double>, acrossMM: SIMD2<Double>, downMM: SIMD2<Double>, normal: SIMD3<Double>,
                towardCamera: SIMD3<Double>, scalpWeight: Double) {
        self.centreMM = centreMM
        self.acrossMM = acrossMM
        self.downMM = downMM
        self.normal = normal
        self.towardCamera = towardCamera
        self.scalpWeight = scalpWeight
    }

    /// The chart area the footprint covers, mm².
    public var footprintAreaMM2: Double { abs(acrossMM.x * downMM.y - acrossMM.y * downMM.x) }
}

/// A view of the scalp chart: for each output pixel, the part of the chart its ray sees. The
/// map (`MapView`) is the chart itself at a scale; `HeadViewGeometry` is the head through a
/// perspective camera, which the head views and the photo composite share. A new view is a new
/// conformance, not a copy of a renderer.
public protocol ScalpView: Sendable {
    var widthPixels: Int { get }
    var heightPixels: Int { get }
    /// What the ray through image point (x, y) (pixel centres at .5) sees, its footprint `share`
    /// of a pixel across (1, or a third for a pixel's sub-rays); nil where it meets no scalp.
    func sight(x: Double, y: Double, share: Double) -> ScalpSight?
}

extension MapView: ScalpView {
    /// The chart straight on: every pixel sees its own square of the chart, facing the camera.
    public func sight(x: Double, y: Double, share: Double) -> ScalpSight? {
        let pixelMM = 1 / pixelsPerMM
        return ScalpSight(centreMM: SIMD2(originXMM + x * pixelMM, originYMM + y * pixelMM),
                          acrossMM: SIMD2(share * pixelMM, 0), downMM: SIMD2(0, share * pixelMM),
                          normal: SIMD3(0, 0, 1), towardCamera: SIMD3(0, 0, 1), scalpWeight: 1)
    }
}

/// The parametric head (`HeadModel`) through a perspective camera (`HeadCamera`): the head
/// views' geometry, and the photo's once its camera is fitted (`PhotoFit`).
public struct HeadViewGeometry: ScalpView {
    public let camera: HeadCamera
    public let head: HeadModel
    let cull: HeadViewCull

    public init(camera: HeadCamera, head: HeadModel) {
        self.camera = camera
        self.head = head
        cull = HeadViewCull(camera: camera, head: head)
    }

    /// Where the ray through image point (x, y) meets the head (`HeadModel.intersect`), trying
    /// only the parts the cull leaves it.
    @inline(__always)
    public func hit(x: Double, y: Double, edgeSlope: Double) -> (hit: HeadModel.Hit?, onEdge: Bool, direction: SIMD3<Double>) {
        hit(x: x, y: y, edgeSlope: edgeSlope, from: 0)
    }

    /// `hit`, its march started no nearer than `start` mm (its tile's, `tileStart`).
    @inline(__always)
    public func hit(x: Double, y: Double, edgeSlope: Double, from start: Double) -> (hit: HeadModel.Hit?, onEdge: Bool, direction: SIMD3<Double>) {
        let direction = camera.ray(x: x, y: y)
        let candidates = cull.candidates(x: x, y: y)
        guard candidates != 0 else { return (nil, false, direction) }
        let (hit, onEdge) = head.intersect(origin: camera.eye, direction: direction, edgeSlope: edgeSlope, candidates: candidates,
                                           marchingFrom: start)
        return (hit, onEdge, direction)
    }

    public var widthPixels: Int { camera.widthPixels }
    public var heightPixels: Int { camera.heightPixels }

    public func sight(x: Double, y: Double, share: Double) -> ScalpSight? {
        let (hit, _, direction) = self.hit(x: x, y: y, edgeSlope: 0)
        guard let hit else { return nil }
        let weight = head.scalpWeight(at: hit.point, active: hit.active)
        guard weight > 0 else { return nil }
        let (centre, across, down) = footprint(of: hit, x: x, y: y, share: share)
        return ScalpSight(centreMM: centre, acrossMM: across, downMM: down, normal: hit.normal, towardCamera: -direction,
                          scalpWeight: weight)
    }

    /// The chart point under `hit` and the chart vectors of the ray's `share` of pixel (x, y)
    /// across and down: the footprint a texture is filtered over.
    func footprint(of hit: HeadModel.Hit, x: Double, y: Double, share: Double)
        -> (centre: SIMD2<Double>, across: SIMD2<Double>, down: SIMD2<Double>) {
        let (px, py) = differentials(of: hit, x: x, y: y, share: share)
        // The chart's derivatives at the hit carry the differentials to the chart (to first
        // order: the footprint is a fraction of a millimetre, the chart's features centimetres).
        guard let (centre, towardX, towardY) = chartPointAndGradients(hit.point) else {
            return footprintByChartPoints(of: hit, x: x, y: y, share: share)
        }
        let acrossMM = px - hit.point, downMM = py - hit.point
        return (centre, SIMD2((towardX * acrossMM).sum(), (towardY * acrossMM).sum()),
                SIMD2((towardX * downMM).sum(), (towardY * downMM).sum()))
    }

    /// `footprint` from the chart points of the differentials' ends: what the derivatives
    /// stand in for, and where they have none (on the chart's axis, where φ is undefined).
    func footprintByChartPoints(of hit: HeadModel.Hit, x: Double, y: Double, share: Double)
        -> (centre: SIMD2<Double>, across: SIMD2<Double>, down: SIMD2<Double>) {
        let centre = chartPoint(hit.point)
        let (px, py) = differentials(of: hit, x: x, y: y, share: share)
        return (centre, chartPoint(px) - centre, chartPoint(py) - centre)
    }

    /// Ray differentials: where the rays one `share` of a pixel to the right of and below
    /// (x, y) meet the hit's tangent plane.
    @inline(__always)
    func differentials(of hit: HeadModel.Hit, x: Double, y: Double, share: Double) -> (SIMD3<Double>, SIMD3<Double>) {
        let n = hit.normal
        let planeDistance = (n * (hit.point - camera.eye)).sum()
        func onPlane(_ d: SIMD3<Double>) -> SIMD3<Double> {
            let facing = (n * d).sum()
            return camera.eye + d * (planeDistance / (abs(facing) > 0.02 ? facing : (facing < 0 ? -0.02 : 0.02)))
        }
        return (onPlane(camera.ray(x: x + share, y: y)), onPlane(camera.ray(x: x, y: y + share)))
    }

    /// The chart point of a point on (or near) the cranium: the map's coordinates, through the
    /// cranium's own equal-area chart.
    @inline(__always)
    func chartPoint(_ point: SIMD3<Double>) -> SIMD2<Double> {
        let angles = head.surfaceAngles(of: point)
        return head.cranium.chart.chartPoint(polar: angles.polar, azimuth: angles.azimuth)
    }

    /// `chartPoint` (the same bits) and the gradients of its x and y by the point, per mm; nil
    /// on the chart's axis (the top of the head's direction), where the azimuth has none.
    @inline(__always)
    func chartPointAndGradients(_ point: SIMD3<Double>) -> (SIMD2<Double>, SIMD3<Double>, SIMD3<Double>)? {
        let angles = head.surfaceAngles(of: point)
        let (centre, byPolar, byAzimuth) = head.cranium.chart.chartPointAndSlopes(polar: angles.polar, azimuth: angles.azimuth)
        // θ = atan2(√(u.x² + u.y²), u.z) and φ = atan2(u.y, u.x) of u = point / radii.
        let u = point / head.cranium.radii
        let planar2 = u.x * u.x + u.y * u.y, length2 = planar2 + u.z * u.z
        guard planar2 > 1e-12 * length2 else { return nil }
        let planar = planar2.squareRoot()
        let polarByPoint = SIMD3(u.z * u.x / planar, u.z * u.y / planar, -planar) / (length2 * head.cranium.radii)
        let azimuthByPoint = SIMD3(-u.y, u.x, 0) / (planar2 * head.cranium.radii)
        return (centre, polarByPoint * byPolar.x + azimuthByPoint * byAzimuth.x,
                polarByPoint * byPolar.y + azimuthByPoint * byAzimuth.y)
    }

    /// The head's surface point a view shows at chart point `chartMM` (the inverse of
    /// `chartPoint`): the vault's point there, moved onto the head's own surface along the ray
    /// from the head's centre (where the vault blends into the forehead they differ by a little).
    /// nil off the chart.
    public static func surfacePoint(chartMM: SIMD2<Double>, head: HeadModel) -> SIMD3<Double>? {
        guard let onVault = head.cranium.point(chartX: chartMM.x, chartY: chartMM.y) else { return nil }
        let outward = onVault / (onVault * onVault).sum().squareRoot()
        return head.intersect(origin: onVault * 3, direction: -outward, edgeSlope: 0).hit?.point ?? onVault
    }
}
