import Foundation
import ImageText

/// A perspective view of the head (`HeadModel`) with the chart's reflectance (`ChartTexture`)
/// on its scalp: for each pixel, the ray through its centre meets the head; where it meets the
/// scalp, the chart point under it and the chart footprint of the pixel (the ray differentials'
/// parallelogram on the surface's tangent plane, mapped to the chart, so foreshortened near the
/// silhouette) give the texture's mean reflectance over that footprint. Elsewhere (face, ears,
/// neck, and the chart beyond the map) the skin is the scene's skin colour.
///
/// Shading, in linear light, from the surface normal n:
///
///     L = albedo · (ambient · (0.75 + 0.25 · n·up) + key · max(0, n·l)) + shine · bare · F · (n·h)^40
///
/// with the key light l above and to the left of the camera, h the half vector, and `bare` the
/// fraction of the skin's own reflectance the chart shows there (1 on bare skin, less under
/// stubble and pigment, which are matte). Pixels on an edge (the silhouette, the nose against
/// the cheek) are the mean of 3 × 3 rays, each with a ninth of the footprint.
///
/// Each pixel depends on nothing but its own rays, so any split of the rows on any threads gives
/// the same bytes. The rays' geometry and lighting (`HeadViewRaster`) are traced per band, or
/// once for the whole view (`traced`) when it is drawn again with other textures.
public struct HeadViewRenderer: RowImage {
    public let camera: HeadCamera
    public let head: HeadModel
    /// nil: bare skin everywhere (no map drawn).
    public internal(set) var texture: ChartTexture?
    public internal(set) var skin: LinearRGB
    /// Specular strength of bare skin, 0…1 (the scene's `skin.shine`).
    public let shine: Double
    /// Long hair lying over the scalp, nil for stubble (which the chart's texture shows).
    let hair: LongHair?
    /// Long hair's part that hangs off the vault, and the image box its rays can meet it in.
    let hanging: HangingHair?
    let hangingBox: SIMD4<Double>
    public let background: LinearRGB
    /// Drawn over the bottom-left corner: a scale bar at the head's distance.
    let overlay: RGB8Image?
    let overlayOrigin: (x: Int, y: Int)
    let keyLight: SIMD3<Double>
    /// Where each ray meets the head and which part of the chart it sees (the view's `ScalpView`).
    public let geometry: HeadViewGeometry
    /// Every row's rays, traced beforehand (`traced`); nil: each band traces its own.
    var raster: HeadViewRaster?

    public static let backgroundColor = SRGBColor(hex: "#c9c9c6")!
    /// The garment's reflectance: a mid grey (sRGB #7a7a7a), darker than the background.
    static let garment = SRGBColor(hex: "#7a7a7a")!.linear

    init(camera: HeadCamera, head: HeadModel, texture: ChartTexture?, skin: LinearRGB, shine: Double,
         hair: LongHair? = nil, scaleBarFont: Font? = nil) throws {
        self.hair = hair
        hanging = hair.flatMap { HangingHair(hair: $0, head: head) }
        hangingBox = hanging.map { HeadViewCull.box(of: $0.boundCorners, camera: camera) } ?? .zero
        self.camera = camera
        self.head = head
        geometry = HeadViewGeometry(camera: camera, head: head)
        self.texture = texture
        self.skin = skin
        self.shine = shine
        background = Self.backgroundColor.linear
        let light = -camera.forward * 0.78 + camera.up * 0.52 - camera.right * 0.34
        keyLight = light / (light * light).sum().squareRoot()
        if let font = scaleBarFont {
            let size = max(12, camera.widthPixels / 64)
            let bar = try ScaleBar(lengthMM: 50, pixelsPerMM: camera.pixelsPerMMAtTarget, pixelSize: size)
            let label = "at \(Int((camera.distanceMM / 10).rounded())) cm"
            let labelMetrics = try font.measure(label, pixelSize: size)
            let (barWidth, barHeight) = try bar.size(font: font)
            let pad = size / 2
            let bg = Self.backgroundColor
            var image = RGB8Image(width: barWidth + labelMetrics.width + 3 * pad, height: barHeight + 2 * pad,
                                  background: RGB8Color(red: bg.red, green: bg.green, blue: bg.blue))
            let ink = RGB8Color(red: 40, green: 40, blue: 40)
            try bar.draw(into: &image, x: pad, y: pad, font: font, color: ink)
            _ = try image.draw(label, font: font, pixelSize: size, x: 2 * pad + barWidth,
                               y: pad + barHeight - labelMetrics.height, color: ink)
            // A view too small for the bar (its text is never below 12 px) goes without it:
            // copied anyway, its rows ran past the image's and into the next row or band.
            if image.width + 2 * size <= camera.widthPixels && image.height + 2 * size <= camera.heightPixels {
                overlay = image
                overlayOrigin = (size, camera.heightPixels - image.height - size)
            } else {
                overlay = nil
                overlayOrigin = (0, 0)
            }
        } else {
            overlay = nil
            overlayOrigin = (0, 0)
        }
    }

    /// The same view with `texture` on the scalp and, if given, `skin` elsewhere.
    public func with(texture: ChartTexture?, skin: LinearRGB? = nil) -> HeadViewRenderer {
        var copy = self
        copy.texture = texture
        if let skin { copy.skin = skin }
        return copy
    }

    public var widthPixels: Int { camera.widthPixels }
    public var heightPixels: Int { camera.heightPixels }
    /// A perspective view has no single scale: no pHYs.
    public var pixelsPerMM: Double? { nil }

    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        guard !rows.isEmpty else { return }
        // The rays traced beforehand (`traced`), or now for these rows.
        let local = raster == nil ? trace(rows: rows) : nil
        SRGBTransfer.encodeTable.withUnsafeBufferPointer { table in
            for row in rows {
                let line = (row - rows.lowerBound) * rowStride
                let band = local ?? raster!.band(holding: row)
                let start = (row - band.rows.lowerBound) * band.width
                band.samples.withUnsafeBufferPointer { samples in band.hanging.withUnsafeBufferPointer { hanging in
                    for column in 0..<widthPixels {
                        let value = radiance(first: band.first[start + column], isEdge: band.isEdge[start + column], samples, hanging)
                        let encoded = SRGBTransfer.encode(SIMD4(value, 0), table: table)
                        output[line + 3 * column] = encoded.0
                        output[line + 3 * column + 1] = encoded.1
                        output[line + 3 * column + 2] = encoded.2
                    }
                } }
                if let overlay, row >= overlayOrigin.y, row < overlayOrigin.y + overlay.height {
                    let start = line + 3 * overlayOrigin.x
                    overlay.copyRow(row - overlayOrigin.y, into: UnsafeMutableRawBufferPointer(
                        rebasing: output[start..<(start + 3 * overlay.width)]))
                }
            }
        }
    }

    /// A pixel's radiance from its samples (and the hanging hair in front of them, when the view
    /// has any): background, one ray's, or the mean of an edge's nine.
    @inline(__always)
    func radiance(first: Int32, isEdge: Bool, _ samples: UnsafeBufferPointer<RaySample>,
                  _ hanging: UnsafeBufferPointer<HangingSample>) -> LinearRGB {
        guard first >= 0 else { return background }
        let start = Int(first)
        guard isEdge else { return shadeUnderHair(samples, hanging, start) }
        var sum = LinearRGB.zero
        for k in 0..<9 { sum += shadeUnderHair(samples, hanging, start + k) }
        return sum / 9
    }

    /// `shade` of sample `index`, behind any hanging hair.
    @inline(__always)
    func shadeUnderHair(_ samples: UnsafeBufferPointer<RaySample>, _ hanging: UnsafeBufferPointer<HangingSample>,
                        _ index: Int) -> LinearRGB {
        let behind = shade(samples[index])
        guard !hanging.isEmpty else { return behind }
        let hair = hanging[index]
        guard hair.opacity > 0 else { return behind }
        return behind * (1 - hair.opacity) + hair.radiance * hair.opacity
    }

    /// The radiance leaving a ray's surface point toward the camera: the chart's reflectance
    /// there (the texture filtered over the footprint, faded toward the skin off the scalp),
    /// lit as the sample says, under any long hair.
    @inline(__always)
    func shade(_ sample: RaySample) -> LinearRGB {
        guard sample.scalpWeight >= 0 else { return background }
        // The shoulders in a plain, matte garment of neutral grey: the head, not two skin-coloured
        // wings under it, is what the eye goes to.
        let g = sample.garment
        var albedo = g > 0 ? skin * (1 - g) + Self.garment * g : skin
        var bare: Float = 1 - g
        let weight = texture == nil ? 0 : sample.scalpWeight
        if weight > 0, let texture, let (seen, fade) = chartReflectance(sample, texture: texture) {
            let w = Float(weight * fade)
            albedo = seen * w + skin * (1 - w)
            let ratio = min(max((seen * LinearRGB(0.2126, 0.7152, 0.0722)).sum() / max((skin * LinearRGB(0.2126, 0.7152, 0.0722)).sum(), 1e-4), 0), 1)
            bare = 1 - w + w * ratio * ratio
        }
        let scalp = albedo * sample.diffuse + LinearRGB(repeating: sample.specular * bare)
        guard weight > 0, sample.hairWeight > 0 else { return scalp }
        let w = sample.hairWeight
        return scalp * (1 - w) + sample.hairRadiance * w
    }

    /// The texture's mean over the sample's chart footprint and how far inside the texture the
    /// point is (`ChartTexture.edgeFade`), nil outside it.
    @inline(__always)
    func chartReflectance(_ sample: RaySample, texture: ChartTexture) -> (LinearRGB, Double)? {
        let fade = texture.edgeFade(sample.centre)
        guard fade > 0, let seen = texture.filtered(centre: sample.centre, edgeX: sample.across, edgeY: sample.down) else { return nil }
        return (seen, fade)
    }
}
