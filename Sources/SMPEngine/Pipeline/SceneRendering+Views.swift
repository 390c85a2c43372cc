import Foundation
import ImageText
import PoissonDisk

/// Head views of a scene: the chart's before/after reflectance on a parametric head.
extension SceneRendering {
    /// The camera of head view `name` with the scene's view settings.
    public func camera(_ name: HeadViewName) -> HeadCamera {
        HeadCamera(view: name, shape: scene.head, distanceMM: scene.render.viewDistanceMM, pixels: scene.render.viewPixels)
    }

    /// The chart texture's scale for views through `cameras`: a little finer than the finest
    /// pixel footprint on the nearest scalp (so the texture, not its texels, sets the detail),
    /// never finer than the map's own scale.
    public func texturePixelsPerMM(for cameras: [HeadCamera]) -> Double {
        let needed = cameras.map { $0.focalPixels / max($0.distanceMM - scene.head.earToTopMM, 1) }.max() ?? 1
        return min(scene.render.pixelsPerMM, 1.25 * needed)
    }

    /// The whole map at `pixelsPerMM`: what a view's texture covers.
    public func textureView(of map: ScalpMap, pixelsPerMM: Double) -> MapView {
        MapView(originXMM: map.bounds.minXMM, originYMM: map.bounds.minYMM, widthMM: map.bounds.widthMM,
                heightMM: map.bounds.heightMM, pixelsPerMM: pixelsPerMM)
    }

    /// The chart's reflectance on `day` (nil: before treatment) as a texture for head views.
    /// `within`: the whole map's texture view when `surface` covers only part of it (the
    /// chart one view sees), for the fade at the map's edge.
    /// `shading`: `surface`'s terms kept from an earlier texture of it (the live page's).
    public func chartTexture(map: ScalpMap, dots: [PoissonDot], day: Double?, surface: ScalpSurface, shading: ShadedSurface? = nil,
                             within whole: MapView? = nil) -> ChartTexture {
        ChartTexture(rendering: renderer(view: surface.view, dots: dots, day: day, surface: surface, shading: shading), view: surface.view,
                     threads: threads, within: whole)
    }

    /// The chart's reflectance on `day` (nil: before treatment) at the scale views through
    /// `cameras` need, and the skin their face takes: what a head view is drawn from.
    public func viewTexture(map: ScalpMap, dots: [PoissonDot], day: Double?, for cameras: [HeadCamera]) throws -> (ChartTexture, LinearRGB) {
        let view = textureView(of: map, pixelsPerMM: texturePixelsPerMM(for: cameras))
        let surface = try ScalpSurface(scene: scene, map: map, view: view)
        return (chartTexture(map: map, dots: dots, day: day, surface: surface), meanSkin(of: surface, map: map))
    }

    /// The mean reflectance of `surface`'s bare skin off the scalp (where the map draws no
    /// hair), every 8th pixel each way: the face, ears and neck of a view take it, so that they
    /// match the skin the texture shows around the scalp (pores and sheen included).
    public func meanSkin(of surface: ScalpSurface, map: ScalpMap) -> LinearRGB {
        var sum = SIMD3<Double>.zero, count = 0.0
        let view = surface.view
        for row in stride(from: 0, to: view.heightPixels, by: 8) {
            let y = view.originYMM + (Double(row) + 0.5) / view.pixelsPerMM
            for column in stride(from: 0, to: view.widthPixels, by: 8) {
                let x = view.originXMM + (Double(column) + 0.5) / view.pixelsPerMM
                guard map.region(atXMM: x, yMM: y) == nil else { continue }
                let terms = surface.pixelTerms(column: column, row: row)
                guard terms.hair == .zero else { continue }
                sum += SIMD3(Double(terms.skin.x), Double(terms.skin.y), Double(terms.skin.z))
                count += 1
            }
        }
        guard count > 0 else { return scene.skin.color.linear }
        return LinearRGB(Float(sum.x / count), Float(sum.y / count), Float(sum.z / count))
    }

    /// The view `name` of the head with `texture` on its scalp (nil: bare skin).
    public func headView(_ name: HeadViewName, map: ScalpMap, texture: ChartTexture?, skin: LinearRGB? = nil, font: Font?) throws -> HeadViewRenderer {
        let head = HeadModel(shape: scene.head)
        return try HeadViewRenderer(camera: camera(name), head: head, texture: texture,
                                    skin: skin ?? scene.skin.color.linear, shine: scene.skin.shine,
                                    hair: LongHair(scene: scene, map: map, cranium: head.cranium), scaleBarFont: font)
    }

    /// View `name`, `pixels` on a side, before treatment and on `day`: a sweep's panel. The
    /// texture is only as fine as this one camera needs.
    public func headViewPair(_ name: HeadViewName, preview: ScenePreview, day: Double, pixels: Int) throws
        -> (before: PanelPixels, after: PanelPixels) {
        var sized = self
        sized.scene.render.viewPixels = pixels
        let map = preview.map
        let surface = preview.surface(view: textureView(of: map, pixelsPerMM: texturePixelsPerMM(for: [sized.camera(name)])))
        let skin = meanSkin(of: surface, map: map)
        let plain = try sized.headView(name, map: map, texture: nil, font: nil)
        return (PanelPixels(plain.with(texture: chartTexture(map: map, dots: preview.dots, day: nil, surface: surface), skin: skin)),
                PanelPixels(plain.with(texture: chartTexture(map: map, dots: preview.dots, day: day, surface: surface), skin: skin)))
    }

    /// The head views a render writes: `view-<name>-<moment>` for each chosen view (`views`,
    /// else the scene's `render.views`) and each map moment (`before`, `after`, `session-K`,
    /// `session-K-healed`, `at-<time>`) the selection names (`views`: before, after and the `at`
    /// moments; `view-sessions`: the session moments), and `view-sheet`. `selected` nil
    /// (everything) writes before, after and the `at` moments of each chosen view and the sheet,
    /// unless the scene is a close-up (`render.crop`) and no views were asked for.
    func viewJobs(_ preview: ScenePreview, after moment: TreatmentTime, selected: [String]?,
                  views: [HeadViewName]?) throws -> [ImageJob] {
        let map = preview.map, dots = preview.dots
        let chosen = views ?? scene.render.views
        let defaultMoments = { (name: String) in name == "before" || name == "after" || name.hasPrefix("at-") }
        let everything = selected == nil
        if everything && views == nil && scene.render.crop != nil { return [] }
        var wanted: [(view: HeadViewName, moment: String, day: Double?)] = []
        // Every moment the map has, whatever the scene's `render.outputs` selects of the map.
        for (momentName, day) in images(after: moment, only: ["before", "after", "sessions", "at"]) {
            for view in HeadViewName.allCases {
                let name = "view-\(view.rawValue)-\(momentName)"
                let inGroup = chosen.contains(view)
                    && ((defaultMoments(momentName) && (everything || selected!.contains("views")))
                        || (momentName.hasPrefix("session-") && selected?.contains("view-sessions") == true))
                if inGroup || (selected?.contains(name) ?? false) { wanted.append((view, momentName, day)) }
            }
        }
        let sheet = everything || selected!.contains("views") || selected!.contains("view-sheet")
        guard !wanted.isEmpty || sheet else { return [] }
        let font = try Font.dejaVuSans()
        let afterDay = moment.day(in: scene.sessions)
        let sheetViews = chosen
        let cameras = wanted.map { camera($0.view) } + (sheet ? sheetViews.map(camera) : [])
        let textureView = textureView(of: map, pixelsPerMM: texturePixelsPerMM(for: cameras))
        // Users per moment: each view image, and the sheet for before and after.
        var users: [String: Int] = [:]
        for item in wanted { users[Self.dayKey(item.day), default: 0] += 1 }
        if sheet {
            users[Self.dayKey(nil), default: 0] += 1
            users[Self.dayKey(afterDay), default: 0] += 1
        }
        try limits.check(viewEstimate(textureView: textureView, images: wanted.count, sheet: sheet ? sheetViews.count : nil,
                                      moments: users.count, dots: dots.count))
        let textures = ViewTextures(users: users)
        let rendering = self
        @Sendable func texture(_ day: Double?) -> (ChartTexture, LinearRGB) {
            textures.texture(day: day) {
                let (surface, skin) = textures.surface {
                    let surface = preview.surface(view: textureView)
                    return (surface, rendering.meanSkin(of: surface, map: map))
                }
                return (rendering.chartTexture(map: map, dots: dots, day: day, surface: surface), skin)
            }
        }
        var jobs: [ImageJob] = []
        for item in wanted {
            let view = try headView(item.view, map: map, texture: nil, font: font)
            jobs.append(ImageJob(name: "view-\(item.view.rawValue)-\(item.moment)", day: item.day) {
                let (chart, skin) = texture(item.day)
                return view.with(texture: chart, skin: skin)
            })
        }
        if sheet {
            var sheetRendering = self
            sheetRendering.scene.render.viewPixels = ViewSheet.panelPixels
            var panels: [(label: String, before: HeadViewRenderer, after: HeadViewRenderer)] = []
            for name in sheetViews {
                let plain = try sheetRendering.headView(name, map: map, texture: nil, font: font)
                panels.append((name.label, plain, plain))
            }
            let title = "\(scene.name): before and after (\(moment))"
            let shell = try ViewSheet(title: title, afterLabel: "after, \(moment)", rows: panels, font: font)
            jobs.append(ImageJob(name: "view-sheet", day: afterDay, moment: "before and \(moment)") {
                let (before, skin) = texture(nil)
                return shell.with(before: before, after: texture(afterDay).0, skin: skin)
            })
        }
        return jobs
    }

    /// What the head views take, checked against the limits on their own (before any file is
    /// written): the largest view image's pixels, the uncompressed bytes of the views and the
    /// sheet, and in memory the floor plus a texture (16-bit RGBA texels, a third more for the
    /// mip levels) per moment in flight (each image in flight may hold one, and the sheet holds
    /// the before and after ones), the texture's 8-bit rendering and the dots, with a tenth
    /// more for what the texture's map renderer holds besides.
    func viewEstimate(textureView: MapView, images: Int, sheet: Int?, moments: Int, dots: Int) -> RenderEstimate {
        let viewPixels = scene.render.viewPixels * scene.render.viewPixels
        let sheetPixels = sheet.map { count in
            let rows = (2 * count + ViewSheet.panelsPerRow - 1) / ViewSheet.panelsPerRow
            return (ViewSheet.panelsPerRow * (ViewSheet.panelPixels + 40)) * (rows * (ViewSheet.panelPixels + 80) + 100)
        } ?? 0
        let texels = textureView.widthPixels * textureView.heightPixels
        let textureBytes = texels * 8 * 4 / 3
        let held = min(moments, imagesInFlight + 1)
        return RenderEstimate(sessions: scene.sessions.count, dots: 0, pixelsPerImage: max(viewPixels, sheetPixels),
                              peakMemoryBytes: RenderEstimate.baseBytes + (held * textureBytes + texels * 3) * 11 / 10
                                + dots * RenderEstimate.bytesPerDot,
                              bytesWritten: images * viewPixels * 3 + sheetPixels * 3)
    }

    static func dayKey(_ day: Double?) -> String { day.map { "\($0)" } ?? "none" }
}

extension HeadViewName {
    /// How the sheet labels the view.
    var label: String {
        switch self {
        case .threeQuarter: "three-quarter"
        default: rawValue
        }
    }
}

/// The textures of a render's head views: each moment's built once, by the first view that
/// needs it, and let go when its last user has taken it (`users`), so that memory holds about
/// as many textures as images are in flight; the textured surface they share is built once.
final class ViewTextures: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: [String: Int]
    private var built: [String: (ChartTexture, LinearRGB)] = [:]
    private var builtSurface: (ScalpSurface, LinearRGB)?

    init(users: [String: Int]) { remaining = users }

    func surface(_ build: () -> (ScalpSurface, LinearRGB)) -> (ScalpSurface, LinearRGB) {
        // Called with `lock` held by `texture`.
        if let builtSurface { return builtSurface }
        let surface = build()
        builtSurface = surface
        return surface
    }

    func texture(day: Double?, build: () -> (ChartTexture, LinearRGB)) -> (ChartTexture, LinearRGB) {
        lock.lock()
        defer { lock.unlock() }
        let key = SceneRendering.dayKey(day)
        let texture = built[key] ?? build()
        remaining[key, default: 1] -= 1
        built[key] = remaining[key, default: 0] > 0 ? texture : nil
        if remaining.values.allSatisfy({ $0 <= 0 }) { builtSurface = nil }
        return texture
    }
}
