/// A scale bar: a bar `lengthMM` long at `pixelsPerMM`, with its length written above it
/// ("5 mm"), so that a reader can check an image's scale or a print's 1:1. `size` tells how
/// much room it takes before it is drawn; `draw` puts its box's top-left corner at a point.
public struct ScaleBar: Sendable, Equatable {
    public var lengthMM: Double
    public var pixelsPerMM: Double
    /// The label's size, pixels per em; the bar's thickness and the gap follow from it.
    public var pixelSize: Int

    /// Bars from 0.01 mm to 10 m, at 0.01 to 10,000 px/mm: beyond these a bar is either
    /// invisible or larger than any image.
    public static let lengthsMM = 0.01...10_000.0
    public static let scalesPixelsPerMM = 0.01...10_000.0

    public init(lengthMM: Double, pixelsPerMM: Double, pixelSize: Int) throws {
        guard Self.lengthsMM.contains(lengthMM) else {
            throw TextError.outOfRange(name: "scale bar length", value: "\(lengthMM) mm", allowed: "0.01...10000 mm")
        }
        guard Self.scalesPixelsPerMM.contains(pixelsPerMM) else {
            throw TextError.outOfRange(name: "scale bar scale", value: "\(pixelsPerMM) px/mm", allowed: "0.01...10000 px/mm")
        }
        guard Font.pixelSizes.contains(pixelSize) else {
            throw TextError.outOfRange(name: "pixel size", value: String(pixelSize),
                                       allowed: "\(Font.pixelSizes.lowerBound)...\(Font.pixelSizes.upperBound) pixels per em")
        }
        self.lengthMM = lengthMM
        self.pixelsPerMM = pixelsPerMM
        self.pixelSize = pixelSize
    }

    /// "5 mm", "0.5 mm": the length without a trailing ".0".
    public var label: String {
        let rounded = (lengthMM * 100).rounded() / 100
        return rounded == rounded.rounded() ? "\(Int(rounded)) mm" : "\(rounded) mm"
    }

    /// The bar's length in whole pixels (at least 1).
    public var barPixels: Int { max(1, Int((lengthMM * pixelsPerMM).rounded())) }
    /// Thick enough to see, thin enough to read its ends against a ruler.
    public var thicknessPixels: Int { max(2, pixelSize / 6) }
    var gapPixels: Int { max(1, pixelSize / 6) }

    /// Width and height of the bar with its label.
    public func size(font: Font) throws -> (width: Int, height: Int) {
        let text = try font.measure(label, pixelSize: pixelSize)
        return (max(barPixels, text.width), text.height + gapPixels + thicknessPixels)
    }

    /// Draws the label centred above the bar, both centred in `size`'s box at (x, y); returns
    /// the box's size.
    @discardableResult
    public func draw(into image: inout RGB8Image, x: Int, y: Int, font: Font, color: RGB8Color) throws -> (width: Int, height: Int) {
        let mask = try font.mask(label, pixelSize: pixelSize)
        let width = max(barPixels, mask.width)
        image.draw(mask, x: x + (width - mask.width) / 2, y: y, color: color)
        image.fill(x: x + (width - barPixels) / 2, y: y + mask.height + gapPixels, width: barPixels, height: thicknessPixels, color: color)
        return (width, mask.height + gapPixels + thicknessPixels)
    }
}
