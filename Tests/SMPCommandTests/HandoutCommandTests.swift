import ArgumentParser
import Foundation
import Testing
@testable import smp

/// `smp handout`: the page in --out, its PDF through headless Chromium, and the clear refusal
/// when Chromium is missing.
@Suite("smp handout")
struct HandoutCommandTests: TemporarySceneFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-handout-\(UUID().uuidString)")

    static var chromiumInstalled: Bool { (try? HeadlessChromium.find()) != nil }

    @Test("handout writes handout.html into --out, the same bytes twice, and nothing else")
    func page() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let out = folder.appendingPathComponent("out")
        var pages: [Data] = []
        for threads in ["1", "2"] {
            var command = try HandoutCommand.parse([scene, "--out", out.path, "--quiet", "--view-pixels", "64", "--threads", threads])
            try command.run()
            pages.append(try Data(contentsOf: out.appendingPathComponent("handout.html")))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["handout.html"])
        let same = pages[0] == pages[1]
        #expect(same, "handout.html differs between 1 and 2 threads")
        let html = String(decoding: pages[0], as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("Plan: <strong>cli</strong>"))
    }

    @Test("--pdf without Chromium on PATH is refused with the Debian package's name, exit 69, before any rendering")
    func chromiumMissing() throws {
        #expect(throws: HandoutError.self) { try HeadlessChromium.find(path: "/nonexistent:/also-nothing") }
        do {
            _ = try HeadlessChromium.find(path: "")
            Issue.record("found a Chromium on an empty PATH")
        } catch {
            let (message, code) = try #require(ExitStatus.report(error))
            #expect(code.rawValue == 69)
            #expect(message.contains("install the Debian package chromium"))
        }
        // In a real process: PATH without Chromium, nothing written.
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let out = folder.appendingPathComponent("out")
        let process = Process()
        process.executableURL = try SMPProcess.binary()
        process.arguments = ["handout", scene, "--out", out.path, "--pdf"]
        process.environment = ["PATH": folder.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 69)
        #expect(said.contains("chromium"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("--pdf prints handout.pdf with headless Chromium", .enabled(if: chromiumInstalled, "Chromium is not installed"))
    func pdf() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let out = folder.appendingPathComponent("out")
        var command = try HandoutCommand.parse([scene, "--out", out.path, "--quiet", "--view-pixels", "64", "--pdf"])
        try command.run()
        let pdf = try Data(contentsOf: out.appendingPathComponent("handout.pdf"))
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        #expect(pdf.count > 10_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["handout.html", "handout.pdf"])
    }
}
