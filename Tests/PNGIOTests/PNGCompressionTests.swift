import Foundation
import PNGIO
import Testing

@Suite("PNGCompression")
struct PNGCompressionTests {
    @Test("fast is ISA-L's level 1, the others distinct zlib RLE settings, each trying more filters than fast")
    func presets() {
        let settings = PNGCompression.allCases.map(\.encoderSettings)
        #expect(Set(settings).count == 3)
        #expect(settings.map(\.filters.rawValue.nonzeroBitCount) == [1, 2, 2])
        #expect(settings[0].library == .isal && settings[0].level == 1)
        for setting in settings.dropFirst() {
            #expect(setting.library == .zlib && setting.strategy == .rle && (1...9).contains(setting.level))
        }
        #expect(PNGCompression(rawValue: "balanced") == .balanced)
    }

    @Test("on a render-like image every preset compresses, smallest no larger than fast, each decodes exactly")
    func sizesOrdered() throws {
        let (width, height) = (256, 128)
        let pixels = renderLikeImage(width: width, height: height, dotCount: 400, seed: 5)
        try withTemporaryDirectory { folder throws in
            var sizes: [PNGCompression: Int] = [:]
            for compression in PNGCompression.allCases {
                let url = folder.appendingPathComponent("\(compression).png")
                let writer = try PNGWriter(url: url, width: width, height: height, format: .rgb8, software: "t",
                                           compression: compression)
                try writer.appendRows(pixels)
                try writer.finish()
                sizes[compression] = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
                let image = try PNGReader.read(url: url)
                #expect(image.pixels == rgbaFromRGB(pixels))
            }
            let fast = try #require(sizes[.fast]), balanced = try #require(sizes[.balanced])
            let smallest = try #require(sizes[.smallest])
            #expect(smallest <= fast && balanced <= fast, "sizes: \(sizes)")
            // ISA-L's level 1 (fast) is a little weaker than zlib's RLE on an image this small and noisy.
            #expect(fast < width * height * 3 * 2 / 3, "sizes: \(sizes)")
        }
    }

    /// Candidate encoder settings measured to choose the presets.
    static let candidates: [(String, PNGEncoderSettings)] = {
        typealias S = PNGEncoderSettings
        var list: [(String, S)] = PNGCompression.allCases.map { ("preset \($0)", $0.encoderSettings) }
        list += [S(level: 1, filters: .none), S(level: 1, filters: .sub), S(level: 1, filters: .up),
                 S(level: 1, filters: .all), S(level: 2, filters: .sub), S(level: 3, filters: .all),
                 S(level: 6, filters: .paeth), S(level: 6, filters: .all), S(level: 9, filters: .all, memoryLevel: 9),
                 S(level: 6, strategy: .filtered, filters: .all), S(level: 9, strategy: .filtered, filters: .all, memoryLevel: 9)]
            .map { ("", $0) }
        let rleFilters: [S.RowFilters] = [.none, .sub, .up, .average, .paeth, [.sub, .up], [.up, .average],
                                          [.average, .paeth], [.up, .paeth], [.up, .average, .paeth],
                                          [.sub, .up, .average, .paeth], .all]
        list += rleFilters.map { ("", S(level: 1, strategy: .rle, filters: $0)) }
        list += [S(level: 1, strategy: .rle, filters: .up, memoryLevel: 9),
                 S(level: 1, strategy: .rle, filters: [.up, .average], memoryLevel: 9),
                 S(level: 1, strategy: .rle, filters: .average, memoryLevel: 9),
                 S(level: 1, strategy: .rle, filters: [.average, .paeth], memoryLevel: 9),
                 S(level: 1, strategy: .rle, filters: .all, memoryLevel: 9),
                 S(level: 1, strategy: .huffmanOnly, filters: .up),
                 S(level: 1, strategy: .huffmanOnly, filters: .all, memoryLevel: 9)].map { ("", $0) }
        return list
    }()

    /// The images measured, 2048 × 2048 RGB: the renderer's look as the brief describes it,
    /// the same on a plain background, a noise-free variant, and flat chart-like graphics.
    static func measuredImages() -> [(String, [UInt8])] {
        [("render", renderLikeImage(width: 2048, height: 2048, dotCount: 6000, seed: 2024)),
         ("on background", renderLikeImage(width: 2048, height: 2048, dotCount: 6000, seed: 2024, plainBackground: true)),
         ("noise-free", renderLikeImage(width: 2048, height: 2048, dotCount: 6000, seed: 2024, noiseAmplitude: 0)),
         ("chart", chartLikeImage(width: 2048, height: 2048, seed: 2024))]
    }

    /// CPU time of the calling thread, in milliseconds: unlike wall time, not inflated
    /// when other processes share the cores (the encoder is single-threaded).
    static func threadCPUMilliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }

    /// Measures file size and encode time (best of `PNGIO_MEASURE_RUNS`, default 3; thread CPU
    /// time and wall time) of the presets and candidates on 2048 × 2048 RGB images, streamed
    /// in bands of 64 rows. Run in release:
    /// `PNGIO_MEASURE=1 swift test -c release -Xswiftc -enable-testing --filter PNGCompressionTests`
    @Test("measure presets and candidates (set PNGIO_MEASURE=1)",
          .enabled(if: ProcessInfo.processInfo.environment["PNGIO_MEASURE"] != nil),
          .timeLimit(.minutes(60)))
    func measurePresets() throws {
        let (width, height) = (2048, 2048)
        let images = Self.measuredImages()
        let runs = Int(ProcessInfo.processInfo.environment["PNGIO_MEASURE_RUNS"] ?? "") ?? 3
        var report = "| setting | " + images.map { "\($0.0): bytes | CPU ms | wall ms" }.joined(separator: " | ") + " |\n"
        report += "|---|" + String(repeating: "---|---|---|", count: images.count) + "\n"
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("measure.png")
            for (label, settings) in Self.candidates {
                var line = "| " + (label.isEmpty ? settings.description : "**\(label)**: \(settings)")
                for (_, pixels) in images {
                    var bestCPU = Double.infinity
                    var bestWall = Double.infinity
                    var size = 0
                    for _ in 0..<runs {
                        let cpuStart = Self.threadCPUMilliseconds()
                        let wall = try ContinuousClock().measure {
                            let writer = try PNGWriter(url: url, width: width, height: height, format: .rgb8,
                                                       software: "measure", encoderSettings: settings)
                            // Bands of 64 rows, as the renderer hands them over.
                            try pixels.withUnsafeBytes { bytes in
                                let band = 64 * width * 3
                                for start in stride(from: 0, to: bytes.count, by: band) {
                                    let end = min(start + band, bytes.count)
                                    try writer.appendRows(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                                }
                            }
                            try writer.finish()
                        }
                        bestCPU = min(bestCPU, Self.threadCPUMilliseconds() - cpuStart)
                        bestWall = min(bestWall, Double(wall.components.seconds) * 1000 + Double(wall.components.attoseconds) / 1e15)
                        size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
                    }
                    line += " | \(size) | \(Int(bestCPU.rounded())) | \(Int(bestWall.rounded()))"
                }
                line += " |\n"
                report += line
                print(line, terminator: "")
            }
        }
        print(report)
    }
}
