import PNGIO
import Testing

@Suite("PNGPixelFormat")
struct PNGPixelFormatTests {
    @Test("channels and bytes per row", arguments: [
        (PNGPixelFormat.gray8, 1), (.rgb8, 3), (.rgba8, 4),
    ])
    func layout(format: PNGPixelFormat, channels: Int) {
        #expect(format.channels == channels)
        #expect(format.bytesPerRow(width: 37) == 37 * channels)
        #expect(format.bytesPerRow(width: 0) == 0)
    }
}
