import Foundation
@testable import PNGIO
import Testing

/// The rows filtered as the parallel encoder documents it, written plainly: each row by each
/// allowed filter, the smallest sum of signed magnitudes winning, the lowest type on a tie; zeros
/// above the first row. The reference for the filter bytes and the Adler-32 of the IDAT stream.
private func plainScanlines(_ pixels: [UInt8], rowBytes: Int, bytesPerPixel: Int,
                            filters: PNGEncoderSettings.RowFilters) -> [UInt8] {
    let allowed: [(Int, PNGEncoderSettings.RowFilters)] = [(0, .none), (1, .sub), (2, .up), (3, .average), (4, .paeth)]
        .filter { filters.contains($0.1) }
    let height = pixels.count / rowBytes
    var out: [UInt8] = []
    for y in 0..<height {
        let row = Array(pixels[(y * rowBytes)..<((y + 1) * rowBytes)])
        let above = y == 0 ? [UInt8](repeating: 0, count: rowBytes) : Array(pixels[((y - 1) * rowBytes)..<(y * rowBytes)])
        var best: (cost: Int, type: Int, bytes: [UInt8])?
        for (type, _) in allowed {
            let filtered = (0..<rowBytes).map { i -> UInt8 in
                let a = i >= bytesPerPixel ? Int(row[i - bytesPerPixel]) : 0
                let b = Int(above[i])
                let c = i >= bytesPerPixel ? Int(above[i - bytesPerPixel]) : 0
                let predictor: Int
                switch type {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                default:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                }
                return UInt8(truncatingIfNeeded: Int(row[i]) - predictor)
            }
            let cost = filtered.reduce(0) { $0 + ($1 < 128 ? Int($1) : 256 - Int($1)) }
            if best == nil || cost < best!.cost { best = (cost, type, filtered) }
        }
        out.append(UInt8(best!.type))
        out += best!.bytes
    }
    return out
}

/// `pixels` written with the parallel encoder on `threads` threads, in batches of `batch` rows.
private func written(_ pixels: [UInt8], width: Int, height: Int, format: PNGPixelFormat, compression: PNGCompression,
                     threads: Int, batch: Int, to url: URL) throws -> [UInt8] {
    let writer = try PNGWriter(url: url, width: width, height: height, format: format, pixelsPerMM: 10,
                               software: "SMPPreview tests", text: [PNGTextChunk("Scene", "pieces")],
                               compression: compression, encoder: .parallel(threads: threads))
    let rowBytes = format.bytesPerRow(width: width)
    for start in stride(from: 0, to: height, by: batch) {
        let end = min(start + batch, height)
        try writer.appendRows(Array(pixels[(start * rowBytes)..<(end * rowBytes)]))
    }
    try writer.finish()
    return Array(try Data(contentsOf: url))
}

@Suite("IDAT deflated in pieces")
struct IDATPiecesTests {
    /// Shapes that cut differently: many pieces of many rows; narrow rows, whose dictionary lead
    /// spans thousands of rows; rows over the piece size, one row a piece, whose lead reaches two
    /// pieces back; a single row; fewer rows than a piece.
    static let shapes: [(width: Int, height: Int, format: PNGPixelFormat)] = [
        (301, 1000, .rgb8), (7, 80_000, .gray8), (90_000, 5, .rgb8), (1, 1, .rgba8), (64, 3, .rgba8),
    ]

    @Test("the same bytes for 1, 2 and 4 threads and any row batches; pixels, CRCs and Adler-32 exact",
          arguments: shapes.indices, PNGCompression.allCases)
    func identicalForAnyThreadCount(shape: Int, compression: PNGCompression) throws {
        let (width, height, format) = Self.shapes[shape]
        let rowBytes = format.bytesPerRow(width: width)
        // Noise on a gradient: runs for the deflater, and every filter wins somewhere.
        var pixels = seededBytes(count: rowBytes * height, seed: UInt64(shape + 1))
        for index in pixels.indices where index % 5 != 0 { pixels[index] = UInt8(truncatingIfNeeded: index / rowBytes + index % 7) }
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("pieces.png")
            let one = try written(pixels, width: width, height: height, format: format, compression: compression,
                                  threads: 1, batch: 16, to: url)
            for (threads, batch) in [(2, 1), (4, 37)] {
                let other = try written(pixels, width: width, height: height, format: format, compression: compression,
                                        threads: threads, batch: batch, to: url)
                #expect(other == one, "\(threads) threads, batches of \(batch) rows")
            }

            let chunks = try #require(RawPNG.chunks(one))
            #expect(chunks.allSatisfy { $0.crcIsValid })
            #expect(chunks.map(\.type).first == "IHDR" && chunks.map(\.type).last == "IEND")
            #expect(chunks.contains { $0.type == "pHYs" } && chunks.contains { $0.type == "tEXt" })
            let stream = chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
            #expect(Array(stream.prefix(2)) == [0x78, 0x01])
            let scanlines = plainScanlines(pixels, rowBytes: rowBytes, bytesPerPixel: format.channels,
                                           filters: compression.encoderSettings.filters)
            #expect(RawPNG.bigEndian32(stream, at: stream.count - 4) == RawPNG.adler32(scanlines))

            let image = try PNGReader.read(url: url)
            #expect(image.width == width && image.height == height)
            #expect(image.pixels == expandedToRGBA(pixels, format: format))
            #expect(image.pixelsPerMM == 10 && image.text(forKey: "Scene") == "pieces")
            if let pngcheck = pngcheckExecutable() {
                let result = try runPngcheck(pngcheck, ["-v"], on: url)
                #expect(result.status == 0, "\(result.output)")
            }
        }
    }

    @Test("the pieces decode to the same pixels as libpng's own stream of the same rows")
    func sameAsLibpng() throws {
        let (width, height) = (640, 700)
        let pixels = renderLikeImage(width: width, height: height, dotCount: 3000, seed: 7)
        try withTemporaryDirectory { folder throws in
            var images: [PNGImage] = []
            // libpng's stream is zlib's; the pieces here ISA-L's, as the `fast` preset writes them.
            for (encoder, compression) in [(PNGWriter.Encoder.libpng, PNGCompression.balanced), (.parallel(threads: 3), .fast)] {
                let url = folder.appendingPathComponent("\(encoder).png")
                let writer = try PNGWriter(url: url, width: width, height: height, format: .rgb8, software: "tests",
                                           compression: compression, encoder: encoder)
                try writer.appendRows(pixels)
                try writer.finish()
                images.append(try PNGReader.read(url: url))
            }
            #expect(images[0].pixels == images[1].pixels)
            #expect(images[1].pixels == rgbaFromRGB(pixels))
        }
    }

    @Test("a failure after pieces reached the file, or a writer dropped there, leaves no file")
    func failureMidWrite() throws {
        // Noise does not compress, so every piece is over libpng's 64 KB write buffer. With two
        // threads the writer holds six pieces in flight: starting the ninth waits until the
        // third is in the file, so 3500 rows (437 a piece) put pieces in the file for certain.
        let (width, height) = (400, 5000)
        let pixels = seededBytes(count: width * 3 * height, seed: 3)
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("broken.png")
            let writer = try PNGWriter(url: url, width: width, height: height, format: .rgb8, software: "tests",
                                       compression: .fast, encoder: .parallel(threads: 2))
            try writer.appendRows(Array(pixels[0..<(width * 3 * 3500)]))
            let hidden = try folderContents(folder)
            #expect(hidden.count == 1 && hidden[0].hasPrefix(".broken.png.tmp-"))
            let written = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(hidden[0]).path)[.size] as? Int
            #expect((written ?? 0) > 1_000_000)
            #expect(throws: PNGError.self) { try writer.appendRows(Array(pixels[0..<(width * 3 * 1501)])) }
            #expect(try folderContents(folder) == [])
            #expect(throws: PNGError.self) { try writer.finish() }

            do {
                let dropped = try PNGWriter(url: url, width: width, height: height, format: .rgb8, software: "tests",
                                            compression: .fast, encoder: .parallel(threads: 4))
                try dropped.appendRows(Array(pixels[0..<(width * 3 * 3500)]))
            }
            #expect(try folderContents(folder) == [])
        }
    }

    @Test("zero encoding threads are refused before any file is made")
    func zeroThreads() throws {
        try withTemporaryDirectory { folder throws in
            #expect(throws: PNGError.self) {
                _ = try PNGWriter(url: folder.appendingPathComponent("x.png"), width: 4, height: 4, format: .rgb8,
                                  software: "tests", encoder: .parallel(threads: 0))
            }
            #expect(try folderContents(folder) == [])
        }
    }

    @Test("pieces are cut by the row size alone, with enough lead rows for a 32 KB dictionary",
          arguments: [(1, PNGPixelFormat.gray8), (3610, .rgb8), (90_000, .rgb8)])
    func pieceGeometry(width: Int, format: PNGPixelFormat) throws {
        try withTemporaryDirectory { folder throws in
            let rowBytes = format.bytesPerRow(width: width)
            var shapes: [[Int]] = []
            for threads in [1, 3] {
                let pieces = try IDATPieces(width: width, height: 10, format: format, settings: PNGCompression.fast.encoderSettings,
                                            threads: threads, path: folder.path)
                defer { pieces.stop() }
                #expect(pieces.rowsPerPiece * rowBytes >= IDATPieces.targetPieceBytes || pieces.rowsPerPiece == 1)
                #expect((pieces.leadRows - 1) * (rowBytes + 1) >= 32768)
                #expect((pieces.leadRows - 2) * (rowBytes + 1) < 32768)
                shapes.append([pieces.rowsPerPiece, pieces.leadRows])
            }
            #expect(shapes[0] == shapes[1])
        }
    }
}
