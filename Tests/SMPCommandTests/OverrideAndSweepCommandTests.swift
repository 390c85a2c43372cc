import ArgumentParser
import Foundation
import PNGIO
import SMPEngine
import Testing
@testable import smp

/// `--set` on the commands that read a scene, and `smp sweep`, through their command lines.
@Suite("--set and sweep on the command line")
struct OverrideAndSweepCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-set-\(UUID().uuidString)")

    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static let small = CommandTests.small

    /// The exit code of parsing and running `command` with `arguments`, as `smp` would exit.
    func exitCode(_ command: any ParsableCommand.Type, _ arguments: [String]) -> Int32 {
        do {
            var parsed = try command.parseAsRoot(arguments)
            try parsed.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            if let (_, code) = ExitStatus.report(error) { return code.rawValue }
            return SMPCommand.exitCode(for: error).rawValue
        }
    }

    @Test("malformed --set is a usage error (64) on every command that reads a scene",
          arguments: [["--set", "nothing"], ["--set", "=1"], ["--set", "sessions[x].day=1"]])
    func malformedSet(set: [String]) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let commands: [any ParsableCommand.Type] = [RenderCommand.self, PlanCommand.self, StatsCommand.self, DotsCommand.self,
                                                   ValidateCommand.self, SweepCommand.self]
        for command in commands {
            let extra = command == SweepCommand.self ? ["--vary", "seed=1,2"] : []
            #expect(exitCode(command, [scene] + set + extra) == 64, "\(command)")
        }
    }

    @Test("sweep --at naming a session the plans lack is a usage error (64), not a scene error")
    func sweepMomentOutsideAVariedPlan() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let out = folder.appendingPathComponent("sweep").path
        #expect(exitCode(SweepCommand.self, [scene, "--vary", "seed=1,2", "--at", "session:9", "--out", out]) == 64)
        let moment = TreatmentTime("session:9")!
        let error = RenderRequestError.momentOutsidePlan(moment, scene: "cli.yaml", sessions: 3)
        #expect(ExitStatus.report(error)?.message == "--at: \(moment) names a session the plan of cli.yaml does not have (it has sessions 1 to 3)")
        #expect(ExitStatus.report(error)?.code == ExitStatus.usage)
    }

    @Test("a bad --set value exits 65, a good one changes what the command computes")
    func badAndGoodValues() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        #expect(exitCode(ValidateCommand.self, [scene, "--set", "design.dotsPerCM2=500"]) == 65)
        #expect(exitCode(ValidateCommand.self, [scene, "--set", "design.dotsPerCM2=50"]) == 0)
        let plain = try DotsCommand.parse([scene]).csv()
        let sparse = try DotsCommand.parse([scene, "--set", "design.dotsPerCM2=40"]).csv()
        #expect(sparse.split(separator: "\n").count < plain.split(separator: "\n").count * 3 / 4)
    }

    @Test("render --set writes the overridden scene's hash into the PNGs")
    func renderHash() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        func hash(_ extra: [String]) throws -> String? {
            let out = folder.appendingPathComponent("out-\(extra.count)")
            #expect(exitCode(RenderCommand.self, [scene, "--out", out.path, "--quiet", "--only", "before"] + extra) == 0)
            return try PNGReader.read(url: out.appendingPathComponent("before.png")).text.first { $0.key == "Scene hash" }?.value
        }
        let plain = try hash([]), overridden = try hash(["--set", "design.dotsPerCM2=50"])
        #expect(plain != nil && overridden != nil && plain != overridden)
        let expected = SceneRendering(scene: try Scene.load(yaml: Self.small, file: scene),
                                      sceneText: SceneOverride.annotated(Self.small, with: [try SceneOverride(parsing: "design.dotsPerCM2=50")])).sceneHash
        #expect(overridden == expected)
    }

    @Test("sweep refuses too many combinations (64) and a bad value (65) before writing anything")
    func sweepRefusals() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let out = folder.appendingPathComponent("sweep")
        #expect(exitCode(SweepCommand.self, [scene, "--out", out.path, "--vary", "design.dotsPerCM2=1,2,3,4,5,6,7", "--vary", "seed=1,2,3,4,5,6"]) == 64)
        #expect(exitCode(SweepCommand.self, [scene, "--out", out.path]) == 64)
        #expect(exitCode(SweepCommand.self, [scene, "--out", out.path, "--vary", "seed=1,2", "--crop", "1,2,3"]) == 64)
        #expect(exitCode(SweepCommand.self, [scene, "--out", out.path, "--vary", "design.dotsPerCM2=60,900"]) == 65)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("sweep writes sweep.png and sweep.json into --out")
    func sweepWrites() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let out = folder.appendingPathComponent("sweep")
        #expect(exitCode(SweepCommand.self, [scene, "--out", out.path, "--quiet", "--vary", "design.dotsPerCM2=60,120",
                                             "--crop", "-5,-80,10,10", "--set", "seed=4"]) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["sweep.json", "sweep.png"])
        let report = try JSONDecoder().decode(SweepReport.self, from: Data(contentsOf: out.appendingPathComponent("sweep.json")))
        #expect(report.panels.count == 2 && report.overrides == ["seed=4"])
        #expect(report.windowWidthMM == 10 && report.windowXMM == -5)
    }
}
