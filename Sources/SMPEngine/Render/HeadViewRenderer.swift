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
/// the same bytes.
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
    public let background: LinearRGB
    /// Drawn over the bottom-left corner: a scale bar at the head's distance.
    let overlay: RGB8Image?
    let overlayOrigin: (x: Int, y: Int)
    let keyLight: SIMD3<Double>
    /// Where each ray meets the head and which part of the chart it sees (the view's `ScalpView`).
    public let geometry: HeadViewGeometry

    public static let backgroundColor = SRGBColor(hex: "#c9c9c6")!

    init(camera: HeadCamera, head: HeadModel, texture: ChartTexture?, skin: LinearRGB, shine: Double,
         hair: LongHair? = nil, scaleBarFont: Font? = nil) throws {
        self.hair = hair
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
        SRGBTransfer.encodeTable.withUnsafeBufferPointer { table in
            for row in rows {
                let line = (row - rows.lowerBound) * rowStride
                for column in 0..<widthPixels {
                    let value = pixel(column: column, row: row)
                    let encoded = SRGBTransfer.encode(SIMD4(value, 0), table: table)
                    output[line + 3 * column] = encoded.0
                    output[line + 3 * column + 1] = encoded.1
                    output[line + 3 * column + 2] = encoded.2
                }
                if let overlay, row >= overlayOrigin.y, row < overlayOrigin.y + overlay.height {
                    let start = line + 3 * overlayOrigin.x
                    overlay.copyRow(row - overlayOrigin.y, into: UnsafeMutableRawBufferPointer(
                        rebasing: output[start..<(start + 3 * overlay.width)]))
                }
            }
        }
    }

    /// The linear radiance of pixel (column, row).
    public func pixel(column: Int, row: Int) -> LinearRGB {
        let x = Double(column) + 0.5, y = Double(row) + 0.5
        // A ray passing within a pixel of a surface it misses marks an edge.
        let slope = 1 / camera.focalPixels
        let direction = camera.ray(x: x, y: y)
        let (hit, onEdge) = head.intersect(origin: camera.eye, direction: direction, edgeSlope: slope)
        guard onEdge else { return hit.map { shade($0, direction: direction, x: x, y: y, footprint: 1) } ?? background }
        // An edge: the mean of 3 × 3 rays, each seeing a third of the pixel across.
        var sum = LinearRGB.zero
        for k in 0..<9 {
            let sx = Double(column) + (Double(k % 3) + 0.5) / 3, sy = Double(row) + (Double(k / 3) + 0.5) / 3
            let d = camera.ray(x: sx, y: sy)
            if let h = head.intersect(origin: camera.eye, direction: d, edgeSlope: 0).hit {
                sum += shade(h, direction: d, x: sx, y: sy, footprint: 1.0 / 3)
            } else {
                sum += background
            }
        }
        return sum / 9
    }

    /// The radiance leaving `hit` toward the camera; `footprint` is the ray's share of a pixel
    /// across (1, or 1/3 for an edge's rays).
    func shade(_ hit: HeadModel.Hit, direction: SIMD3<Double>, x: Double, y: Double, footprint: Double) -> LinearRGB {
        let n = hit.normal
        var albedo = skin
        var bare: Float = 1
        let weight = texture == nil ? 0 : head.scalpWeight(at: hit.point, active: hit.active)
        if weight > 0, let texture, let (seen, fade) = chartReflectance(hit, texture: texture, x: x, y: y, footprint: footprint) {
            let w = Float(weight * fade)
            albedo = seen * w + skin * (1 - w)
            let ratio = min(max((seen * LinearRGB(0.2126, 0.7152, 0.0722)).sum() / max((skin * LinearRGB(0.2126, 0.7152, 0.0722)).sum(), 1e-4), 0), 1)
            bare = 1 - w + w * ratio * ratio
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
        let scalp = albedo * Float(diffuse) + LinearRGB(repeating: Float(specular) * bare)
        guard let hair, weight > 0 else { return scalp }
        let footprintMM = hit.distanceMM / camera.focalPixels * footprint / max(cosine, 0.2)
        let (cover, strand) = hair.cover(at: hit.point, normal: n, chart: geometry.chartPoint(hit.point), footprintMM: footprintMM)
        guard cover > 0 else { return scalp }
        // Hair shading (Kajiya and Kay): a fibre's highlight where the half vector is
        // perpendicular to it, a narrow white band across the strands.
        let alongHalf = (strand * h).sum()
        let across = max(1 - alongHalf * alongHalf, 0).squareRoot()
        let a2 = across * across, a4 = a2 * a2, a8 = a4 * a4, a16 = a8 * a8, a32 = a16 * a16
        let sheen = 0.22 * a32 * a16 * lit
        let hairRadiance = hair.color * Float(diffuse) + LinearRGB(repeating: Float(sheen))
        let w = Float(cover * weight)
        return scalp * (1 - w) + hairRadiance * w
    }

    /// The texture's mean over the chart footprint of the ray's share of pixel (x, y) and how far
    /// inside the texture the point is (`ChartTexture.edgeFade`), nil outside it.
    func chartReflectance(_ hit: HeadModel.Hit, texture: ChartTexture, x: Double, y: Double, footprint: Double) -> (LinearRGB, Double)? {
        let (centre, edgeX, edgeY) = geometry.footprint(of: hit, x: x, y: y, share: footprint)
        let fade = texture.edgeFade(centre)
        guard fade > 0, let seen = texture.filtered(centre: centre, edgeX: edgeX, edgeY: edgeY) else { return nil }
        return (seen, fade)
    }
}
