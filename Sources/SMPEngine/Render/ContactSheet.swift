import ImageText

/// Panels of the same size in a grid, each labelled under it (one line per label line), with
/// title lines over the grid and a scale bar under it: `sweep.png` shows one window of the
/// chart rendered once per combination of a sweep's values. Panels keep their scale (pHYs is
/// theirs), so a print at 100 % shows them 1:1.
///
/// Drawn whole at init into one canvas (the panels are small and already rendered, to be
/// measured); `renderRows` copies rows, so any split of rows gives the same bytes.
public struct ContactSheet: RowImage {
    public let widthPixels: Int
    public let heightPixels: Int
    public let pixelsPerMM: Double?
    let canvas: [UInt8]

    /// `panels` left to right, then top to bottom, `columns` to a row. Text is `pixelSize`
    /// pixels per em, the first title line a quarter larger.
    public init(titleLines: [String], panels: [(labelLines: [String], pixels: PanelPixels)], columns: Int, pixelsPerMM: Double?,
                font: Font, pixelSize: Int, scaleBarMM: Double,
                ink: RGB8Color = RGB8Color(red: 30, green: 30, blue: 30), background: RGB8Color = .white) throws {
        self.pixelsPerMM = pixelsPerMM
        let columns = max(1, min(columns, panels.count))
        let rows = (panels.count + columns - 1) / columns
        let titleSizes = titleLines.indices.map { $0 == 0 ? pixelSize + pixelSize / 4 : pixelSize }
        let titleMasks = try zip(titleLines, titleSizes).map { try font.mask($0, pixelSize: $1) }
        let labelMasks = try panels.map { try $0.labelLines.map { try font.mask($0, pixelSize: pixelSize) } }
        let bar = try pixelsPerMM.map { try ScaleBar(lengthMM: scaleBarMM, pixelsPerMM: $0, pixelSize: pixelSize) }
        let barSize = try bar?.size(font: font) ?? (width: 0, height: 0)

        // Cells as wide as the widest panel or label line and as tall as the tallest panel with
        // its labels, so the grid is even and every label sits under its own panel.
        let margin = pixelSize, gap = max(pixelSize / 2, 4), lineGap = max(1, pixelSize / 5)
        let lineHeight = labelMasks.flatMap { $0.map(\.height) }.max() ?? 0
        let labelLines = labelMasks.map(\.count).max() ?? 0
        let panelWidth = panels.map(\.pixels.width).max() ?? 0, panelHeight = panels.map(\.pixels.height).max() ?? 0
        let cellWidth = max(panelWidth, labelMasks.flatMap { $0.map(\.width) }.max() ?? 0)
        let labelHeight = labelLines == 0 ? 0 : gap / 2 + labelLines * lineHeight + (labelLines - 1) * lineGap
        let cellHeight = panelHeight + labelHeight
        let gridWidth = columns * cellWidth + (columns - 1) * gap
        let gridHeight = rows * cellHeight + max(0, rows - 1) * 2 * gap
        let titleHeight = titleMasks.map(\.height).reduce(0, +) + max(0, titleMasks.count - 1) * lineGap
        let width = 2 * margin + max(gridWidth, titleMasks.map(\.width).max() ?? 0, barSize.width)
        let height = margin + titleHeight + gap + gridHeight + gap + barSize.height + margin
        widthPixels = width
        heightPixels = height

        var canvas = RGB8Image(width: width, height: height, background: background)
        var y = margin
        for mask in titleMasks {
            canvas.draw(mask, x: margin, y: y, color: ink)
            y += mask.height + lineGap
        }
        let gridLeft = margin, gridTop = margin + titleHeight + gap
        var bytes = canvas.pixels
        var panelOrigins: [(x: Int, y: Int)] = []
        for (index, panel) in panels.enumerated() {
            let column = index % columns, row = index / columns
            let cellLeft = gridLeft + column * (cellWidth + gap), cellTop = gridTop + row * (cellHeight + 2 * gap)
            panelOrigins.append((cellLeft + (cellWidth - panel.pixels.width) / 2, cellTop))
            var lineTop = cellTop + panelHeight + gap / 2
            for mask in labelMasks[index] {
                canvas.draw(mask, x: cellLeft + (cellWidth - mask.width) / 2, y: lineTop, color: ink)
                lineTop += lineHeight + lineGap
            }
        }
        try bar?.draw(into: &canvas, x: gridLeft, y: gridTop + gridHeight + gap, font: font, color: ink)
        // Text first, panels copied over their cells last: text never overlaps a panel.
        bytes = canvas.pixels
        for (panel, origin) in zip(panels.map(\.pixels), panelOrigins) {
            for row in 0..<panel.height {
                let source = row * panel.width * 3, target = ((origin.y + row) * width + origin.x) * 3
                bytes.replaceSubrange(target..<(target + panel.width * 3), with: panel.bytes[source..<(source + panel.width * 3)])
            }
        }
        self.canvas = bytes
    }

    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        let rowBytes = widthPixels * 3
        canvas.withUnsafeBytes { canvas in
            guard let source = canvas.baseAddress, let target = output.baseAddress else { return }
            for row in rows {
                (target + (row - rows.lowerBound) * rowStride).copyMemory(from: source + row * rowBytes, byteCount: rowBytes)
            }
        }
    }
}
