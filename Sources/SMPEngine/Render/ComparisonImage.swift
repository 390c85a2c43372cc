/// Two images of the same view side by side, with a gap: `comparison.png` puts before and after
/// next to each other at the same scale, rendered row by row like each of them.
public struct ComparisonImage<Left: RowImage, Right: RowImage>: RowImage {
    public let left: Left
    public let right: Right
    public let gapPixels: Int
    /// The gap's colour (sRGB).
    public let gap: SRGBColor

    public init(left: Left, right: Right, gapPixels: Int, gap: SRGBColor = SRGBColor(red: 255, green: 255, blue: 255)) {
        self.left = left
        self.right = right
        self.gapPixels = gapPixels
        self.gap = gap
    }

    public var widthPixels: Int { left.widthPixels + gapPixels + right.widthPixels }
    public var heightPixels: Int { max(left.heightPixels, right.heightPixels) }
    public var pixelsPerMM: Double? { left.pixelsPerMM }

    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        for (image, offset) in [(left as any RowImage, 0), (right as any RowImage, (left.widthPixels + gapPixels) * 3)] {
            let drawn = rows.clamped(to: 0..<image.heightPixels)
            if !drawn.isEmpty {
                image.renderRows(drawn, into: UnsafeMutableRawBufferPointer(rebasing: output[((drawn.lowerBound - rows.lowerBound) * rowStride + offset)...]),
                                 rowStride: rowStride)
            }
        }
        for row in rows {
            let start = (row - rows.lowerBound) * rowStride + left.widthPixels * 3
            for k in 0..<gapPixels {
                output[start + 3 * k] = gap.red
                output[start + 3 * k + 1] = gap.green
                output[start + 3 * k + 2] = gap.blue
            }
        }
    }
}
