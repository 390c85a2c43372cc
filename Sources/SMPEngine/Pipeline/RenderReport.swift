import Foundation

/// `report.json`: what a render made and from what. A stable format (keys sorted, numbers in
/// physical units named in the key) that other tools read. Its bytes depend only on the scene,
/// its seed and the settings that change the images: not on the thread count or the machine's
/// speed, so timings are not in it (`SceneRendering.Result.timings`; `smp render --timings`).
public struct RenderReport: Sendable, Codable, Equatable {
    public struct Settings: Sendable, Codable, Equatable {
        public var pixelsPerMM: Double
        public var viewOriginXMM: Double
        public var viewOriginYMM: Double
        public var viewWidthMM: Double
        public var viewHeightMM: Double
        public var widthPixels: Int
        public var heightPixels: Int
        /// The moment after.png shows, as given (`healed`, `5y`, ...).
        public var after: String
        public var compression: String
    }

    public struct Image: Sendable, Codable, Equatable {
        public var name: String
        public var file: String
        /// Days after the first session; nil for images without pigment.
        public var day: Double?
    }

    public var software: String
    public var scene: String
    /// The seed as text: JSON numbers lose precision past 2⁵³.
    public var seed: String
    public var sceneHash: String
    public var dotCount: Int
    public var settings: Settings
    public var density: DensityReport
    public var images: [Image]

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
