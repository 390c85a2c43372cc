import Foundation

/// A test suite's own folder of scene files under the temporary directory, and the small
/// scene most command tests render.
protocol TemporarySceneFolder {
    var folder: URL { get }
}

extension TemporarySceneFolder {
    /// Writes `text` as `name` into the folder (created if needed) and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A 20 × 10 mm close-up across the hairline of a Norwood 7 plan at 5 px/mm: quick.
    static var small: String {
        """
        name: cli
        seed: 3
        hairLoss: { pattern: norwood7 }
        render: { pixelsPerMM: 5, crop: { xMM: -10, yMM: -80, widthMM: 20, heightMM: 10 } }
        """
    }
}
