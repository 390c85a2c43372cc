import Foundation
import Testing

/// `.ci/check-dependencies`, the check that the engine's stage folders only look down the
/// pipeline: run on small fake trees whose answer is known, and on the package itself.
@Suite("Stage dependency check")
struct StageDependencyTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent(".ci/check-dependencies")

    /// A fake package: one file per stage, each declaring one top-level type, plus `extra`
    /// (path under Sources/SMPEngine → text) and an exception list.
    struct FakeTree {
        let root: URL
        init(extra: [String: String] = [:], exceptions: String = "") throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("smp-deps-\(UUID().uuidString)")
            var files = [
                "Scene/Scene.swift": "public struct Scene { var head: Int }\n",
                "Scalp/ScalpMap.swift": "struct ScalpMap { init(scene: Scene) {} }\n",
                "Treatment/DotPlacement.swift": "enum DotPlacement { static func dots(_ map: ScalpMap) {} }\n",
                "Pigment/PigmentModel.swift": "struct PigmentModel { let placement: DotPlacement? = nil }\n",
                "Render/MapRenderer.swift": "struct InkDot {}\nstruct MapRenderer { struct Crop {}; var model: PigmentModel }\n",
                "Pipeline/SceneRendering.swift": "struct SceneRendering { var renderer: MapRenderer; var scene: Scene }\n",
            ]
            files.merge(extra) { $1 }
            for (path, text) in files {
                let url = root.appendingPathComponent("Sources/SMPEngine/\(path)")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            try Data(exceptions.utf8).write(to: root.appendingPathComponent("exceptions.txt"))
        }

        /// The script's exit status and standard output.
        func check() throws -> (status: Int32, output: String) {
            try StageDependencyTests.run(root: root, exceptions: root.appendingPathComponent("exceptions.txt"))
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func run(root: URL, exceptions: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--root", root.path] + (exceptions.map { ["--exceptions", $0.path] } ?? [])
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("a tree whose stages only look down passes")
    func clean() throws {
        let tree = try FakeTree()
        defer { tree.remove() }
        let (status, output) = try tree.check()
        #expect(status == 0, "\(output)")
    }

    @Test("a stage naming a later stage's type fails, with the file, line and type",
          arguments: [
              ("Scene/Scene+Loading.swift", "extension Scene {\n    func ink() -> [InkDot] { [] }\n}\n", "Scene/Scene+Loading.swift:2: Scene names `InkDot`"),
              ("Scalp/Hairline.swift", "struct Hairline { var rate = PigmentModel() }\n", "Scalp/Hairline.swift:1: Scalp names `PigmentModel`"),
              ("Treatment/Report.swift", "extension MapRenderer {}\n", "Treatment/Report.swift:1: Treatment names `MapRenderer`"),
              ("Scene/Text.swift", "let label = \"in \\(MapRenderer.self)\"\n", "Scene/Text.swift:1: Scene names `MapRenderer`"),
              ("Render/Output.swift", "func write(_ r: SceneRendering) {}\n", "Render/Output.swift:1: Render names `SceneRendering`"),
          ])
    func injectedViolation(path: String, text: String, expected: String) throws {
        let tree = try FakeTree(extra: [path: text])
        defer { tree.remove() }
        let (status, output) = try tree.check()
        #expect(status == 1)
        #expect(output.contains("Sources/SMPEngine/\(expected)"), "\(output)")
    }

    @Test("names in comments, in string text, after a dot, and nested types are not uses")
    func notUses() throws {
        let tree = try FakeTree(extra: ["Scene/SceneText.swift": """
            /// Rendered by `MapRenderer`, /* InkDot */ nested /* comments /* InkDot */ too */
            let help = "MapRenderer and InkDot \\("x".count) \\"InkDot\\""
            let block = \"\"\"
                InkDot "MapRenderer"
                \"\"\"
            struct Options { var crop: Crop?; var depth = Swift.Int.zero; var m = Something.MapRenderer }
            """])
        defer { tree.remove() }
        let (status, output) = try tree.check()
        #expect(status == 0, "\(output)")
    }

    @Test("a listed violation passes; a listed one that no longer exists fails, so the list only shrinks")
    func exceptionList() throws {
        let violation = ["Pigment/PigmentModel.swift": "struct PigmentModel { func dots() -> [InkDot] { [] } }\n"]
        let line = "Sources/SMPEngine/Pigment/PigmentModel.swift: InkDot  # returns Render's InkDot; issue 17\n"
        let listed = try FakeTree(extra: violation, exceptions: "# known\n" + line)
        defer { listed.remove() }
        #expect(try listed.check().status == 0)

        let fixed = try FakeTree(exceptions: line)
        defer { fixed.remove() }
        let (status, output) = try fixed.check()
        #expect(status == 1)
        #expect(output.contains("exceptions.txt:1: `Sources/SMPEngine/Pigment/PigmentModel.swift: InkDot` is no longer a violation"),
                "\(output)")
    }

    @Test("the package itself passes with its exception list")
    func package() throws {
        let (status, output) = try Self.run(root: Self.packageRoot)
        #expect(status == 0, "\(output)")
    }
}
