import Foundation
import ImageText

/// The designed hairline at true scale, to print and hold on the client's forehead:
/// `stencil.png` (pHYs at its scale) and `stencil.pdf` (a page of the stencil's size in
/// points, the line a vector path). The brow (glabella) mark and the midline place it; the
/// frontotemporal corners are ticked. The chart keeps area, not lengths (near the brow it
/// shortens heights by a third), so the line is laid out in lengths on the skin: each point's
/// height is the arc up the forehead's midline from the brow to its latitude, its side offset
/// the arc along that latitude from the midline. The forehead is curved and the sheet flat, so
/// the sheet says to check the centre height with a tape.
public struct HairlineStencil: Sendable {
    /// The hairline on the page, mm from the page's top-left corner, left to right.
    public var edge: [SIMD2<Double>]
    /// The brow on the midline, page mm.
    public var brow: SIMD2<Double>
    /// The edge at the frontotemporal corners, page mm.
    public var corners: [SIMD2<Double>]
    public var widthMM: Double
    public var heightMM: Double
    /// Plain ASCII lines (the PDF's standard font has no "×" or "·").
    public var textLines: [String]

    static let marginMM = 12.0, templeReachMM = 25.0, lineWidthMM = 0.6

    public init(scene: Scene, map: ScalpMap) {
        let chartEdge = map.hairlineEdge(halfWidthMM: scene.hairline.cornerWidthMM + Self.templeReachMM)
        // (side offset, height above the brow) on the skin, mm.
        let skin = chartEdge.map { Self.skinPoint(chart: map.chart, chartPoint: $0) }
        let halfWidth = skin.map { abs($0.x) }.max() ?? 0
        // Page y grows towards the brow: the brow at the bottom, as the sheet is held.
        let top = (skin.map(\.y).max() ?? 0) + Self.marginMM
        let edge = skin.map { SIMD2($0.x + halfWidth + Self.marginMM, top - $0.y) }
        self.edge = edge
        brow = SIMD2(halfWidth + Self.marginMM, top)
        let cornerWidth = scene.hairline.cornerWidthMM
        corners = [-1.0, 1.0].compactMap { side in
            zip(chartEdge, edge).min { abs($0.0.x - side * cornerWidth) < abs($1.0.x - side * cornerWidth) }?.1
        }
        widthMM = 2 * (halfWidth + Self.marginMM)
        heightMM = brow.y + 2.5 * Self.marginMM
        textLines = [
            "\(scene.name): hairline stencil, \(scene.hairline.style.rawValue), \(Int(scene.hairline.heightAboveBrowMM.rounded())) mm above the brow. Print at 100 % (no fit to page).",
            "Simulation, laid flat in lengths on the skin: check the centre height with a tape before marking.",
        ]
    }

    /// A chart point in lengths on the skin: x the arc along its latitude from the front
    /// midline (to the patient's right positive, as the chart's x), y the arc up the midline
    /// from the brow to its latitude.
    static func skinPoint(chart: ScalpChart, chartPoint p: SIMD2<Double>) -> SIMD2<Double> {
        guard let (polar, azimuth) = chart.surfaceAngles(chartX: p.x, chartY: p.y) else { return .zero }
        let front = -Double.pi / 2, steps = 60
        var side = 0.0
        var previous = chart.head.point(polar: polar, azimuth: front)
        for k in 1...steps {
            let current = chart.head.point(polar: polar, azimuth: front + (azimuth - front) * Double(k) / Double(steps))
            side += ((current - previous) * (current - previous)).sum().squareRoot()
            previous = current
        }
        return SIMD2(p.x < 0 ? -side : side, chart.frontArcFromBrow(toPolar: polar))
    }

    /// The stencil drawn at `pixelsPerMM`: the hairline, the midline, the brow and corner
    /// marks, the text and a 50 mm scale bar, black on white.
    public func image(pixelsPerMM: Double, font: Font) throws -> StencilImage {
        let width = Int((widthMM * pixelsPerMM).rounded()), height = Int((heightMM * pixelsPerMM).rounded())
        var canvas = RGB8Image(width: width, height: height)
        let ink = RGB8Color(red: 20, green: 20, blue: 20), guide = RGB8Color(red: 150, green: 150, blue: 150)
        func px(_ mm: Double) -> Int { Int((mm * pixelsPerMM).rounded()) }
        // The line: discs stamped every tenth of a millimetre along it.
        let radius = Self.lineWidthMM / 2 * pixelsPerMM
        for (a, b) in zip(edge, edge.dropFirst()) {
            let steps = max(1, Int((((b - a) * (b - a)).sum().squareRoot() * 10).rounded(.up)))
            for step in 0...steps {
                let p = (a + (b - a) * Double(step) / Double(steps)) * pixelsPerMM
                for y in Int(p.y - radius)...Int(p.y + radius) {
                    for x in Int(p.x - radius)...Int(p.x + radius) where (Double(x) + 0.5 - p.x) * (Double(x) + 0.5 - p.x)
                        + (Double(y) + 0.5 - p.y) * (Double(y) + 0.5 - p.y) <= radius * radius {
                        canvas.fill(x: x, y: y, width: 1, height: 1, color: ink)
                    }
                }
            }
        }
        // The midline, dashed, from the top margin to the brow; the brow mark across it.
        let thin = max(1, px(0.25))
        for y in stride(from: px(Self.marginMM / 2), to: px(brow.y), by: max(2, px(4))) {
            canvas.fill(x: px(brow.x) - thin / 2, y: y, width: thin, height: px(2), color: guide)
        }
        canvas.fill(x: px(brow.x - 10), y: px(brow.y) - thin, width: px(20), height: 2 * thin, color: ink)
        let pixelSize = max(12, px(3))
        try canvas.draw("brow (glabella)", font: font, pixelSize: pixelSize, x: px(brow.x + 12), y: px(brow.y) - pixelSize / 2, color: ink)
        for corner in corners {
            canvas.fill(x: px(corner.x) - thin / 2, y: px(corner.y + 2), width: thin, height: px(5), color: ink)
        }
        var y = px(brow.y + Self.marginMM / 2)
        for line in textLines {
            let metrics = try canvas.draw(line, font: font, pixelSize: pixelSize, x: px(Self.marginMM / 2), y: y, color: ink)
            y += metrics.height + pixelSize / 4
        }
        let bar = try ScaleBar(lengthMM: 50, pixelsPerMM: pixelsPerMM, pixelSize: pixelSize)
        _ = try bar.draw(into: &canvas, x: width - px(Self.marginMM / 2) - bar.size(font: font).width, y: y + pixelSize / 2,
                         font: font, color: ink)
        return StencilImage(canvas: canvas, pixelsPerMM: pixelsPerMM)
    }

    /// A one-page PDF of exactly the stencil's size (1 mm = 72 / 25.4 points): the hairline a
    /// stroked path, the midline dashed, brow and corner marks, the text in Helvetica.
    public func pdf() -> Data {
        let points = 72 / 25.4
        func pt(_ mm: Double) -> String { String(format: "%.2f", mm * points) }
        // PDF's y grows upwards from the bottom.
        func at(_ p: SIMD2<Double>) -> String { "\(pt(p.x)) \(pt(heightMM - p.y))" }
        var content = "0.08 0.08 0.08 RG 0.08 0.08 0.08 rg 1 J 1 j \(pt(Self.lineWidthMM)) w\n"
        content += edge.enumerated().map { "\(at($1)) \($0 == 0 ? "m" : "l")" }.joined(separator: "\n") + "\nS\n"
        content += "\(pt(0.25)) w \(at(SIMD2(brow.x - 10, brow.y))) m \(at(SIMD2(brow.x + 10, brow.y))) l S\n"
        for corner in corners {
            content += "\(at(SIMD2(corner.x, corner.y + 2))) m \(at(SIMD2(corner.x, corner.y + 7))) l S\n"
        }
        content += "q 0.6 0.6 0.6 RG [\(pt(2)) \(pt(2))] 0 d \(at(SIMD2(brow.x, Self.marginMM / 2))) m \(at(brow)) l S Q\n"
        // A 50 mm bar, bottom right.
        let barY = heightMM - Self.marginMM / 2
        content += "\(at(SIMD2(widthMM - Self.marginMM / 2 - 50, barY))) m \(at(SIMD2(widthMM - Self.marginMM / 2, barY))) l S\n"
        func text(_ line: String, _ p: SIMD2<Double>, size: Double) -> String {
            let escaped = line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                .replacingOccurrences(of: ")", with: "\\)")
            return "BT /F1 \(String(format: "%.1f", size)) Tf \(at(p)) Td (\(escaped)) Tj ET\n"
        }
        content += text("brow (glabella)", SIMD2(brow.x + 12, brow.y + 1), size: 9)
        content += text("50 mm", SIMD2(widthMM - Self.marginMM / 2 - 50, barY - 2), size: 8)
        for (index, line) in textLines.enumerated() {
            content += text(line, SIMD2(Self.marginMM / 2, brow.y + Self.marginMM / 2 + 3 + Double(index) * 4.5), size: 8)
        }
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(pt(widthMM)) \(pt(heightMM))] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream",
        ]
        var file = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(file.utf8.count)
            file += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = file.utf8.count
        file += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        file += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(file.utf8)
    }
}

/// `stencil.png`'s pixels: drawn whole at init, copied row by row.
public struct StencilImage: RowImage {
    let canvas: RGB8Image
    public let pixelsPerMM: Double?
    public var widthPixels: Int { canvas.width }
    public var heightPixels: Int { canvas.height }

    init(canvas: RGB8Image, pixelsPerMM: Double) {
        self.canvas = canvas
        self.pixelsPerMM = pixelsPerMM
    }

    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        for row in rows { canvas.copyRow(row, into: UnsafeMutableRawBufferPointer(rebasing: output[((row - rows.lowerBound) * rowStride)...])) }
    }
}
