import ArgumentParser
import Foundation
import PNGIO
import Testing
@testable import smp

/// The command line's contract: exit codes, nothing written on an invalid scene, the dots CSV.
@Suite("smp commands")
struct CommandTests: TemporarySceneFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-cli-\(UUID().uuidString)")

    func exitCode(_ body: () throws -> Void) -> Int32? {
        do {
            try body()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            return nil
        }
    }

    @Test("validate exits 0 only when every file is valid, 65 when one is not, 66 when one is missing")
    func validate() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try write("good.yaml", Self.small)
        let bad = try write("bad.yaml", "name: bad\ndesign: { dotsPerCM2: -4 }")
        #expect(exitCode { let c = try ValidateCommand.parse([good]); try c.run() } == 0)
        #expect(exitCode { let c = try ValidateCommand.parse([good, bad]); try c.run() } == 65)
        #expect(exitCode { let c = try ValidateCommand.parse([good, folder.appendingPathComponent("missing.yaml").path]); try c.run() } == 66)
    }

    @Test("render on an invalid scene writes nothing and exits 65")
    func renderInvalid() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = try write("bad.yaml", "name: bad\nhairline: { style: jagged }")
        let out = folder.appendingPathComponent("out")
        #expect(exitCode { var c = try RenderCommand.parse([bad, "--out", out.path, "--quiet"]); try c.run() } == 65)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("render writes the images into --out")
    func render() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let out = folder.appendingPathComponent("out")
        #expect(exitCode { var c = try RenderCommand.parse([scene, "--out", out.path, "--quiet", "--threads", "2"]); try c.run() } == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        // The everyday outputs; the long view and the stencil only when named.
        #expect(files == ["after.png", "before.png", "comparison.png", "density.png", "dots.csv", "report.json",
                          "session-1-healed.png", "session-1.png",
                          "session-2-healed.png", "session-2.png", "session-3-healed.png", "session-3.png", "timeline.png"])
        let outlook = folder.appendingPathComponent("outlook")
        #expect(exitCode { var c = try RenderCommand.parse([scene, "--out", outlook.path, "--quiet", "--threads", "2", "--only", "outlook,stencil"]); try c.run() } == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outlook.path).sorted()
            == ["distance.png", "forecast.png", "outcome-range.png", "stencil.pdf", "stencil.png"])
    }

    @Test("bad options are usage errors")
    func usage() {
        #expect(throws: (any Error).self) { try RenderCommand.parse(["--threads", "0"]) }
        #expect(throws: (any Error).self) { try DotsCommand.parse(["x.yaml", "--format", "xml"]) }
    }

    @Test("the dots CSV starts with the contract's columns, one row per dot")
    func dotsCSV() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let csv = try DotsCommand.parse([scene]).csv()
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "session,x_mm,y_mm,spacing_mm,diameter_mm")
        #expect(lines.count > 1000)
        let row = lines[1].split(separator: ",")
        #expect(row.count == 5 && Int(row[0]) == 1 && row[1...].allSatisfy { Double($0) != nil })
        let second = try DotsCommand.parse([scene, "--session", "2"]).csv().split(separator: "\n")
        #expect(second.dropFirst().allSatisfy { $0.hasPrefix("2,") })
        #expect(exitCode { var c = try DotsCommand.parse([scene, "--session", "9"]); try c.run() } == ExitCode.validationFailure.rawValue)
    }

    @Test("plan lists every session with growing cumulative dots and densities")
    func plan() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let rows = try PlanCommand.parse([scene]).rows()
        #expect(rows.map(\.session) == [1, 2, 3])
        #expect(rows.map(\.day) == [0, 14, 28])
        #expect(rows[0].newDots > 0 && rows[2].cumulativeDots == rows.reduce(0) { $0 + $1.newDots })
        let midScalp = rows.compactMap { $0.dotsPerCM2["midScalp"] }
        #expect(midScalp.count == 3 && midScalp[0] < midScalp[1] && midScalp[1] < midScalp[2])
        #expect(abs(rows[2].impressionDiameterMM - 0.20) < 1e-12)
    }

    @Test("--only renders just the named outputs; an unknown name is a usage error (64), refused before writing")
    func only() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", """
            name: cli
            seed: 3
            hairLoss: { pattern: norwood7 }
            render: { pixelsPerMM: 5, crop: { xMM: -10, yMM: -80, widthMM: 20, heightMM: 10 }, at: ["5y"] }
            """)
        let out = folder.appendingPathComponent("out")
        #expect(exitCode { var c = try RenderCommand.parse([scene, "--out", out.path, "--quiet", "--only", "after,session-2"]); try c.run() } == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["after.png", "session-2.png"])
        let other = folder.appendingPathComponent("other")
        #expect(exitCode { var c = try RenderCommand.parse([scene, "--out", other.path, "--quiet", "--only", "afterwards"]); try c.run() } == 64)
        #expect(!FileManager.default.fileExists(atPath: other.path))
    }

    @Test("--at naming a session the plan lacks is a usage error (64), refused before writing")
    func atMissingSession() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let out = folder.appendingPathComponent("out")
        #expect(exitCode { let c = try RenderCommand.parse([scene, "--out", out.path, "--quiet", "--at", "session:9"]); try c.run() } == 64)
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(exitCode { let c = try RenderCommand.parse([scene, "--out", out.path, "--quiet", "--at", "session:3+7d", "--only", "after"]); try c.run() } == 0)
    }

    @Test("the progress line lists every output under way, in the order they started, and drops finished ones")
    func progressLine() {
        let line = RenderProgressLine(scene: "demo")
        #expect(line.update("before", 0.25) == "demo: before 25 %")
        #expect(line.update("after", 0.1) == "demo: before 25 %, after 10 %")
        #expect(line.update("before", 0.5) == "demo: before 50 %, after 10 %")
        #expect(line.update("before", 1) == "demo: after 10 %")
        #expect(line.update("session-1", 0) == "demo: after 10 %, session-1 0 %")
        #expect(line.update("after", 1) == "demo: session-1 0 %")
        #expect(line.update("session-1", 1) == "demo: session-1 100 %")
        #expect(line.update("dots", 0) == "demo: dots 0 %")
    }

    @Test("a render stopped by SIGTERM (or Ctrl-C) exits 128 + the signal, leaves no temporary file, and every PNG left is whole")
    func interruptedRender() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = try SMPProcess.binary()
        let out = folder.appendingPathComponent("out")
        let scene = try write("wide.yaml", """
            name: wide
            seed: 5
            hairLoss: { pattern: norwood7 }
            render: { pixelsPerMM: 12 }
            """)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["render", scene, "--out", out.path, "--quiet", "--threads", "2"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        func temporaryFiles() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter { $0.contains(".tmp-") }
        }
        // Stopped while an image is being written. SIGTERM, as `kill` sends: this test runner
        // starts its children with SIGINT ignored, which smp then leaves ignored.
        let deadline = Date().addingTimeInterval(60)
        while temporaryFiles().isEmpty && process.isRunning && Date() < deadline { usleep(2_000) }
        try #require(process.isRunning, "the render ended before it could be interrupted")
        #expect(!temporaryFiles().isEmpty)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGTERM)
        #expect(temporaryFiles().isEmpty)
        let pngs = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".png") }
        #expect(pngs.count < 7, "the render finished: \(pngs)")
        for png in pngs { _ = try PNGReader.read(url: out.appendingPathComponent(png)) }
    }
}
