import Foundation
import PNGIO
import Testing

/// An RGB image whose top `smoothRows` rows are smooth as a render at high px/mm (each byte the
/// one above it, 2 % of them one level up or down: up-filtered, 98 % zeros) and whose other rows
/// are noisy (a fifth of the bytes random), so that its pieces take both deflaters.
private func halfSmoothImage(width: Int, height: Int, smoothRows: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    let rowBytes = width * 3
    var pixels = [UInt8](repeating: 0, count: rowBytes * height)
    for x in 0..<rowBytes { pixels[x] = UInt8(120 + x % 40) }
    for y in 1..<height {
        for x in 0..<rowBytes {
            var value = pixels[(y - 1) * rowBytes + x]
            let draw = UInt8.random(in: 0...99, using: &generator)
            if y < smoothRows {
                if draw == 0 { value &+= 1 } else if draw == 1 { value &-= 1 }
            } else if draw < 20 {
                value = UInt8.random(in: .min ... .max, using: &generator)
            }
            pixels[y * rowBytes + x] = value
        }
    }
    return pixels
}

private func write(_ pixels: [UInt8], width: Int, height: Int, settings: PNGEncoderSettings, threads: Int,
                   to url: URL) throws -> Int {
    let writer = try PNGWriter(url: url, width: width, height: height, format: .rgb8, software: "t",
                               encoderSettings: settings, encoder: .parallel(threads: threads))
    try writer.appendRows(pixels)
    try writer.finish()
    return try Data(contentsOf: url).count
}

@Suite("fast preset: smooth pieces by zlib RLE")
struct SmoothPiecesTests {
    static let (width, height) = (600, 1600)   // about 290 rows a piece: three smooth pieces, two noisy

    @Test("a smooth image's pieces are as small as zlib RLE's, not ISA-L's; mixed pieces decode exactly, the same bytes for any thread count")
    func smoothPieces() throws {
        let (width, height) = (Self.width, Self.height)
        let smooth = halfSmoothImage(width: width, height: height, smoothRows: height, seed: 3)
        let mixed = halfSmoothImage(width: width, height: height, smoothRows: 900, seed: 4)
        let fast = PNGCompression.fast.encoderSettings
        #expect(fast.smoothPiecesByZlibRLE)
        #expect(fast.description == "ISA-L level 1, filters up, smooth pieces zlib RLE")
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("smooth.png")
            let isalAlone = try write(smooth, width: width, height: height,
                                      settings: PNGEncoderSettings(library: .isal, level: 1, filters: .up), threads: 2, to: url)
            let rle = try write(smooth, width: width, height: height,
                                settings: PNGEncoderSettings(level: 1, strategy: .rle, filters: .up), threads: 2, to: url)
            let chosen = try write(smooth, width: width, height: height, settings: fast, threads: 2, to: url)
            // Every piece is smooth: the stream is zlib RLE's, only the zlib header's level hint
            // may differ (none: both write 0x78 0x01).
            #expect(chosen == rle, "fast \(chosen) bytes, zlib RLE \(rle)")
            #expect(Double(chosen) < 0.95 * Double(isalAlone), "fast \(chosen) bytes, ISA-L alone \(isalAlone)")
            #expect(try PNGReader.read(url: url).pixels == rgbaFromRGB(smooth))

            let one = try write(mixed, width: width, height: height, settings: fast, threads: 1, to: url)
            let bytesOne = try Data(contentsOf: url)
            for threads in [2, 4] {
                _ = try write(mixed, width: width, height: height, settings: fast, threads: threads, to: url)
                #expect(try Data(contentsOf: url) == bytesOne, "\(threads) threads")
            }
            #expect(one == bytesOne.count)
            #expect(try PNGReader.read(url: url).pixels == rgbaFromRGB(mixed))
            if let pngcheck = pngcheckExecutable() {
                let result = try runPngcheck(pngcheck, ["-v"], on: url)
                #expect(result.status == 0, "\(result.output)")
            }
        }
    }

    @Test("smooth pieces by zlib RLE is refused with zlib, which has its own strategies")
    func refusedWithZlib() throws {
        try withTemporaryDirectory { folder throws in
            let error = #expect(throws: PNGError.self) {
                _ = try PNGWriter(url: folder.appendingPathComponent("s.png"), width: 1, height: 1, format: .gray8, software: "t",
                                  encoderSettings: PNGEncoderSettings(level: 1, strategy: .rle, filters: .up, smoothPiecesByZlibRLE: true))
            }
            #expect(error?.kind == .invalidArgument)
            #expect(try folderContents(folder).isEmpty)
        }
    }
}
