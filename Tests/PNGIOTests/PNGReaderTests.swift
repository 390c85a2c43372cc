import Foundation
import PNGIO
import Testing

/// Writes `bytes` to `name` in `folder` and reads it back as a PNG.
private func readFixture(_ bytes: [UInt8], in folder: URL, name: String = "fixture.png",
                         maxPixels: Int = 100_000_000) throws -> PNGImage {
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return try PNGReader.read(url: url, maxPixels: maxPixels)
}

/// Reads `bytes` as a PNG, expecting a PNGError that names the file.
private func readFailure(_ bytes: [UInt8], maxPixels: Int = 100_000_000,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> PNGError? {
    try withTemporaryDirectory { folder throws in
        let url = folder.appendingPathComponent("bad.png")
        try Data(bytes).write(to: url)
        let error = #expect(throws: PNGError.self, sourceLocation: sourceLocation) {
            _ = try PNGReader.read(url: url, maxPixels: maxPixels)
        }
        #expect(error?.path == url.path, sourceLocation: sourceLocation)
        #expect(error?.description.contains(url.path) == true, sourceLocation: sourceLocation)
        #expect(error?.operation == .reading, sourceLocation: sourceLocation)
        return error
    }
}

/// A valid 8-bit RGB PNG written by PNGWriter: 64 × 48 pixels of noise, so IDAT is long.
private func validPNG(width: Int = 64, height: Int = 48) throws -> [UInt8] {
    try withTemporaryDirectory { folder throws in
        let url = folder.appendingPathComponent("valid.png")
        let writer = try PNGWriter(url: url, width: width, height: height, format: .rgb8, software: "t")
        try writer.appendRows(seededBytes(count: width * height * 3, seed: 3))
        try writer.finish()
        return Array(try Data(contentsOf: url))
    }
}

/// An IHDR-only header with the given size (valid CRC), plus a tiny IDAT and IEND.
private func pngClaiming(width: UInt32, height: UInt32) -> [UInt8] {
    RawPNG.make(width: width, height: height, bitDepth: 8, colorType: 2, scanlines: [0, 1, 2, 3])
}

@Suite("PNGReader")
struct PNGReaderTests {
    // MARK: Fixtures of every kind decode to RGBA8

    @Test("16-bit RGB is scaled to 8 bits with rounding, alpha 255")
    func sixteenBitRGB() throws {
        // Samples 0x0000, 0xFFFF, 0x1234 (-> round(0x1234 * 255 / 65535) = 18), 0x8080 (-> 128).
        let row: [UInt8] = [0x00, 0x00, 0xFF, 0xFF, 0x12, 0x34, 0x80, 0x80, 0x00, 0x00, 0xFF, 0xFF]
        let png = RawPNG.make(width: 2, height: 1, bitDepth: 16, colorType: 2, scanlines: RawPNG.scanlines(rows: [row]))
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.sourceColorType == .rgb && image.sourceBitDepth == 16)
        #expect(image.pixels == [0, 255, 18, 255, 128, 0, 255, 255])
    }

    @Test("16-bit grey + alpha")
    func sixteenBitGrayAlpha() throws {
        let row: [UInt8] = [0xFF, 0xFF, 0x00, 0x00, 0x40, 0x40, 0x80, 0x80]
        let png = RawPNG.make(width: 2, height: 1, bitDepth: 16, colorType: 4, scanlines: RawPNG.scanlines(rows: [row]))
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.sourceColorType == .grayAlpha && image.sourceBitDepth == 16)
        #expect(image.pixels == [255, 255, 255, 0, 64, 64, 64, 128])
    }

    @Test("8-bit grey + alpha")
    func grayAlpha() throws {
        let rows: [[UInt8]] = [[10, 20, 30, 40], [50, 60, 70, 80]]
        let png = RawPNG.make(width: 2, height: 2, bitDepth: 8, colorType: 4, scanlines: RawPNG.scanlines(rows: rows))
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.sourceColorType == .grayAlpha && image.sourceBitDepth == 8)
        #expect(image.pixels == [10, 10, 10, 20, 30, 30, 30, 40, 50, 50, 50, 60, 70, 70, 70, 80])
    }

    @Test("8-bit palette with tRNS: alpha from tRNS, 255 past its end")
    func paletteWithTransparency() throws {
        let palette: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255]
        let alphas: [UInt8] = [0, 128] // entry 2 has no alpha: opaque
        let png = RawPNG.make(width: 3, height: 1, bitDepth: 8, colorType: 3,
                              extra: [("PLTE", palette), ("tRNS", alphas)],
                              scanlines: RawPNG.scanlines(rows: [[2, 1, 0]]))
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.sourceColorType == .palette && image.sourceBitDepth == 8)
        #expect(image.pixels == [0, 0, 255, 255, 0, 255, 0, 128, 255, 0, 0, 0])
    }

    @Test("2- and 4-bit palettes unpack", arguments: [2, 4])
    func smallPalette(bitDepth: Int) throws {
        let palette: [UInt8] = [0, 0, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90]
        // Indices 3, 1, 2, 0 packed most significant bits first.
        let packed: [UInt8] = bitDepth == 2 ? [0b11_01_10_00] : [0x31, 0x20]
        let png = RawPNG.make(width: 4, height: 1, bitDepth: UInt8(bitDepth), colorType: 3, extra: [("PLTE", palette)],
                              scanlines: RawPNG.scanlines(rows: [packed]))
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.sourceBitDepth == bitDepth)
        #expect(image.pixels == [70, 80, 90, 255, 10, 20, 30, 255, 40, 50, 60, 255, 0, 0, 0, 255])
    }

    @Test("1-bit grey expands to 0 and 255, width not a multiple of 8")
    func oneBitGray() throws {
        // 10 pixels a row: 1011001110, padded to 2 bytes.
        let rows: [[UInt8]] = [[0b1011_0011, 0b1000_0000], [0b0000_0000, 0b0100_0000]]
        let png = RawPNG.make(width: 10, height: 2, bitDepth: 1, colorType: 0, scanlines: RawPNG.scanlines(rows: rows))
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.sourceColorType == .gray && image.sourceBitDepth == 1)
        let bits = [1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        #expect(image.pixels == bits.flatMap { $0 == 1 ? [255, 255, 255, 255] : [0, 0, 0, 255] })
    }

    @Test("grey with tRNS: the transparent grey level gets alpha 0")
    func grayWithTransparency() throws {
        let png = RawPNG.make(width: 3, height: 1, bitDepth: 8, colorType: 0, extra: [("tRNS", [0, 77])],
                              scanlines: RawPNG.scanlines(rows: [[76, 77, 78]]))
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.pixels == [76, 76, 76, 255, 77, 77, 77, 0, 78, 78, 78, 255])
    }

    @Test("16-bit RGBA")
    func sixteenBitRGBA() throws {
        // 0xFF00 / 257 = 254.0, 0x00FF / 257 = 0.99, 0x1234 / 257 = 18.1, 0x8080 / 257 = 128.
        let row: [UInt8] = [0xFF, 0x00, 0x00, 0xFF, 0x12, 0x34, 0x80, 0x80]
        let png = RawPNG.make(width: 1, height: 1, bitDepth: 16, colorType: 6, scanlines: RawPNG.scanlines(rows: [row]))
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.sourceColorType == .rgba && image.sourceBitDepth == 16)
        #expect(image.pixels == [254, 1, 18, 128])
    }

    @Test("Adam7-interlaced RGB decodes to the same pixels", arguments: [(13, 11), (1, 1), (3, 9), (8, 8)])
    func interlaced(width: Int, height: Int) throws {
        let rgb = seededBytes(count: width * height * 3, seed: UInt64(width * 100 + height))
        let png = RawPNG.make(width: UInt32(width), height: UInt32(height), bitDepth: 8, colorType: 2, interlaced: true,
                              scanlines: RawPNG.adam7Scanlines(pixels: rgb, width: width, height: height, bytesPerPixel: 3))
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.pixels == rgbaFromRGB(rgb))
    }

    @Test("text after the image data is read; a pHYs in no unit (aspect ratio only) gives no scale")
    func textAfterImageAndPhysicalUnit() throws {
        let text = RawPNG.chunk("tEXt", Array("Title".utf8) + [0] + [0x4A, 0xFC, 0x72, 0x67, 0x65, 0x6E]) // "Jürgen" in Latin-1
        var png = RawPNG.make(width: 1, height: 1, bitDepth: 8, colorType: 0,
                              extra: [("pHYs", RawPNG.bytes(bigEndian: 3) + RawPNG.bytes(bigEndian: 3) + [0])],
                              scanlines: [0, 9])
        png.insert(contentsOf: text, at: png.count - 12) // before IEND
        let image = try withTemporaryDirectory { try readFixture(png, in: $0) }
        #expect(image.text == [PNGTextChunk("Title", "Jürgen")])
        #expect(image.pixelsPerMM == nil)
    }

    // MARK: Bad files throw clear errors

    @Test("truncated files", arguments: [1, 4, 7, 8, 12, 20, 28, 33, 37, 45])
    func truncatedHeader(length: Int) throws {
        let png = try validPNG()
        let error = try readFailure(Array(png.prefix(length)))
        #expect(error?.kind == .truncated)
        #expect(error?.description.contains("truncated") == true)
    }

    @Test("truncated inside and after the image data")
    func truncatedImageData() throws {
        let png = try validPNG()
        let chunks = try #require(RawPNG.chunks(png))
        let idat = try #require(chunks.first { $0.type == "IDAT" })
        let iend = try #require(chunks.last)
        let cuts = [idat.offset + 4, idat.offset + 10, idat.offset + 8 + idat.data.count / 2,
                    idat.offset + 8 + idat.data.count, iend.offset, png.count - 1]
        for cut in cuts {
            let error = try readFailure(Array(png.prefix(cut)))
            #expect(error?.kind == .truncated, "cut at \(cut) of \(png.count): \(String(describing: error))")
            #expect(error?.description.contains("truncated") == true)
        }
    }

    @Test("a bad CRC in a critical chunk", arguments: ["IHDR", "IDAT"])
    func badCRC(type: String) throws {
        var png = try validPNG()
        let chunk = try #require(RawPNG.chunks(png)?.first { $0.type == type })
        png[chunk.offset + 8 + chunk.data.count + 2] ^= 0x01 // a byte of the stored CRC
        let error = try readFailure(png)
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("CRC error") == true, "\(String(describing: error))")
    }

    @Test("a damaged byte inside the image data", arguments: [0.1, 0.5, 0.9])
    func damagedImageData(position: Double) throws {
        var png = try validPNG()
        let chunk = try #require(RawPNG.chunks(png)?.first { $0.type == "IDAT" })
        png[chunk.offset + 8 + Int(Double(chunk.data.count) * position)] ^= 0x5A
        // zlib's check (or a decoding error) fires before the chunk's CRC is read: either is "corrupt".
        let error = try readFailure(png)
        #expect(error?.kind == .corrupt)
        #expect(error?.libpngMessage?.hasPrefix("IDAT") == true, "\(String(describing: error))")
    }

    @Test("damaged compressed data with a valid CRC")
    func badCompressedData() throws {
        let png = RawPNG.signature
            + RawPNG.chunk("IHDR", RawPNG.bytes(bigEndian: 4) + RawPNG.bytes(bigEndian: 4) + [8, 0, 0, 0, 0])
            + RawPNG.chunk("IDAT", [0x78, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x13])
            + RawPNG.chunk("IEND", [])
        let error = try readFailure(png)
        #expect(error?.kind == .corrupt)
        #expect(error?.libpngMessage?.isEmpty == false)
    }

    @Test("a text file is not a PNG")
    func notAPNG() throws {
        let error = try readFailure(Array("width: 100\nheight: 100\n".utf8))
        #expect(error?.kind == .notPNG)
        #expect(error?.description.contains("not a PNG") == true)
    }

    @Test("an empty file")
    func emptyFile() throws {
        let error = try readFailure([])
        #expect(error?.kind == .notPNG)
        #expect(error?.description.contains("empty") == true)
    }

    @Test("a zero width or height in the header", arguments: [(0, 5), (5, 0), (0, 0)])
    func zeroSize(width: UInt32, height: UInt32) throws {
        let error = try readFailure(pngClaiming(width: width, height: height))
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("zero") == true)
    }

    @Test("a size PNG does not allow (over 2^31 - 1)")
    func sizeBeyondPNG() throws {
        let error = try readFailure(pngClaiming(width: 0x8000_0000, height: 1))
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("at most") == true)
    }

    @Test("an absurd size is refused before allocating", arguments: [
        (100_000 as UInt32, 100_000 as UInt32), (0x7FFF_FFFF, 0x7FFF_FFFF), (100_000_001, 1), (1, 100_000_001),
    ])
    func absurdSize(width: UInt32, height: UInt32) throws {
        let error = try readFailure(pngClaiming(width: width, height: height))
        #expect(error?.kind == .tooLarge)
        #expect(error?.description.contains("limit of 100000000 pixels") == true)
    }

    /// The peak resident memory of this process so far, in bytes.
    private static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024   // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss          // bytes on macOS
        #endif
    }

    @Test("a chunk declaring more than it may is refused from its header: nothing allocated for it, in a file of 41 to 70 bytes",
          arguments: ["tEXt", "zTXt", "iTXt", "sPLT", "pCAL", "sCAL", "iCCP", "prVt"], [0, 1])
    func chunkLengthBomb(type: String, afterImage: Int) throws {
        // IHDR of a 1 × 1 grey image, then (after the image data, or before it) a chunk header
        // declaring 2^31 - 16 bytes, and nothing more.
        var bytes = RawPNG.signature + RawPNG.chunk("IHDR", RawPNG.bytes(bigEndian: 1) + RawPNG.bytes(bigEndian: 1) + [8, 0, 0, 0, 0])
        if afterImage == 1 { bytes += RawPNG.chunk("IDAT", RawPNG.zlibStored([0, 0x80])) }
        bytes += RawPNG.bytes(bigEndian: 0x7FFF_FFF0) + Array(type.utf8)
        let before = Self.peakResidentBytes()
        let start = Date()
        let error = try readFailure(bytes)
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("the \(type) chunk at byte offset \(bytes.count - 8) declares 2147483632 bytes of data, more than the 8 MB allowed") == true,
                "\(String(describing: error))")
        #expect(Date().timeIntervalSince(start) < 1)
        // libpng 1.6 allocated and zeroed the 2 GB before finding the file short.
        #expect(Self.peakResidentBytes() - before < 100 << 20)
    }

    @Test("a critical chunk past PNG's 2^31 - 1 bytes is refused from its header")
    func criticalChunkBeyondPNG() throws {
        let bytes = RawPNG.signature + RawPNG.chunk("IHDR", RawPNG.bytes(bigEndian: 1) + RawPNG.bytes(bigEndian: 1) + [8, 0, 0, 0, 0])
            + RawPNG.bytes(bigEndian: 0xFFFF_FFF0) + Array("IDAT".utf8)
        let error = try readFailure(bytes)
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("declares 4294967280 bytes of data, more than PNG allows") == true, "\(String(describing: error))")
    }

    @Test("an image bomb under a high maxPixels throws instead of allocating: a file too small for its pixels")
    func imageBombTooSmall() throws {
        let bytes = RawPNG.make(width: 100_000, height: 100_000, bitDepth: 8, colorType: 2, scanlines: [0, 1, 2, 3])
        let error = try readFailure(bytes, maxPixels: 1 << 40)
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("even at zlib's best ratio those pixels need at least") == true, "\(String(describing: error))")
    }

    @Test("an image bomb under a high maxPixels throws instead of allocating: pixels needing more than half the memory")
    func imageBombPastMemory() throws {
        // A 1-bit grey image whose RGBA pixels need more than half the memory, padded with a
        // private ancillary chunk (in 8 MB pieces) to the least size deflate could hold it in.
        let pixels = Double(ProcessInfo.processInfo.physicalMemory / 2 / 4 + 1)
        let side = UInt32(pixels.squareRoot().rounded(.up))
        let raw = Int(side) * (1 + (Int(side) + 7) / 8)
        var padding: [(String, [UInt8])] = []
        var left = raw / PNGReader.deflateBestRatio + 1
        while left > 0 {
            padding.append(("prVt", [UInt8](repeating: 0, count: min(left, 8 << 20))))
            left -= 8 << 20
        }
        let bytes = RawPNG.make(width: side, height: side, bitDepth: 1, colorType: 0, extra: padding, scanlines: [0, 0])
        let error = try readFailure(bytes, maxPixels: 1 << 40)
        #expect(error?.kind == .tooLarge)
        #expect(error?.description.contains("more than half of this machine's memory") == true, "\(String(describing: error))")
    }

    @Test("an image over a small maxPixels", arguments: [851 - 1, 100, 30, 1])
    func overMaxPixels(maxPixels: Int) throws {
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("small.png")
            let writer = try PNGWriter(url: url, width: 37, height: 23, format: .gray8, software: "t")
            try writer.appendRows([UInt8](repeating: 1, count: 37 * 23))
            try writer.finish()
            let error = #expect(throws: PNGError.self) { _ = try PNGReader.read(url: url, maxPixels: maxPixels) }
            #expect(error?.kind == .tooLarge)
            #expect(error?.description.contains("37 × 23 = 851 pixels") == true)
            #expect(error?.description.contains("maxPixels") == true)
            #expect(try PNGReader.read(url: url, maxPixels: 851).width == 37)
        }
    }

    @Test("an invalid header (16-bit palette) is reported with libpng's reason")
    func invalidHeader() throws {
        let png = RawPNG.make(width: 1, height: 1, bitDepth: 16, colorType: 3, scanlines: [0, 0, 0])
        let error = try readFailure(png)
        #expect(error?.kind == .corrupt)
        #expect(error?.libpngMessage?.contains("IHDR") == true)
    }

    @Test("a first chunk that is not IHDR")
    func missingHeader() throws {
        let png = RawPNG.signature + RawPNG.chunk("IDAT", RawPNG.zlibStored([0, 0])) + RawPNG.chunk("IEND", [])
        let error = try readFailure(png)
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("IHDR") == true)
    }

    @Test("a missing file and a folder")
    func notAFile() throws {
        try withTemporaryDirectory { folder throws in
            let missing = folder.appendingPathComponent("missing.png")
            let error = #expect(throws: PNGError.self) { _ = try PNGReader.read(url: missing) }
            #expect(error?.kind == .fileSystem)
            #expect(error?.description.contains("No such file") == true)
            #expect(error?.description.contains(missing.path) == true)

            let folderError = #expect(throws: PNGError.self) { _ = try PNGReader.read(url: folder) }
            #expect(folderError?.kind == .fileSystem)
            #expect(folderError?.description.contains("folder") == true)
        }
    }

    @Test("maxPixels below 1 is refused")
    func invalidLimit() throws {
        let error = #expect(throws: PNGError.self) {
            _ = try PNGReader.read(url: URL(fileURLWithPath: "/nonexistent.png"), maxPixels: 0)
        }
        #expect(error?.kind == .invalidArgument)
    }

    @Test("every prefix of a valid file throws, none crashes")
    func everyPrefix() throws {
        let png = try validPNG(width: 5, height: 3)
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("cut.png")
            for length in 0..<png.count {
                try Data(png.prefix(length)).write(to: url)
                #expect(throws: PNGError.self, "prefix of \(length) bytes") { _ = try PNGReader.read(url: url) }
            }
            try Data(png).write(to: url)
            #expect(try PNGReader.read(url: url).width == 5)
        }
    }

    @Test("single-byte corruptions throw or decode, never crash")
    func byteFlips() throws {
        let png = try validPNG(width: 7, height: 5)
        var generator = SeededGenerator(seed: 99)
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("flipped.png")
            for _ in 0..<300 {
                var damaged = png
                damaged[Int.random(in: 0..<png.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
                try Data(damaged).write(to: url)
                do {
                    let image = try PNGReader.read(url: url)
                    #expect(image.pixels.count == image.width * image.height * 4)
                } catch let error as PNGError {
                    #expect(!error.description.isEmpty)
                }
            }
        }
    }
}
