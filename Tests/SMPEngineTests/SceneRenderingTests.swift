import Foundation
import PNGIO
import Testing
@testable import SMPEngine

@Suite("Rendering a scene to PNG files")
struct SceneRenderingTests {
    /// A 24 × 16 mm close-up across the designed hairline of a Norwood 7 plan.
    static let scene = """
        name: small
        seed: 7
        hairLoss: { pattern: norwood7 }
        render: { pixelsPerMM: 10, crop: { xMM: -12, yMM: -80, widthMM: 24, heightMM: 16 } }
        """

    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("smp-tests-\(UUID().uuidString)")
    }

    @Test("the same scene and seed give byte-identical PNGs, dots.csv and report.json, whatever the thread count")
    func reproducible() throws {
        let scene = try Scene.load(yaml: Self.scene, file: "small.yaml")
        var images: [[String: Data]] = []
        for threads in [1, 4, 1] {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try SceneRendering(scene: scene, sceneText: Self.scene, threads: threads)
                .render(into: folder, only: GoldenDigestTests.everyOutput(of: scene))
            #expect(result.files.map(\.lastPathComponent) == ["before.png", "after.png", "session-1.png", "session-1-healed.png",
                                                             "session-2.png", "session-2-healed.png", "session-3.png",
                                                             "session-3-healed.png", "comparison.png", "density.png", "timeline.png", "outcome-range.png",
                                                             "distance.png", "forecast.png", "stencil.png", "stencil.pdf", "dots.csv",
                                                             "report.json"])
            images.append(Dictionary(uniqueKeysWithValues: try result.files.map { ($0.lastPathComponent, try Data(contentsOf: $0)) }))
        }
        #expect(images[0] == images[1])
        #expect(images[0] == images[2])
        #expect(images[0]["before.png"] != images[0]["after.png"])
        #expect(images[0]["report.json"] != nil && images[0]["report.json"] == images[1]["report.json"])
    }

    @Test("a second render into a folder being rendered into is refused; a killed render's temporary files are removed and listed")
    func outputFolder() throws {
        let scene = try Scene.load(yaml: Self.scene, file: "small.yaml")
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var held: OutputFolder? = try OutputFolder.claim(folder)
        let rendering = SceneRendering(scene: scene, sceneText: Self.scene, threads: 1)
        #expect(throws: OutputFolderError.busy(path: folder.path)) { try rendering.render(into: folder, only: ["before"]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        #expect(held != nil)
        held = nil
        // A temporary file of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max).
        let stale = ".before.png.tmp-smp-4194305-1f"
        try Data([1]).write(to: folder.appendingPathComponent(stale))
        let result = try rendering.render(into: folder, only: ["before"])
        #expect(result.removedStaleFiles == [stale])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["before.png"])
    }

    @Test("a render past a limit is refused before anything is written, naming the limit")
    func limits() throws {
        let scene = try Scene.load(yaml: Self.scene, file: "small.yaml")
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for kind in RenderLimits.Kind.allCases {
            var limits = RenderLimits()
            limits[kind] = 1
            let rendering = SceneRendering(scene: scene, sceneText: Self.scene, threads: 2, limits: limits)
            #expect(throws: RenderLimitError.self) {
                do { _ = try rendering.render(into: folder) } catch let error as RenderLimitError {
                    #expect(error.kind == kind && error.limit == 1 && error.estimate > 1)
                    throw error
                }
            }
            #expect(!FileManager.default.fileExists(atPath: folder.path))
        }
    }

    @Test("the images carry true scale, the scene's identity, and differ only where dots are")
    func contents() throws {
        let scene = try Scene.load(yaml: Self.scene, file: "small.yaml")
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rendering = SceneRendering(scene: scene, sceneText: Self.scene, threads: 2)
        _ = try rendering.render(into: folder)
        let before = try PNGReader.read(url: folder.appendingPathComponent("before.png"))
        let after = try PNGReader.read(url: folder.appendingPathComponent("after.png"))
        #expect(before.width == 240 && before.height == 160)
        #expect(before.pixelsPerMM == 10)
        let text = Dictionary(after.text.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(text["Software"] == SoftwareVersion.nameAndNumber)
        #expect(text["Scene"] == "small")
        #expect(text["Seed"] == "7")
        #expect(text["Scene hash"] == rendering.sceneHash)

        // After differs from before only within a component's footprint (3σ) of some dot, and
        // every dot darkens its own pixel.
        let skin = scene.skin.color
        let dots = try DotPlacement.dots(for: scene, on: ScalpMap(scene: scene)).filter {
            $0.xMM > -14 && $0.xMM < 14 && $0.yMM > -82 && $0.yMM < -62
        }
        let healedDay = try #require(TreatmentTime.healed.day(in: scene.sessions))
        let components = scene.pigment.components(of: dots, sessions: scene.sessions, atDay: healedDay)
        let pixelReach = 0.1 * 0.5.squareRoot()
        var changed = 0, changedAwayFromDots = 0
        var beforeSum = LinearRGB.zero
        for y in 0..<before.height {
            for x in 0..<before.width {
                let i = (y * before.width + x) * 4
                beforeSum += LinearRGB(SRGBTransfer.decode(before.pixels[i]), SRGBTransfer.decode(before.pixels[i + 1]),
                                       SRGBTransfer.decode(before.pixels[i + 2]))
                guard after.pixels[i..<(i + 3)] != before.pixels[i..<(i + 3)] else { continue }
                changed += 1
                let px = (Double(x) + 0.5) / 10 - 12, py = (Double(y) + 0.5) / 10 - 80
                if !components.contains(where: {
                    let reach = 3 * $0.sigmaMM + pixelReach
                    return ($0.xMM - px) * ($0.xMM - px) + ($0.yMM - py) * ($0.yMM - py) < reach * reach
                }) {
                    changedAwayFromDots += 1
                }
            }
        }
        #expect(changedAwayFromDots == 0)
        // Untreated skin (bald here, textured) averages to the skin preset in linear light.
        let mean = beforeSum / Float(before.width * before.height), preset = skin.linear
        let error = (mean - preset) / preset
        #expect(abs(error.x) < 0.015 && abs(error.y) < 0.015 && abs(error.z) < 0.015, "mean \(mean), preset \(preset)")
        #expect(changed >= 100)
        for dot in dots where dot.xMM > -12 && dot.xMM < 12 && dot.yMM > -80 && dot.yMM < -64 {
            let i = (Int((dot.yMM + 80) * 10) * after.width + Int((dot.xMM + 12) * 10)) * 4
            #expect(after.pixels[i] < before.pixels[i], "the dot at (\(dot.xMM), \(dot.yMM)) mm did not darken its pixel")
        }
    }

    @Test("a folder that cannot be created throws and leaves nothing")
    func unwritableFolder() throws {
        let scene = try Scene.load(yaml: Self.scene, file: "small.yaml")
        let file = temporaryFolder()
        try Data("not a folder".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: (any Error).self) {
            try SceneRendering(scene: scene, sceneText: Self.scene).render(into: file.appendingPathComponent("out"))
        }
    }

    @Test("a moment past the plan or an unknown output is the request's fault, named in the engine's own terms, before anything is written")
    func requestErrors() throws {
        let scene = try Scene.load(yaml: Self.scene, file: "small.yaml")
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rendering = SceneRendering(scene: scene, sceneText: Self.scene)
        #expect(throws: RenderRequestError.momentOutsidePlan(TreatmentTime("session:9")!, scene: "small", sessions: scene.sessions.count)) {
            try rendering.render(into: folder, after: TreatmentTime("session:9"))
        }
        let unknown = #expect(throws: RenderRequestError.self) { try rendering.render(into: folder, only: ["afterwards"]) }
        #expect(unknown.map { "\($0)" }?.hasPrefix("`afterwards` is not an output; allowed: before, after") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("the report, dots.csv and density.png are the same when no output needs the hair placed")
    func outputsWithoutHair() throws {
        let scene = try Scene.load(yaml: Self.scene, file: "small.yaml")
        let rendering = SceneRendering(scene: scene, sceneText: Self.scene, threads: 2)
        var files: [[String: Data]] = []
        var reports: [RenderReport] = []
        for only in [["report", "dots", "density"], ["report", "dots", "density", "before"]] {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try rendering.render(into: folder, only: only)
            files.append(Dictionary(uniqueKeysWithValues: try result.files.map { ($0.lastPathComponent, try Data(contentsOf: $0)) }))
            reports.append(try JSONDecoder().decode(RenderReport.self, from: Data(contentsOf: folder.appendingPathComponent("report.json"))))
        }
        #expect(files[0]["dots.csv"] != nil && files[0]["dots.csv"] == files[1]["dots.csv"])
        #expect(files[0]["density.png"] != nil && files[0]["density.png"] == files[1]["density.png"])
        #expect(files[1]["before.png"] != nil)
        #expect(reports[0].density == reports[1].density && reports[0].dotCount == reports[1].dotCount)
        #expect(reports[0].settings == reports[1].settings)
    }

    @Test("comparison, density, dots.csv and report.json describe the same render")
    func sideOutputs() throws {
        let scene = try Scene.load(yaml: Self.scene, file: "small.yaml")
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rendering = SceneRendering(scene: scene, sceneText: Self.scene, threads: 2)
        let result = try rendering.render(into: folder)
        let after = try PNGReader.read(url: folder.appendingPathComponent("after.png"))
        let comparison = try PNGReader.read(url: folder.appendingPathComponent("comparison.png"))
        #expect(comparison.width == 2 * after.width + 20 && comparison.height == after.height && comparison.pixelsPerMM == 10)
        // The right half is after.png, pixel for pixel; the left half is before.png.
        let before = try PNGReader.read(url: folder.appendingPathComponent("before.png"))
        for y in stride(from: 0, to: after.height, by: 7) {
            for x in stride(from: 0, to: after.width, by: 5) {
                #expect(comparison.pixel(x: x + after.width + 20, y: y) == after.pixel(x: x, y: y))
                #expect(comparison.pixel(x: x, y: y) == before.pixel(x: x, y: y))
            }
        }
        let density = try PNGReader.read(url: folder.appendingPathComponent("density.png"))
        #expect(density.pixelsPerMM == 2)
        let csv = try String(contentsOf: folder.appendingPathComponent("dots.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == result.dotCount + 1)
        #expect(csv.hasPrefix(DotTable.csvHeader + "\n"))
        let report = try JSONDecoder().decode(RenderReport.self, from: Data(contentsOf: folder.appendingPathComponent("report.json")))
        #expect(report.scene == "small" && report.seed == "7" && report.dotCount == result.dotCount)
        #expect(report.sceneHash == rendering.sceneHash && report.software == SoftwareVersion.nameAndNumber)
        #expect(report.images.map(\.name) == ["before", "after", "session-1", "session-1-healed", "session-2", "session-2-healed", "session-3",
                                             "session-3-healed", "comparison", "density", "timeline"])
        #expect(report.settings.widthPixels == after.width && report.settings.after == "healed")
        #expect(report.density.regions.count > 0 && result.timings.values.allSatisfy { $0.totalSeconds > 0 })
    }

    @Test("images written several at a time come back in order; after a failure none starts, and what was written is whole",
          arguments: [1, 2, 4])
    func imagesInFlight(threads: Int) throws {
        let scene = try Scene.load(yaml: Self.scene, file: "small.yaml")
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Image 2 is 0 × 0, which the PNG writer refuses.
        let sizes = [(30, 20), (31, 7), (0, 0), (12, 40), (5, 5), (64, 9), (8, 8), (9, 3)]
        let jobs = sizes.enumerated().map { index, size in
            SceneRendering.ImageJob(name: "image-\(index)", day: nil) { BandedPNGOutputTests.Pattern(widthPixels: size.0, heightPixels: size.1) }
        }
        let rendering = SceneRendering(scene: scene, sceneText: Self.scene, threads: threads)
        let outcomes = rendering.write(jobs, into: folder, text: [], progress: nil)
        #expect(outcomes.count == jobs.count)
        #expect(throws: PNGError.self) { try outcomes[2]?.get() }
        // Images start in order, so those that started are a prefix; one at a time, none starts
        // after the failure (several at a time, those already claimed still finish).
        let started = outcomes.indices.filter { outcomes[$0] != nil }
        #expect(started == Array(0..<started.count) && started.count >= 3)
        if rendering.imagesInFlight == 1 { #expect(started == [0, 1, 2]) }
        for index in started where index != 2 {
            let timings = try #require(try outcomes[index]?.get())
            #expect(timings.totalSeconds > 0)
            let image = try PNGReader.read(url: folder.appendingPathComponent("image-\(index).png"))
            #expect(image.width == sizes[index].0 && image.height == sizes[index].1)
            let (x, y) = (image.width - 1, image.height - 1)
            #expect(image.pixel(x: x, y: y) == SIMD4(UInt8(truncatingIfNeeded: y), UInt8(truncatingIfNeeded: y >> 8), UInt8(truncatingIfNeeded: x &* 7 &+ y), 255))
        }
        // Nothing else in the folder: no image that did not start, no temporary file.
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(written == started.filter { $0 != 2 }.map { "image-\($0).png" }.sorted())
    }
}
