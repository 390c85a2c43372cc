import ImageText

/// `view-sheet.png`: before and after of each chosen head view on one page, two views (four
/// panels) to a row, each panel labelled under it, a title over them.
///
/// Like `TimelineImage`, the text is drawn once at init into strips; `renderRows` copies their
/// rows and has the panels render theirs, so the bytes do not depend on the row split.
public struct ViewSheet: RowImage {
    /// Panel size on the sheet, pixels on a side.
    public static let panelPixels = 560
    static let panelsPerRow = 4

    var panels: [HeadViewRenderer]
    /// Panel k at (panelLeft[k % 4], panelTop[k / 4]).
    let panelLeft: [Int]
    let panelTop: [Int]
    let titleStrip: RGB8Image
    /// One label strip per row of panels, under it.
    let labelStrips: [RGB8Image]
    public let widthPixels: Int
    public let heightPixels: Int
    public var pixelsPerMM: Double? { nil }
    let background: RGB8Color

    /// `rows`: per view, its label and its before and after renderers (their textures may be
    /// set later with `with(before:after:)`).
    public init(title: String, afterLabel: String, rows: [(label: String, before: HeadViewRenderer, after: HeadViewRenderer)],
                font: Font, pixelSize: Int = 22, background: RGB8Color = .white) throws {
        self.background = background
        let ink = RGB8Color(red: 30, green: 30, blue: 30)
        let size = ViewSheet.panelPixels, margin = pixelSize, gap = pixelSize / 2
        panels = rows.flatMap { [$0.before, $0.after] }
        let perRow = min(Self.panelsPerRow, max(panels.count, 1))
        widthPixels = 2 * margin + perRow * size + (perRow - 1) * gap
        panelLeft = (0..<perRow).map { margin + $0 * (size + gap) }
        let titleMetrics = try font.measure(title, pixelSize: pixelSize + pixelSize / 4)
        var titleStrip = RGB8Image(width: widthPixels, height: margin + titleMetrics.height + gap, background: background)
        try titleStrip.draw(title, font: font, pixelSize: pixelSize + pixelSize / 4, x: margin, y: margin, color: ink)
        self.titleStrip = titleStrip
        let labels = rows.flatMap { ["\($0.label), before", "\($0.label), \(afterLabel)"] }
        var strips: [RGB8Image] = []
        var tops: [Int] = []
        var y = titleStrip.height
        for first in stride(from: 0, to: panels.count, by: perRow) {
            tops.append(y)
            y += size
            let masks = try labels[first..<min(first + perRow, labels.count)].map { try font.mask($0, pixelSize: pixelSize) }
            var strip = RGB8Image(width: widthPixels, height: gap + (masks.map(\.height).max() ?? 0) + gap, background: background)
            for (k, mask) in masks.enumerated() {
                strip.draw(mask, x: panelLeft[k] + (size - mask.width) / 2, y: gap, color: ink)
            }
            strips.append(strip)
            y += strip.height
        }
        panelTop = tops
        labelStrips = strips
        heightPixels = y + margin
    }

    /// The sheet with `before` on every before panel's scalp and `after` on every after panel's.
    func with(before: ChartTexture, after: ChartTexture, skin: LinearRGB) -> ViewSheet {
        var copy = self
        copy.panels = panels.enumerated().map { $0.element.with(texture: $0.offset % 2 == 0 ? before : after, skin: skin) }
        return copy
    }

    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        let size = ViewSheet.panelPixels
        for row in rows {
            let line = UnsafeMutableRawBufferPointer(rebasing: output[((row - rows.lowerBound) * rowStride)...])
            if row < titleStrip.height {
                titleStrip.copyRow(row, into: line)
                continue
            }
            if let index = panelTop.lastIndex(where: { $0 <= row }) {
                let inside = row - panelTop[index]
                if inside >= size {
                    let strip = labelStrips[index]
                    if inside - size < strip.height {
                        strip.copyRow(inside - size, into: line)
                        continue
                    }
                }
            }
            for x in 0..<widthPixels {
                line[3 * x] = background.red
                line[3 * x + 1] = background.green
                line[3 * x + 2] = background.blue
            }
        }
        for (k, panel) in panels.enumerated() {
            let top = panelTop[k / panelLeft.count], left = panelLeft[k % panelLeft.count]
            let drawn = rows.clamped(to: top..<(top + size))
            guard !drawn.isEmpty else { continue }
            panel.renderRows((drawn.lowerBound - top)..<(drawn.upperBound - top),
                             into: UnsafeMutableRawBufferPointer(rebasing: output[((drawn.lowerBound - rows.lowerBound) * rowStride + left * 3)...]),
                             rowStride: rowStride)
        }
    }
}
