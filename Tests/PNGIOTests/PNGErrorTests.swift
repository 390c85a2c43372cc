import PNGIO
import Testing

@Suite("PNGError")
struct PNGErrorTests {
    @Test("the description names the operation, the file, the reason and libpng's message")
    func description() {
        let error = PNGError(.corrupt, .reading, path: "/scans/a.png", reason: "the PNG data is damaged or invalid",
                             libpngMessage: "IDAT: CRC error")
        #expect(error.description == "cannot read PNG '/scans/a.png': the PNG data is damaged or invalid (libpng: IDAT: CRC error)")
        let writing = PNGError(.misuse, .writing, path: "/out/b.png", reason: "too many rows")
        #expect(writing.description == "cannot write PNG '/out/b.png': too many rows")
    }

    @Test("kinds have stable names", arguments: PNGError.Kind.allCases)
    func kindNames(kind: PNGError.Kind) {
        #expect(PNGError.Kind(rawValue: kind.rawValue) == kind)
    }
}
