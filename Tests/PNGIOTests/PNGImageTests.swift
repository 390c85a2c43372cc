import PNGIO
import Testing

@Suite("PNGImage")
struct PNGImageTests {
    @Test("pixel(x:y:) reads RGBA row-major from the top left")
    func pixelAccess() {
        let image = PNGImage(width: 2, height: 2, pixels: Array(0..<16))
        #expect(image.pixel(x: 0, y: 0) == SIMD4(0, 1, 2, 3))
        #expect(image.pixel(x: 1, y: 0) == SIMD4(4, 5, 6, 7))
        #expect(image.pixel(x: 0, y: 1) == SIMD4(8, 9, 10, 11))
        #expect(image.pixel(x: 1, y: 1) == SIMD4(12, 13, 14, 15))
    }

    @Test("text(forKey:) returns the first chunk with the key")
    func textLookup() {
        let image = PNGImage(width: 0, height: 0, pixels: [],
                             text: [PNGTextChunk("Seed", "1"), PNGTextChunk("Seed", "2"), PNGTextChunk("Scene", "s")])
        #expect(image.text(forKey: "Seed") == "1")
        #expect(image.text(forKey: "Scene") == "s")
        #expect(image.text(forKey: "Missing") == nil)
    }
}
