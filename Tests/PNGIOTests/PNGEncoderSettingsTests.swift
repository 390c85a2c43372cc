import Foundation
import PNGIO
import Testing

@Suite("PNGEncoderSettings")
struct PNGEncoderSettingsTests {
    @Test("every strategy and single filter writes a PNG that decodes exactly", arguments:
        PNGEncoderSettings.Strategy.allCases,
        [PNGEncoderSettings.RowFilters.none, .sub, .up, .average, .paeth, .all])
    func everySetting(strategy: PNGEncoderSettings.Strategy, filters: PNGEncoderSettings.RowFilters) throws {
        let pixels = seededBytes(count: 19 * 7 * 4, seed: 11)
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("s.png")
            let writer = try PNGWriter(url: url, width: 19, height: 7, format: .rgba8, software: "t",
                                       encoderSettings: PNGEncoderSettings(level: 3, strategy: strategy, filters: filters))
            try writer.appendRows(pixels)
            try writer.finish()
            #expect(try PNGReader.read(url: url).pixels == pixels)
        }
    }

    @Test("every ISA-L level writes a PNG that decodes exactly, through libpng and pngcheck, even from noise",
          arguments: 0...3, [false, true])
    func everyISALLevel(level: Int, noise: Bool) throws {
        // Tall enough for several pieces, so the dictionaries and sync flushes are exercised; noise
        // is what deflate expands most, so it checks the output room.
        let (width, height) = (300, 2000)
        let pixels = noise ? seededBytes(count: width * height * 3, seed: UInt64(level))
                           : renderLikeImage(width: width, height: height, dotCount: 2000, seed: UInt64(level))
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("isal.png")
            let writer = try PNGWriter(url: url, width: width, height: height, format: .rgb8, software: "t",
                                       encoderSettings: PNGEncoderSettings(library: .isal, level: level, filters: .up),
                                       encoder: .parallel(threads: 2))
            try writer.appendRows(pixels)
            try writer.finish()
            #expect(try PNGReader.read(url: url).pixels == rgbaFromRGB(pixels))
            if let pngcheck = pngcheckExecutable() {
                #expect(try runPngcheck(pngcheck, on: url).status == 0)
            }
        }
    }

    @Test("ISA-L is refused beyond its level 3, and with libpng's own zlib stream")
    func isalLimits() throws {
        try withTemporaryDirectory { folder throws in
            for (level, encoder) in [(4, PNGWriter.Encoder.parallel(threads: 1)), (1, .libpng)] {
                let error = #expect(throws: PNGError.self) {
                    _ = try PNGWriter(url: folder.appendingPathComponent("s.png"), width: 1, height: 1, format: .gray8,
                                      software: "t", encoderSettings: PNGEncoderSettings(library: .isal, level: level, filters: .up),
                                      encoder: encoder)
                }
                #expect(error?.kind == .invalidArgument)
            }
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("out-of-range settings are refused", arguments: [
        PNGEncoderSettings(level: -1, filters: .sub), PNGEncoderSettings(level: 10, filters: .sub),
        PNGEncoderSettings(level: 6, filters: []), PNGEncoderSettings(level: 6, filters: .init(rawValue: 0x01)),
        PNGEncoderSettings(level: 6, filters: .sub, memoryLevel: 0), PNGEncoderSettings(level: 6, filters: .sub, memoryLevel: 10),
    ])
    func invalid(settings: PNGEncoderSettings) throws {
        try withTemporaryDirectory { folder throws in
            let error = #expect(throws: PNGError.self) {
                _ = try PNGWriter(url: folder.appendingPathComponent("s.png"), width: 1, height: 1, format: .gray8,
                                  software: "t", encoderSettings: settings)
            }
            #expect(error?.kind == .invalidArgument)
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("descriptions name the knobs")
    func descriptions() {
        #expect(PNGEncoderSettings(level: 9, strategy: .filtered, filters: .all, memoryLevel: 9).description
            == "level 9, filtered, filters all, memLevel 9")
        #expect(PNGEncoderSettings(library: .isal, level: 1, filters: .up).description == "ISA-L level 1, filters up")
        #expect(PNGEncoderSettings.RowFilters([.sub, .paeth]).description == "sub+paeth")
    }
}
