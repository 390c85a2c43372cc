import ImageText
import Testing

@Suite("Scale bars")
struct ScaleBarTests {
    @Test("a bar of N mm at P px/mm is N × P pixels long, labelled with its length",
          arguments: [(5.0, 10.0, "5 mm"), (10.0, 4.0, "10 mm"), (0.5, 40.0, "0.5 mm"), (2.0, 1.5, "2 mm")])
    func length(lengthMM: Double, pixelsPerMM: Double, label: String) throws {
        let bar = try ScaleBar(lengthMM: lengthMM, pixelsPerMM: pixelsPerMM, pixelSize: 14)
        #expect(bar.label == label)
        #expect(bar.barPixels == Int((lengthMM * pixelsPerMM).rounded()))
        var image = RGB8Image(width: 200, height: 40)
        let size = try bar.draw(into: &image, x: 5, y: 3, font: try FontTests.font(), color: .black)
        #expect(try size == bar.size(font: try FontTests.font()))
        // The bar's bottom row: exactly barPixels black pixels, centred in the box.
        let row = 3 + size.height - 1
        let black = (0..<image.width).filter { image.pixel(x: $0, y: row) == .black }
        #expect(black.count == bar.barPixels)
        #expect(black.first == 5 + (size.width - bar.barPixels) / 2)
        // The label has ink above the bar.
        #expect((3..<(row - bar.thicknessPixels)).contains { y in (0..<image.width).contains { image.pixel(x: $0, y: y) != .white } })
    }

    @Test("lengths, scales and sizes outside the allowed ranges are refused",
          arguments: [(0.0, 10.0, 12), (-1.0, 10.0, 12), (Double.nan, 10.0, 12), (5.0, 0.0, 12), (5.0, .infinity, 12), (5.0, 10.0, 0)])
    func refused(lengthMM: Double, pixelsPerMM: Double, pixelSize: Int) {
        #expect(throws: TextError.self) { try ScaleBar(lengthMM: lengthMM, pixelsPerMM: pixelsPerMM, pixelSize: pixelSize) }
    }
}
