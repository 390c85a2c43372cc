import Foundation
import PNGIO
import Testing

@Suite("PNGTextChunk")
struct PNGTextChunkTests {
    @Test("valid keys are written and read back", arguments: [
        "Software", "Scene hash", "k", String(repeating: "K", count: 79), "Größe", "a b c", "~!@#",
    ])
    func validKeys(key: String) throws {
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("t.png")
            let writer = try PNGWriter(url: url, width: 1, height: 1, format: .gray8, software: "s",
                                       text: [PNGTextChunk(key, "v")])
            try writer.appendRows([UInt8(0)])
            try writer.finish()
            #expect(try PNGReader.read(url: url).text.last == PNGTextChunk(key, "v"))
        }
    }

    @Test("invalid keys are refused with the rule", arguments: [
        "", " lead", "trail ", "two  spaces", String(repeating: "K", count: 80), "new\nline", "nul\0", "Ω", "\u{A0}nbsp",
    ])
    func invalidKeys(key: String) throws {
        try withTemporaryDirectory { folder throws in
            let error = #expect(throws: PNGError.self) {
                _ = try PNGWriter(url: folder.appendingPathComponent("t.png"), width: 1, height: 1, format: .gray8,
                                  software: "s", text: [PNGTextChunk(key, "v")])
            }
            #expect(error?.kind == .invalidArgument)
            #expect(error?.description.contains("1–79 Latin-1") == true)
        }
    }

    @Test("values: empty, newlines, Latin-1 and beyond")
    func values() throws {
        let chunks = [PNGTextChunk("Empty", ""), PNGTextChunk("Lines", "a\nb\r\nc"), PNGTextChunk("Latin", "café ÿ"),
                      PNGTextChunk("Emoji", "dots 🟤 • 点")]
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("t.png")
            let writer = try PNGWriter(url: url, width: 1, height: 1, format: .gray8, software: "s", text: chunks)
            try writer.appendRows([UInt8(0)])
            try writer.finish()
            #expect(try PNGReader.read(url: url).text == [PNGTextChunk("Software", "s")] + chunks)
        }
    }

    @Test("description")
    func description() {
        #expect(PNGTextChunk("Seed", "42").description == "Seed: 42")
    }
}
