import Foundation
import ImageText
import PhotoIO

/// The plan on the client's own photo: each pixel whose ray (through the fitted camera,
/// `PhotoFit`) meets the scalp of the parametric head takes the ink's transmittance there, the
/// ratio of the chart's reflectance after to before (the same pigment and skin-transport model
/// as the map and the head views, over the pixel's footprint on the chart), times the photo's
/// own linear-light value: the photo is the skin under the pigment. Everywhere else, and where
/// the ratio is 1 (no ink within reach), the pixel is the photo's own bytes.
///
/// A painted mask (grey 0…255 per pixel) scales the ink's effect: 0 leaves the photo, 255 the
/// full effect. A "simulation" mark is drawn over one corner of every photo output.
public struct PhotoComposite: RowImage {
    public let photo: Photo
    public let camera: HeadCamera
    /// nil: the photo as it is (photo-before).
    let view: HeadViewRenderer?
    let before: ChartTexture?
    let mask: [UInt8]?
    let mark: RGB8Image
    let markOrigin: (x: Int, y: Int)
    /// Rows and columns the cranium's bound can project to; no other pixel can change.
    let scalpRows: Range<Int>
    let scalpColumns: Range<Int>
    /// Where within them scalp can be seen (nil: trace every pixel of the box).
    let coverage: PhotoScalpCoverage?
    /// Pixels past the photo's head the fitted scalp spills over (`PhotoOutline.clip`): left as the photo.
    let clip: PhotoOutlineClip?

    /// The photo with `after` over `before` composited on its scalp (both nil: the photo alone),
    /// and `mark` (`PhotoComposite.mark`) over it.
    public init(photo: Photo, camera: HeadCamera, head: HeadModel, before: ChartTexture?, after: ChartTexture?,
                mask: [UInt8]?, mark: (image: RGB8Image, x: Int, y: Int), coverage: PhotoScalpCoverage? = nil,
                clip: PhotoOutlineClip? = nil) {
        self.photo = photo
        self.camera = camera
        self.before = before
        self.mask = mask
        // The renderer is only asked for its ray tests and texture footprints: no label, no
        // shading, so nothing in it can fail.
        view = after.flatMap { after in
            before == nil ? nil : try? HeadViewRenderer(camera: camera, head: head, texture: after, skin: .one, shine: 0)
        }
        self.mark = mark.image
        markOrigin = (mark.x, mark.y)
        (scalpRows, scalpColumns) = Self.scalpBox(camera: camera, head: head, width: photo.width, height: photo.height)
        self.coverage = coverage
        self.clip = clip
    }

    /// The "simulation" mark for `photo` and where it goes: in `corner`, its text a 28th of the
    /// photo's shorter side.
    public static func mark(photo: Photo, corner: PhotoSettings.Corner, font: Font) throws -> (image: RGB8Image, x: Int, y: Int) {
        let size = max(14, min(photo.width, photo.height) / 28)
        let label = "simulation"
        let metrics = try font.measure(label, pixelSize: size)
        let pad = size / 3
        var image = RGB8Image(width: metrics.width + 2 * pad, height: metrics.height + 2 * pad,
                              background: RGB8Color(red: 250, green: 250, blue: 246))
        _ = try image.draw(label, font: font, pixelSize: size, x: pad, y: pad, color: RGB8Color(red: 30, green: 30, blue: 30))
        let margin = size / 2
        let right = max(0, photo.width - image.width - margin), bottom = max(0, photo.height - image.height - margin)
        switch corner {
        case .topLeft: return (image, margin, margin)
        case .topRight: return (image, right, margin)
        case .bottomLeft: return (image, margin, bottom)
        case .bottomRight: return (image, right, bottom)
        }
    }

    /// The pixel box the chart's part of the cranium (down to 120° from the top, 65 % of the
    /// ear-to-top height below the ear line), grown by 10 mm, projects into, clamped to the
    /// photo; the whole photo when the camera is inside that box.
    static func scalpBox(camera: HeadCamera, head: HeadModel, width: Int, height: Int) -> (Range<Int>, Range<Int>) {
        let s = head.shape
        let low3 = SIMD3(-s.sideToSideMM - 25, -s.frontToBackMM - 10, -0.65 * s.earToTopMM - 10)
        let high3 = SIMD3(s.sideToSideMM + 25, s.frontToBackMM + 10, s.earToTopMM + 10)
        var low = SIMD2(Double.infinity, .infinity), high = -low
        for corner in 0..<8 {
            let p3 = SIMD3(corner & 1 == 0 ? low3.x : high3.x, corner & 2 == 0 ? low3.y : high3.y, corner & 4 == 0 ? low3.z : high3.z)
            guard let p = camera.project(p3) else { return (0..<height, 0..<width) }
            low = pointwiseMin(low, p)
            high = pointwiseMax(high, p)
        }
        let rows = max(0, Int(low.y.rounded(.down)))..<min(height, max(0, Int(high.y.rounded(.up)) + 1))
        let columns = max(0, Int(low.x.rounded(.down)))..<min(width, max(0, Int(high.x.rounded(.up)) + 1))
        return (rows.isEmpty ? 0..<0 : rows, columns.isEmpty ? 0..<0 : columns)
    }

    public var widthPixels: Int { photo.width }
    public var heightPixels: Int { photo.height }
    /// A photo has no single scale: no pHYs.
    public var pixelsPerMM: Double? { nil }

    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        let width = photo.width
        SRGBTransfer.encodeTable.withUnsafeBufferPointer { table in
            photo.pixels.withUnsafeBufferPointer { source in
                for row in rows {
                    let line = (row - rows.lowerBound) * rowStride
                    let sourceLine = row * width * 3
                    for k in 0..<(3 * width) { output[line + k] = source[sourceLine + k] }
                    if let view, let before, scalpRows.contains(row) {
                        for column in scalpColumns {
                            let maskValue = mask.map { Float($0[row * width + column]) / 255 } ?? 1
                            guard maskValue > 0, coverage?.mightSeeScalp(column: column, row: row) ?? true else { continue }
                            // The clip's ray position, found once for both its tests.
                            let clipped = clip.map { (clip: $0, ray: $0.rayPosition(column: column, row: row)) }
                            guard !(clipped.map { $0.clip.isBackground($0.ray) } ?? false),
                                  let factor = transmittance(view: view, before: before, column: column, row: row), factor != .one
                            else { continue }
                            let s = sourceLine + 3 * column
                            let pixel = LinearRGB(SRGBTransfer.decodeTable[Int(source[s])], SRGBTransfer.decodeTable[Int(source[s + 1])],
                                                  SRGBTransfer.decodeTable[Int(source[s + 2])])
                            // At the photo's head edge only the head's share of the pixel takes the ink.
                            let share = clipped.flatMap { $0.clip.headShare($0.ray, pixel: pixel) } ?? 1
                            guard share > 0 else { continue }
                            let linear = pixel * (LinearRGB.one + (factor - .one) * (maskValue * share))
                            let encoded = SRGBTransfer.encode(SIMD4(linear, 0), table: table)
                            output[line + 3 * column] = encoded.0
                            output[line + 3 * column + 1] = encoded.1
                            output[line + 3 * column + 2] = encoded.2
                        }
                    }
                    if row >= markOrigin.y, row < markOrigin.y + mark.height, markOrigin.x + mark.width <= width {
                        let start = line + 3 * markOrigin.x
                        mark.copyRow(row - markOrigin.y, into: UnsafeMutableRawBufferPointer(rebasing: output[start..<(start + 3 * mark.width)]))
                    }
                }
            }
        }
    }

    /// The ink's transmittance (after / before reflectance per channel, blended toward 1 where
    /// the surface is less than fully scalp) seen through pixel (column, row); nil where the ray
    /// misses the scalp.
    func transmittance(view: HeadViewRenderer, before: ChartTexture, column: Int, row: Int) -> LinearRGB? {
        // One footprint for both textures: the chart point's trigonometry is most of a lookup.
        guard let after = view.texture,
              let sight = view.geometry.sight(x: Double(column) + 0.5, y: Double(row) + 0.5, share: 1) else { return nil }
        let fade = after.edgeFade(sight.centreMM)
        guard fade > 0,
              let seenAfter = after.filtered(centre: sight.centreMM, edgeX: sight.acrossMM, edgeY: sight.downMM),
              let seenBefore = before.filtered(centre: sight.centreMM, edgeX: sight.acrossMM, edgeY: sight.downMM) else { return nil }
        let ratio = seenAfter / pointwiseMax(seenBefore, LinearRGB(repeating: 1e-4))
        let w = Float(sight.scalpWeight * fade)
        // Within a 65536th of 1: the textures' own step, not ink.
        let factor = LinearRGB.one + (pointwiseMin(ratio, LinearRGB(repeating: 1.5)) - .one) * w
        let change = factor - LinearRGB.one
        return max(abs(change.x), abs(change.y), abs(change.z)) < 2e-5 ? LinearRGB.one : factor
    }
}
