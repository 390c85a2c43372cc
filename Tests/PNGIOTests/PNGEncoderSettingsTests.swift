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
        #expect(PNGEncoderSettings.RowFilters([.sub, .paeth]).description == "sub+paeth")
    }
}
