import Foundation
import PNGIO
import Testing

/// Writes `pixels` in row batches of `batches` rows (the last batch takes the rest).
private func write(_ pixels: [UInt8], to url: URL, width: Int, height: Int, format: PNGPixelFormat,
                   compression: PNGCompression = .balanced, pixelsPerMM: Double? = nil,
                   text: [PNGTextChunk] = [], batches: [Int] = [1, 5]) throws {
    let writer = try PNGWriter(url: url, width: width, height: height, format: format, pixelsPerMM: pixelsPerMM,
                               software: "SMPPreview tests", text: text, compression: compression)
    let rowBytes = format.bytesPerRow(width: width)
    var row = 0
    for batch in batches + [height] where row < height {
        let count = min(batch, height - row)
        try writer.appendRows(Array(pixels[(row * rowBytes)..<((row + count) * rowBytes)]))
        row += count
    }
    #expect(writer.rowsWritten == height)
    try writer.finish()
}

@Suite("PNGWriter")
struct PNGWriterTests {
    static let formatsAndPresets = PNGPixelFormat.allCases.flatMap { format in
        PNGCompression.allCases.map { (format, $0) }
    }

    @Test("round trip: odd size, uneven row batches, pixels exact", arguments: formatsAndPresets)
    func roundTrip(format: PNGPixelFormat, compression: PNGCompression) throws {
        try withTemporaryDirectory { folder throws in
            let (width, height) = (37, 23)
            let pixels = seededBytes(count: format.bytesPerRow(width: width) * height, seed: 42)
            let url = folder.appendingPathComponent("round-trip.png")
            try write(pixels, to: url, width: width, height: height, format: format, compression: compression)

            let image = try PNGReader.read(url: url)
            #expect(image.width == width && image.height == height)
            #expect(image.sourceBitDepth == 8)
            #expect(image.sourceColorType == [.gray8: .gray, .rgb8: .rgb, .rgba8: .rgba][format])
            #expect(image.pixels == expandedToRGBA(pixels, format: format))
            #expect(try folderContents(folder) == ["round-trip.png"])
        }
    }

    @Test("pHYs in pixels per metre and the text chunks, in the raw chunks and via the reader")
    func physicalScaleAndText() throws {
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("map.png")
            let text = [PNGTextChunk("Scene", "crown-session-2"), PNGTextChunk("Scene hash", "9f86d081"),
                        PNGTextChunk("Seed", "12345"), PNGTextChunk("Note", "Jürgen's scalp\nline 2"),
                        PNGTextChunk("Patient", "患者 7")]
            try write(seededBytes(count: 9 * 5 * 3, seed: 1), to: url, width: 9, height: 5, format: .rgb8,
                      pixelsPerMM: 10.0004, text: text)

            let chunks = try #require(RawPNG.chunks(Array(try Data(contentsOf: url))))
            #expect(chunks.allSatisfy { $0.crcIsValid })
            #expect(chunks.first?.type == "IHDR" && chunks.last?.type == "IEND")
            let phys = try #require(chunks.first { $0.type == "pHYs" })
            // round(10.0004 * 1000) = 10000 px/m for x and y, unit byte 1 = metre.
            #expect(phys.data == RawPNG.bytes(bigEndian: 10000) + RawPNG.bytes(bigEndian: 10000) + [1])
            let texts = chunks.compactMap { RawPNG.text(of: $0) }
            #expect(texts.map(\.key) == ["Software", "Scene", "Scene hash", "Seed", "Note", "Patient"])
            #expect(texts.map(\.value) == ["SMPPreview tests"] + text.map(\.value))
            // Latin-1 values go to tEXt, others to iTXt.
            #expect(chunks.filter { $0.type == "tEXt" }.count == 5)
            #expect(chunks.filter { $0.type == "iTXt" }.count == 1)
            // Text and pHYs come before the image data.
            let firstIDAT = try #require(chunks.firstIndex { $0.type == "IDAT" })
            #expect(chunks[..<firstIDAT].filter { $0.type == "tEXt" || $0.type == "iTXt" || $0.type == "pHYs" }.count == 7)

            let image = try PNGReader.read(url: url)
            #expect(image.pixelsPerMM == 10.0)
            #expect(image.text == [PNGTextChunk("Software", "SMPPreview tests")] + text)
            #expect(image.text(forKey: "Seed") == "12345")
        }
    }

    @Test("no pHYs chunk without pixelsPerMM")
    func noPhysicalScale() throws {
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("photo.png")
            try write([1, 2, 3, 4], to: url, width: 2, height: 2, format: .gray8)
            let chunks = try #require(RawPNG.chunks(Array(try Data(contentsOf: url))))
            #expect(!chunks.contains { $0.type == "pHYs" })
            #expect(try PNGReader.read(url: url).pixelsPerMM == nil)
        }
    }

    @Test("pngcheck (-v and plain) accepts the written files", arguments: PNGPixelFormat.allCases)
    func pngcheckAccepts(format: PNGPixelFormat) throws {
        guard let pngcheck = pngcheckExecutable() else {
            Issue.record("pngcheck is not on PATH: install it (apt-get install pngcheck; the CI script installs it)")
            return
        }
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("checked.png")
            let (width, height) = (101, 67)
            try write(seededBytes(count: format.bytesPerRow(width: width) * height, seed: 7), to: url,
                      width: width, height: height, format: format, compression: .smallest, pixelsPerMM: 12.5,
                      text: [PNGTextChunk("Scene", "test"), PNGTextChunk("Patient", "患者")])
            // Verbose: every chunk listed, no error. (pngcheck 3 says "No errors detected" with -v, "OK" without.)
            let verbose = try runPngcheck(pngcheck, ["-v"], on: url)
            #expect(verbose.status == 0, "pngcheck -v said: \(verbose.output)")
            #expect(verbose.output.contains("No errors detected") || verbose.output.contains("OK"),
                    "pngcheck -v said: \(verbose.output)")
            #expect(verbose.output.contains("12500x12500 pixels/meter"), "pngcheck -v said: \(verbose.output)")
            #expect(verbose.output.contains("keyword: Scene"), "pngcheck -v said: \(verbose.output)")
            let summary = try runPngcheck(pngcheck, on: url)
            #expect(summary.status == 0 && summary.output.hasPrefix("OK"), "pngcheck said: \(summary.output)")
        }
    }

    @Test("a finished PNG replaces an existing file")
    func replacesExistingFile() throws {
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("out.png")
            try Data("old".utf8).write(to: url)
            try write([9, 8, 7], to: url, width: 1, height: 1, format: .rgb8)
            #expect(try PNGReader.read(url: url).pixels == [9, 8, 7, 255])
            #expect(try folderContents(folder) == ["out.png"])
        }
    }

    // MARK: Errors

    @Test("a folder that does not exist: clear error naming the path, nothing left")
    func missingFolder() throws {
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("no-such-folder/out.png")
            let error = #expect(throws: PNGError.self) {
                _ = try PNGWriter(url: url, width: 4, height: 4, format: .rgb8, software: "t")
            }
            #expect(error?.kind == .fileSystem)
            #expect(error?.description.contains(url.path) == true)
            #expect(error?.description.contains("does not exist") == true)
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("a path component that is a regular file: clear error, nothing left")
    func pathComponentIsAFile() throws {
        try withTemporaryDirectory { folder throws in
            let blocker = folder.appendingPathComponent("not-a-folder")
            try Data("x".utf8).write(to: blocker)
            let url = blocker.appendingPathComponent("out.png")
            let error = #expect(throws: PNGError.self) {
                _ = try PNGWriter(url: url, width: 4, height: 4, format: .gray8, software: "t")
            }
            #expect(error?.kind == .fileSystem)
            #expect(error?.description.contains(url.path) == true)
            #expect(error?.description.contains("not a folder") == true)
            #expect(try folderContents(folder) == ["not-a-folder"])
        }
    }

    @Test("the destination is an existing folder")
    func destinationIsAFolder() throws {
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("out.png")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            let error = #expect(throws: PNGError.self) {
                _ = try PNGWriter(url: url, width: 4, height: 4, format: .gray8, software: "t")
            }
            #expect(error?.description.contains("folder") == true)
            #expect(try folderContents(folder) == ["out.png"])
        }
    }

    /// A writer for a 5 × 4 RGB image in `folder`, with one row already appended.
    private func startedWriter(in folder: URL) throws -> PNGWriter {
        let writer = try PNGWriter(url: folder.appendingPathComponent("partial.png"), width: 5, height: 4,
                                   format: .rgb8, software: "t")
        try writer.appendRows([UInt8](repeating: 200, count: 15))
        return writer
    }

    @Test("too many rows throws, and leaves no PNG and no temporary file")
    func tooManyRows() throws {
        try withTemporaryDirectory { folder throws in
            let writer = try startedWriter(in: folder)
            #expect(try folderContents(folder).count == 1) // the temporary file
            let error = #expect(throws: PNGError.self) {
                try writer.appendRows([UInt8](repeating: 0, count: 15 * 4))
            }
            #expect(error?.kind == .misuse)
            #expect(error?.description.contains("too many rows") == true)
            #expect(try folderContents(folder).isEmpty)
            // The writer is over: later calls throw too.
            #expect(throws: PNGError.self) { try writer.appendRows([UInt8](repeating: 0, count: 15)) }
            #expect(throws: PNGError.self) { try writer.finish() }
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("a byte count that is not whole rows throws, and leaves nothing", arguments: [1, 14, 16, 29])
    func partialRow(byteCount: Int) throws {
        try withTemporaryDirectory { folder throws in
            let writer = try startedWriter(in: folder)
            let error = #expect(throws: PNGError.self) {
                try writer.appendRows([UInt8](repeating: 0, count: byteCount))
            }
            #expect(error?.description.contains("not a whole number of rows") == true)
            #expect(error?.description.contains("15 bytes") == true)
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("finish before all rows throws, and leaves nothing")
    func finishTooEarly() throws {
        try withTemporaryDirectory { folder throws in
            let writer = try startedWriter(in: folder)
            let error = #expect(throws: PNGError.self) { try writer.finish() }
            #expect(error?.kind == .misuse)
            #expect(error?.description.contains("1 of 4 rows") == true)
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("dropping an unfinished writer leaves no PNG and no temporary file")
    func droppedUnfinished() throws {
        try withTemporaryDirectory { folder throws in
            do {
                let writer = try startedWriter(in: folder)
                #expect(writer.rowsWritten == 1)
                #expect(try folderContents(folder).count == 1)
            }
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("using a finished writer throws and keeps the PNG")
    func useAfterFinish() throws {
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("done.png")
            let writer = try PNGWriter(url: url, width: 1, height: 1, format: .gray8, software: "t")
            try writer.appendRows([UInt8(7)])
            try writer.finish()
            #expect(throws: PNGError.self) { try writer.finish() }
            #expect(throws: PNGError.self) { try writer.appendRows([UInt8(7)]) }
            #expect(try folderContents(folder) == ["done.png"])
            #expect(try PNGReader.read(url: url).pixels == [7, 7, 7, 255])
        }
    }

    @Test("empty appends are allowed and write nothing")
    func emptyAppend() throws {
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("e.png")
            let writer = try PNGWriter(url: url, width: 2, height: 1, format: .gray8, software: "t")
            try writer.appendRows([UInt8]())
            #expect(writer.rowsWritten == 0)
            try writer.appendRows([UInt8(1), 2])
            try writer.finish()
            #expect(try PNGReader.read(url: url).pixels == [1, 1, 1, 255, 2, 2, 2, 255])
        }
    }

    @Test("invalid arguments throw before any file is made", arguments: [
        (0, 4, nil as Double?, "Scene"), (4, 0, nil, "Scene"), (4, -3, nil, "Scene"),
        (4, 4, 0, "Scene"), (4, 4, -10, "Scene"), (4, 4, .nan, "Scene"), (4, 4, .infinity, "Scene"),
        (4, 4, 3_000_000, "Scene"), (4, 4, nil, ""), (4, 4, nil, " Scene"), (4, 4, nil, "Scene  hash"),
        (4, 4, nil, String(repeating: "k", count: 80)), (4, 4, nil, "Szene✓"), (4, 4, nil, "tab\there"),
    ])
    func invalidArguments(width: Int, height: Int, pixelsPerMM: Double?, key: String) throws {
        try withTemporaryDirectory { folder throws in
            let error = #expect(throws: PNGError.self) {
                _ = try PNGWriter(url: folder.appendingPathComponent("x.png"), width: width, height: height,
                                  format: .rgba8, pixelsPerMM: pixelsPerMM, software: "t",
                                  text: [PNGTextChunk(key, "value")])
            }
            #expect(error?.kind == .invalidArgument)
            #expect(error?.description.contains("not allowed") == true)
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("a NUL in a text value is refused")
    func nulInTextValue() throws {
        try withTemporaryDirectory { folder throws in
            let error = #expect(throws: PNGError.self) {
                _ = try PNGWriter(url: folder.appendingPathComponent("x.png"), width: 1, height: 1, format: .gray8,
                                  software: "a\0b")
            }
            #expect(error?.description.contains("NUL") == true)
            #expect(try folderContents(folder).isEmpty)
        }
    }
}
