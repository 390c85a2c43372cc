import Foundation
import PNGIO
import PoissonDisk
import Testing
@testable import SMPEngine

/// Golden digests of every shipped scene's outputs: a change anywhere from the scene file to
/// the pixels (a "byte-exact" speed-up that is not, a new default) shows up as the list of
/// scenes and outputs whose digest moved. Pixels are meant to change now and then; when they
/// are, re-bless and commit the new file:
///
///     SMP_BLESS_GOLDENS=1 swift test --filter GoldenDigest
///
/// Each scene is rendered through `SceneRendering.render`, as `smp render` does, but small
/// enough for a test: a `window` of the chart at `pixelsPerMM`, centred on the dot nearest the
/// centroid of the dots the scene shows (those in its close-up, or all of them).
/// The digest of a PNG is that of its decoded pixels (RGBA) and size, so a change of
/// compression or PNG chunks does not move it; dots.csv is hashed as its bytes.
///
/// The digests hold for one set of libraries: the labels of timeline.png are drawn by the
/// system's FreeType in DejaVu Sans, so another FreeType or font version moves that digest
/// alone (and another libm could move a last bit of the chart). Bless on the machine CI uses.
@Suite("Golden digests of the shipped scenes")
struct GoldenDigestTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let goldenFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/golden-digests.json")
    static let blessCommand = "SMP_BLESS_GOLDENS=1 swift test --filter GoldenDigest"

    /// The scale and window: a healed dot (about 0.15 mm) is one or two pixels, as at the
    /// shipped scenes' scales, and the image is small (160 × 120 pixels).
    static let pixelsPerMM = 10.0
    static let windowMM = (width: 16.0, height: 12.0)

    static var isBlessing: Bool { ProcessInfo.processInfo.environment["SMP_BLESS_GOLDENS"] == "1" }

    /// FNV-1a 64: enough to notice a change, which is all a golden digest is for.
    static func fnv1a(_ bytes: some Sequence<UInt8>, into hash: inout UInt64) {
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
    }

    static func digest(png url: URL) throws -> String {
        let image = try PNGReader.read(url: url)
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        withUnsafeBytes(of: Int64(image.width).littleEndian) { fnv1a($0, into: &hash) }
        withUnsafeBytes(of: Int64(image.height).littleEndian) { fnv1a($0, into: &hash) }
        fnv1a(image.pixels, into: &hash)
        return String(format: "%016llx", hash)
    }

    static func digest(file url: URL) throws -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        fnv1a(try Data(contentsOf: url), into: &hash)
        return String(format: "%016llx", hash)
    }

    /// The chart window the golden render draws (see the type's comment).
    static func window(for scene: Scene) throws -> Scene.Crop {
        var dots = try DotPlacement.dots(for: scene, on: ScalpMap(scene: scene))
        if let crop = scene.render.crop {
            dots = dots.filter { $0.xMM >= crop.xMM && $0.xMM < crop.xMM + crop.widthMM && $0.yMM >= crop.yMM && $0.yMM < crop.yMM + crop.heightMM }
        }
        var centre = (x: 0.0, y: 0.0)
        if !dots.isEmpty {
            let meanX = dots.map(\.xMM).reduce(0, +) / Double(dots.count), meanY = dots.map(\.yMM).reduce(0, +) / Double(dots.count)
            func distance2(_ dot: PoissonDot) -> Double { (dot.xMM - meanX) * (dot.xMM - meanX) + (dot.yMM - meanY) * (dot.yMM - meanY) }
            let nearest = dots.min { distance2($0) < distance2($1) }!
            centre = (nearest.xMM, nearest.yMM)
        }
        // Whole millimetres, so the window reads plainly in the golden file.
        return Scene.Crop(xMM: (centre.x - windowMM.width / 2).rounded(), yMM: (centre.y - windowMM.height / 2).rounded(),
                          widthMM: windowMM.width, heightMM: windowMM.height)
    }

    /// Every map output of `scene`, the long view too: what a render wrote by default before the
    /// long view was made an output on request (the head views and the photo stay out, as a
    /// close-up leaves them).
    static func everyOutput(of scene: Scene) -> [String] {
        OutputSelection.names(sessions: scene.sessions.count, at: scene.render.at).filter { !$0.hasPrefix("view-") && !$0.hasPrefix("photo-") }
    }

    /// Renders the scene file at `url` small and returns the digest of every output, keyed by
    /// file name, plus the window it drew (`window`) and how many dots are in it (`dots in window`,
    /// which must not be 0: a window of bare skin would guard nothing of the pigment).
    static func digests(ofSceneAt url: URL) throws -> [String: String] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var scene = try Scene.load(yaml: text, file: url.lastPathComponent)
        let window = try window(for: scene)
        scene.render.pixelsPerMM = pixelsPerMM
        scene.render.crop = window
        scene.render.outputs = nil
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // One thread per scene: the scenes themselves are rendered side by side.
        let result = try SceneRendering(scene: scene, sceneText: text, threads: 1).render(into: folder, only: everyOutput(of: scene))
        var digests: [String: String] = [
            "window": "x \(window.xMM) y \(window.yMM) mm, \(window.widthMM) × \(window.heightMM) mm at \(pixelsPerMM) px/mm"
        ]
        for file in result.files {
            switch file.pathExtension {
            case "png": digests[file.lastPathComponent] = try digest(png: file)
            case "csv": digests[file.lastPathComponent] = try digest(file: file)
            default: continue   // report.json carries the software version: not a rendering result
            }
        }
        let csv = try String(contentsOf: folder.appendingPathComponent("dots.csv"), encoding: .utf8)
        let inWindow = csv.split(separator: "\n").dropFirst().filter { line in
            let fields = line.split(separator: ",")
            guard fields.count >= 3, let x = Double(fields[1]), let y = Double(fields[2]) else { return false }
            return x >= window.xMM && x < window.xMM + window.widthMM && y >= window.yMM && y < window.yMM + window.heightMM
        }.count
        digests["dots in window"] = String(inWindow)
        return digests
    }

    static func shippedScenes() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: packageRoot.appendingPathComponent("Scenes"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// What differs between the blessed digests and today's, one line per scene.
    static func differences(golden: [String: [String: String]], current: [String: [String: String]]) -> [String] {
        var lines: [String] = []
        for scene in Set(golden.keys).union(current.keys).sorted() {
            guard let old = golden[scene] else { lines.append("\(scene): new scene, no golden digests"); continue }
            guard let new = current[scene] else { lines.append("\(scene): blessed, but no longer in Scenes/"); continue }
            var parts: [String] = []
            let changed = old.keys.filter { new[$0] != nil && new[$0] != old[$0] }.sorted()
            let added = new.keys.filter { old[$0] == nil }.sorted(), removed = old.keys.filter { new[$0] == nil }.sorted()
            if !changed.isEmpty { parts.append("changed " + changed.joined(separator: ", ")) }
            if !added.isEmpty { parts.append("new " + added.joined(separator: ", ")) }
            if !removed.isEmpty { parts.append("gone " + removed.joined(separator: ", ")) }
            if !parts.isEmpty { lines.append("\(scene): " + parts.joined(separator: "; ")) }
        }
        return lines
    }

    @Test("every shipped scene's PNG pixels and dots.csv match the blessed digests")
    func shippedScenesMatchGoldens() async throws {
        let scenes = try Self.shippedScenes()
        #expect(scenes.count >= 13)
        let current = try await withThrowingTaskGroup(of: (String, [String: String]).self) { group in
            for url in scenes {
                group.addTask { (url.deletingPathExtension().lastPathComponent, try Self.digests(ofSceneAt: url)) }
            }
            var all: [String: [String: String]] = [:]
            for try await (name, digests) in group { all[name] = digests }
            return all
        }
        for (name, digests) in current.sorted(by: { $0.key < $1.key }) {
            #expect(digests["dots in window"] != "0", "\(name): the golden window \(digests["window"] ?? "") holds no dot")
        }
        if Self.isBlessing {
            let data = try JSONSerialization.data(withJSONObject: current, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try FileManager.default.createDirectory(at: Self.goldenFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try (data + Data("\n".utf8)).write(to: Self.goldenFile)
            return
        }
        let data = try Data(contentsOf: Self.goldenFile)
        let golden = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: String]])
        let lines = Self.differences(golden: golden, current: current)
        #expect(lines.isEmpty, """
            Outputs differ from the golden digests (\(Self.goldenFile.lastPathComponent)):
            \(lines.map { "  " + $0 }.joined(separator: "\n"))
            If the change is meant, re-bless them and commit the file: \(Self.blessCommand)
            (Only timeline.png changed, on another machine? Its labels depend on the FreeType and DejaVu versions.)
            """)
    }

    @Test("the difference report names each scene and output that changed, appeared or went")
    func differenceReport() {
        let golden = ["a": ["after.png": "1", "dots.csv": "2", "at-5y.png": "3"], "b": ["before.png": "4"], "gone": ["x.png": "5"]]
        let current = ["a": ["after.png": "9", "dots.csv": "2", "timeline.png": "6"], "b": ["before.png": "4"], "fresh": ["x.png": "5"]]
        #expect(Self.differences(golden: golden, current: current) == [
            "a: changed after.png; new timeline.png; gone at-5y.png",
            "fresh: new scene, no golden digests",
            "gone: blessed, but no longer in Scenes/",
        ])
        #expect(Self.differences(golden: golden, current: golden).isEmpty)
    }
}
