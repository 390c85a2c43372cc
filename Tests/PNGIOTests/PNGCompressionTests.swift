import Foundation
import PNGIO
import Testing

@Suite("PNGCompression")
struct PNGCompressionTests {
    @Test("the presets are distinct, and each tries the filters of the faster one and more")
    func presets() {
        let fast = PNGCompression.fast.encoderSettings
        let balanced = PNGCompression.balanced.encoderSettings
        let smallest = PNGCompression.smallest.encoderSettings
        #expect(Set([fast, balanced, smallest]).count == 3)
        #expect(fast.filters.isStrictSubset(of: balanced.filters) && balanced.filters.isStrictSubset(of: smallest.filters))
        #expect(smallest.filters == .all)
        for setting in [fast, balanced, smallest] {
            #expect(setting.strategy == .rle && (1...9).contains(setting.level))
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
            #expect(fast < width * height * 3 * 6 / 10, "sizes: \(sizes)")
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
        list += [S(level: 1, strategy: .rle, filters: .average, memoryLevel: 9),
                 S(level: 1, strategy: .rle, filters: [.average, .paeth], memoryLevel: 9),
                 S(level: 1, strategy: .rle, filters: .all, memoryLevel: 9),
                 S(level: 1, strategy: .huffmanOnly, filters: .up),
                 S(level: 1, strategy: .huffmanOnly, filters: .all, memoryLevel: 9)].map { ("", $0) }
        return list
    }()

    /// The images measured, 2048 × 2048 RGB: the renderer's look as the brief describes it,
    /// the same on a plain background, and a noise-free map-like image.
    static func measuredImages() -> [(String, [UInt8])] {
        [("render", renderLikeImage(width: 2048, height: 2048, dotCount: 6000, seed: 2024)),
         ("on background", renderLikeImage(width: 2048, height: 2048, dotCount: 6000, seed: 2024, plainBackground: true)),
         ("noise-free", renderLikeImage(width: 2048, height: 2048, dotCount: 6000, seed: 2024, noiseAmplitude: 0))]
    }

    /// Measures file size and encode time (best of `PNGIO_MEASURE_RUNS`, default 3) of the
    /// presets and candidates on 2048 × 2048 RGB images, streamed in bands of 64 rows.
    /// Run in release, on an idle machine:
    /// `PNGIO_MEASURE=1 swift test -c release -Xswiftc -enable-testing --filter PNGCompressionTests`
    @Test("measure presets and candidates (set PNGIO_MEASURE=1)",
          .enabled(if: ProcessInfo.processInfo.environment["PNGIO_MEASURE"] != nil),
          .timeLimit(.minutes(60)))
    func measurePresets() throws {
        let (width, height) = (2048, 2048)
        let images = Self.measuredImages()
        let runs = Int(ProcessInfo.processInfo.environment["PNGIO_MEASURE_RUNS"] ?? "") ?? 3
        var report = "| setting | " + images.map { "\($0.0) bytes | ms" }.joined(separator: " | ") + " |\n"
        report += "|---|" + String(repeating: "---|---|", count: images.count) + "\n"
        try withTemporaryDirectory { folder throws in
            let url = folder.appendingPathComponent("measure.png")
            for (label, settings) in Self.candidates {
                var line = "| " + (label.isEmpty ? settings.description : "**\(label)**: \(settings)")
                for (_, pixels) in images {
                    var best = Duration.seconds(1_000_000)
                    var size = 0
                    for _ in 0..<runs {
                        let elapsed = try ContinuousClock().measure {
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
                        best = min(best, elapsed)
                        size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
                    }
                    let milliseconds = Double(best.components.seconds) * 1000 + Double(best.components.attoseconds) / 1e15
                    line += " | \(size) | \(Int(milliseconds.rounded()))"
                }
                line += " |\n"
                report += line
                print(line, terminator: "")
            }
        }
        print(report)
    }
}
