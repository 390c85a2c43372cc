import Foundation
import ImageText
import PNGIO

/// `sweep.json`: what a sweep rendered and measured, one entry per panel in the sheet's order.
public struct SweepReport: Codable, Sendable, Equatable {
    public struct Variation: Codable, Sendable, Equatable {
        public var keyPath: String
        public var values: [String]
    }

    public struct Value: Codable, Sendable, Equatable {
        public var keyPath: String
        public var value: String
    }

    public struct Panel: Codable, Sendable, Equatable {
        /// From 0, left to right then top to bottom; its column and row on the sheet.
        public var index: Int
        public var column: Int
        public var row: Int
        public var values: [Value]
        public var dotCount: Int
        /// Dots of the sessions done by the moment shown, per cm² of the panel's window.
        public var dotsPerCM2: Double
        /// 1 − mean linear luminance after / before, over the panel: 0 for untouched skin.
        public var darkening: Double
    }

    public var software: String
    public var scene: String
    public var sceneHash: String
    public var overrides: [String]
    public var moment: String
    public var pixelsPerMM: Double
    public var windowXMM: Double
    public var windowYMM: Double
    public var windowWidthMM: Double
    public var windowHeightMM: Double
    public var variations: [Variation]
    public var panels: [Panel]

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}

extension SceneSweep {
    /// What `write` produced.
    public struct Output: Sendable {
        public var files: [URL]
        public var report: SweepReport
    }

    /// Renders the sweep (`render`) and writes `sweep.png`, the labelled contact sheet, and
    /// `sweep.json` into `folder` (claimed like a render's: `OutputFolder`), atomically. The font
    /// is loaded and every scene read before anything is rendered.
    public func write(into folder: URL, window: MapView? = nil, moment: TreatmentTime? = nil, threads: Int,
                      compression: PNGCompression = .fast, limits: RenderLimits = RenderLimits()) throws -> Output {
        let font = try Font.dejaVuSans()
        let (window, shown, panels) = try render(window: window, moment: moment, threads: threads, limits: limits)
        let base = try Scene.load(yaml: sceneText, file: file, overrides: overrides)
        let hash = SceneRendering(scene: base, sceneText: SceneOverride.annotated(sceneText, with: overrides)).sceneHash
        let names = labelNames
        let size = Self.timelineTextPixels(pixelsPerMM: window.pixelsPerMM)
        let columnsText = "columns: \(variations[0].keyPath)"
        let rowsText = variations.count > 1 ? " · rows: " + variations.dropFirst().map(\.keyPath).joined(separator: ", then ") : ""
        let sheet = try ContactSheet(
            titleLines: [
                "\(base.name) · simulation · \(Self.format(window.widthMM)) × \(Self.format(window.heightMM)) mm at 1:1, \(shown)",
                columnsText + rowsText,
            ],
            panels: panels.map { panel in
                (labelLines: zip(names, panel.values).map { "\($0) \($1.value)" }, pixels: panel.after)
            },
            columns: columns, pixelsPerMM: window.pixelsPerMM, font: font, pixelSize: size,
            scaleBarMM: window.widthMM >= 10 ? 5 : 1)

        let claimed = try OutputFolder.claim(folder)
        defer { withExtendedLifetime(claimed) {} }   // held until both files are written
        let sheetURL = folder.appendingPathComponent("sweep.png")
        let varied = variations.map { "\($0.keyPath)=\($0.values.joined(separator: ","))" }.joined(separator: " ")
        _ = try BandedPNGOutput.write(
            sheet, to: sheetURL, threads: threads, software: SoftwareVersion.nameAndNumber,
            text: [PNGTextChunk("Scene", base.name), PNGTextChunk("Scene hash", hash), PNGTextChunk("Seed", String(base.seed)),
                   PNGTextChunk("Image", "sweep"), PNGTextChunk("Moment", shown.description), PNGTextChunk("Sweep", varied)],
            compression: compression)
        let report = SweepReport(
            software: SoftwareVersion.nameAndNumber, scene: base.name, sceneHash: hash, overrides: overrides.map(\.description),
            moment: shown.description, pixelsPerMM: window.pixelsPerMM, windowXMM: window.originXMM, windowYMM: window.originYMM,
            windowWidthMM: window.widthMM, windowHeightMM: window.heightMM,
            variations: variations.map { .init(keyPath: $0.keyPath, values: $0.values) },
            panels: panels.enumerated().map { index, panel in
                // Rounded so the file reads well; far finer than any difference a designer weighs.
                .init(index: index, column: index % columns, row: index / columns,
                      values: panel.values.map { .init(keyPath: $0.keyPath, value: $0.value) }, dotCount: panel.dotCount,
                      dotsPerCM2: (panel.dotsPerCM2 * 100).rounded() / 100, darkening: (panel.darkening * 10_000).rounded() / 10_000)
            })
        let reportURL = folder.appendingPathComponent("sweep.json")
        try AtomicFileOutput.write(report.jsonData(), to: reportURL)
        return Output(files: [sheetURL, reportURL], report: report)
    }

    /// Each variation's name on the panels' labels: its last key ("diameterMM"), or more of its
    /// path when two variations end in the same key.
    var labelNames: [String] {
        let paths = variations.map { $0.keyPath.split(separator: ".").map(String.init) }
        return paths.indices.map { index in
            var count = 1
            func suffix(_ parts: [String], _ n: Int) -> String { parts.suffix(n).joined(separator: ".") }
            while count < paths[index].count,
                  paths.indices.contains(where: { $0 != index && suffix(paths[$0], count) == suffix(paths[index], count) }) {
                count += 1
            }
            return suffix(paths[index], count)
        }
    }

    static func timelineTextPixels(pixelsPerMM: Double) -> Int { SceneRendering.timelineTextPixels(pixelsPerMM: pixelsPerMM) }

    static func format(_ millimetres: Double) -> String {
        millimetres == millimetres.rounded() ? String(Int(millimetres)) : String(format: "%.1f", millimetres)
    }
}
