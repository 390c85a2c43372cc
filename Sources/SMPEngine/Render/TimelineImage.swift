import ImageText

/// A strip of panels of the same size side by side, each labelled under it, with a title line
/// over them and a scale bar under them: `timeline.png` shows one region at several moments.
/// The panels keep their scale (pHYs is theirs), so a print at 100 % shows them 1:1.
///
/// The text is drawn once, at init, into three full-width strips (title, labels, scale bar);
/// `renderRows` copies their rows and has the panels render theirs, so any split of the rows on
/// any thread gives the same bytes, like every other `RowImage`.
public struct TimelineImage<Panel: RowImage>: RowImage {
    public let panels: [Panel]
    public let widthPixels: Int
    public let heightPixels: Int
    public let pixelsPerMM: Double?
    public let background: RGB8Color

    /// Pre-drawn strips: over the panels, under them (the labels), and last (the scale bar).
    let titleStrip: RGB8Image
    let labelStrip: RGB8Image
    let footerStrip: RGB8Image
    /// Each panel's left column.
    let panelLeft: [Int]
    /// The first row of the panels, and how many rows they take (the tallest panel's).
    let panelTop: Int
    let panelRows: Int

    /// `panels` left to right with their labels; `scaleBarMM` sets the bar under them (at the
    /// panels' scale; none for panels without one). Text is `pixelSize` pixels per em, the title
    /// a quarter larger.
    public init(title: String, panels: [(label: String, image: Panel)], font: Font, pixelSize: Int, scaleBarMM: Double,
                ink: RGB8Color = RGB8Color(red: 30, green: 30, blue: 30), background: RGB8Color = .white) throws {
        self.panels = panels.map(\.image)
        self.background = background
        pixelsPerMM = panels.first?.image.pixelsPerMM
        let titleSize = pixelSize + pixelSize / 4
        let titleMetrics = try font.measure(title, pixelSize: titleSize)
        let labels = try panels.map { try font.mask($0.label, pixelSize: pixelSize) }
        let bar = try pixelsPerMM.map { try ScaleBar(lengthMM: scaleBarMM, pixelsPerMM: $0, pixelSize: pixelSize) }
        let barSize = try bar?.size(font: font) ?? (width: 0, height: 0)

        // Columns as wide as the widest panel or label, so that panels sit evenly apart and
        // every label fits under its own panel.
        let margin = pixelSize, gap = max(pixelSize / 2, 4)
        let column = max(panels.map(\.image.widthPixels).max() ?? 0, labels.map(\.width).max() ?? 0)
        let columnsWidth = panels.count * column + max(0, panels.count - 1) * gap
        widthPixels = 2 * margin + max(columnsWidth, titleMetrics.width, barSize.width)
        let firstColumn = (widthPixels - columnsWidth) / 2
        panelLeft = panels.indices.map { firstColumn + $0 * (column + gap) + (column - panels[$0].image.widthPixels) / 2 }
        panelRows = panels.map(\.image.heightPixels).max() ?? 0

        // Title and bar start where the panels do, or further left when they are wider than the
        // panels (small scales), so that they always end inside the right margin.
        let width = widthPixels
        func left(_ itemWidth: Int) -> Int { max(margin, min(firstColumn, width - margin - itemWidth)) }
        var titleStrip = RGB8Image(width: widthPixels, height: margin + titleMetrics.height + gap, background: background)
        try titleStrip.draw(title, font: font, pixelSize: titleSize, x: left(titleMetrics.width), y: margin, color: ink)
        var labelStrip = RGB8Image(width: widthPixels, height: gap / 2 + (labels.first?.height ?? 0), background: background)
        for (index, label) in labels.enumerated() {
            let centre = firstColumn + index * (column + gap) + column / 2
            labelStrip.draw(label, x: centre - label.width / 2, y: gap / 2, color: ink)
        }
        var footerStrip = RGB8Image(width: widthPixels, height: gap + barSize.height + margin, background: background)
        try bar?.draw(into: &footerStrip, x: left(barSize.width), y: gap, font: font, color: ink)
        self.titleStrip = titleStrip
        self.labelStrip = labelStrip
        self.footerStrip = footerStrip
        panelTop = titleStrip.height
        heightPixels = titleStrip.height + panelRows + labelStrip.height + footerStrip.height
    }

    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        let labelTop = panelTop + panelRows, footerTop = labelTop + labelStrip.height
        for row in rows {
            let line = UnsafeMutableRawBufferPointer(rebasing: output[((row - rows.lowerBound) * rowStride)...])
            switch row {
            case ..<panelTop: titleStrip.copyRow(row, into: line)
            case ..<labelTop:
                // Background behind and between the panels; the panels draw over it below.
                for x in 0..<widthPixels {
                    line[3 * x] = background.red
                    line[3 * x + 1] = background.green
                    line[3 * x + 2] = background.blue
                }
            case ..<footerTop: labelStrip.copyRow(row - labelTop, into: line)
            default: footerStrip.copyRow(row - footerTop, into: line)
            }
        }
        // Each panel renders its share of the rows in one call, as it would on its own.
        for (panel, left) in zip(panels, panelLeft) {
            let drawn = rows.clamped(to: panelTop..<(panelTop + panel.heightPixels))
            guard !drawn.isEmpty else { continue }
            panel.renderRows((drawn.lowerBound - panelTop)..<(drawn.upperBound - panelTop),
                             into: UnsafeMutableRawBufferPointer(rebasing: output[((drawn.lowerBound - rows.lowerBound) * rowStride + left * 3)...]),
                             rowStride: rowStride)
        }
    }
}
