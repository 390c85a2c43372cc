import ImageText
import Testing

@Suite("Drawing rectangles and text into an RGB8 image")
struct RGB8ImageTests {

    /// The pixels that differ between two images of the same size, as (x, y).
    func changes(_ a: RGB8Image, _ b: RGB8Image) -> [(x: Int, y: Int)] {
        var changed: [(x: Int, y: Int)] = []
        for y in 0..<a.height {
            for x in 0..<a.width where a.pixel(x: x, y: y) != b.pixel(x: x, y: y) { changed.append((x, y)) }
        }
        return changed
    }

    @Test("text changes pixels only inside its box, and some inside it",
          arguments: [(10, 12, 14), (37, 5, 22), (0, 0, 9)])
    func textStaysInItsBox(x: Int, y: Int, pixelSize: Int) throws {
        let blank = RGB8Image(width: 240, height: 60, background: RGB8Color(red: 230, green: 220, blue: 200))
        var image = blank
        let metrics = try image.draw("day 14 · Ωµ jÅ", font: try FontTests.font(), pixelSize: pixelSize, x: x, y: y,
                                     color: RGB8Color(red: 20, green: 30, blue: 40))
        let changed = changes(blank, image)
        #expect(changed.count > metrics.width)   // more than a line's worth of ink
        #expect(changed.allSatisfy { (x..<(x + metrics.width)).contains($0.x) && (y..<(y + metrics.height)).contains($0.y) })
    }

    @Test("text and rectangles partly or wholly outside the image are clipped, never a crash",
          arguments: [(-7, -9), (230, 50), (-300, 10), (10, -300), (Int.max - 5, Int.max - 5), (Int.min, Int.min)])
    func clipping(x: Int, y: Int) throws {
        let blank = RGB8Image(width: 240, height: 60)
        var image = blank
        let mask = try try FontTests.font().mask("Clipped text, 5 years", pixelSize: 20)
        image.draw(mask, x: x, y: y, color: .black)
        image.fill(x: x, y: y, width: 30, height: 12, color: .black, opacity: 0.5)
        image.fill(x: x, y: y, width: Int.max, height: Int.max, color: .black, opacity: 0.25)
        let changed = changes(blank, image)
        // Whatever changed lies where the (clipped) shapes overlap the image.
        #expect(changed.allSatisfy { $0.x >= max(0, x) && $0.y >= max(0, y) })
        if x == -7 { #expect(!changed.isEmpty, "the visible part is drawn") }
    }

    @Test("an empty image takes every drawing without effect")
    func emptyImage() throws {
        var image = RGB8Image(width: 0, height: 0)
        try image.draw("nothing", font: try FontTests.font(), pixelSize: 12, x: 0, y: 0, color: .black)
        image.fill(x: 0, y: 0, width: 10, height: 10, color: .black)
        #expect(image.pixels.isEmpty)
        var row = [UInt8](repeating: 7, count: 3)
        row.withUnsafeMutableBytes { image.copyRow(0, into: $0) }
        #expect(row == [7, 7, 7])
    }

    @Test("blending happens in linear light: half white over black is sRGB 188, not 128")
    func linearBlending() {
        var image = RGB8Image(width: 4, height: 1, background: .black)
        image.fill(x: 0, y: 0, width: 2, height: 1, color: .white, opacity: 0.5)
        image.fill(x: 2, y: 0, width: 1, height: 1, color: .white, opacity: 1)
        #expect(image.pixel(x: 0, y: 0) == RGB8Color(red: 188, green: 188, blue: 188))
        #expect(image.pixel(x: 2, y: 0) == .white)
        #expect(image.pixel(x: 3, y: 0) == .black)
        // Opacity 0 and NaN leave the image as it was.
        let before = image
        image.fill(x: 0, y: 0, width: 4, height: 1, color: .white, opacity: 0)
        image.fill(x: 0, y: 0, width: 4, height: 1, color: .white, opacity: .nan)
        #expect(image == before)
    }

    @Test("the same drawing twice gives the same bytes")
    func deterministic() throws {
        func draw() throws -> RGB8Image {
            var image = RGB8Image(width: 200, height: 40, background: RGB8Color(red: 200, green: 180, blue: 160))
            image.fill(x: 4, y: 4, width: 150, height: 30, color: .white, opacity: 0.8)
            try image.draw("5 years · simulation", font: try FontTests.font(), pixelSize: 16, x: 8, y: 8, color: RGB8Color(red: 30, green: 30, blue: 30))
            return image
        }
        #expect(try draw() == (try draw()))
    }

    @Test("copyRow hands out exactly one row of the image")
    func copyRow() throws {
        var image = RGB8Image(width: 3, height: 2, background: .black)
        image.fill(x: 1, y: 1, width: 1, height: 1, color: RGB8Color(red: 1, green: 2, blue: 3))
        var row = [UInt8](repeating: 9, count: 10)
        row.withUnsafeMutableBytes { image.copyRow(1, into: $0) }
        #expect(row == [0, 0, 0, 1, 2, 3, 0, 0, 0, 9])
    }
}
