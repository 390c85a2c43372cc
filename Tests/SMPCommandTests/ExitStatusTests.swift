import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The exit statuses and messages of faults only a real process shows: standard output that
/// cannot be written, output folders that cannot be, bad options, a render killed with SIGKILL,
/// two renders into one folder. Each runs the built `smp` binary.
@Suite("smp exit statuses, as a process")
struct ExitStatusTests: TemporarySceneFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-exit-\(UUID().uuidString)")

    /// A render that takes a few seconds: long enough to be caught in the middle.
    static let wide = """
        name: wide
        seed: 5
        hairLoss: { pattern: norwood7 }
        render: { pixelsPerMM: 12 }
        """

    @Test("every command whose standard output is /dev/full exits 74 and says why, instead of crashing or exiting 0",
          arguments: [["dots"], ["plan"], ["stats"], ["validate"], ["presets"], ["render", "--out"], ["--help"], ["--version"]])
    func fullStandardOutput(command: [String]) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        var arguments = command
        if command.first == "render" {
            arguments = ["render", scene, "--out", folder.appendingPathComponent("out").path, "--threads", "2"]
        } else if !command[0].hasPrefix("-") && command[0] != "presets" {
            arguments.append(scene)
        }
        let outcome = try SMPProcess.run(arguments, standardOutputPath: "/dev/full")
        #expect(outcome.status == 74, "\(arguments): \(outcome.standardError)")
        #expect(outcome.standardError.contains("cannot write to standard output: No space left on device"))
    }

    @Test("an --out that cannot be a folder exits 73 naming the path and the reason in words")
    func unusableOutputFolder() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let file = try write("afile", "")
        let cases: [(out: String, says: String)] = [
            (file, "'\(file)' is a file, not a folder"),
            (file + "/sub", "'\(file)' is a file, not a folder"),
            ("/proc/smp-no-such/sub", "cannot create the folder '/proc/smp-no-such': No such file or directory"),
        ]
        for (out, says) in cases {
            let outcome = try SMPProcess.run(["render", scene, "--out", out, "--quiet"])
            #expect(outcome.status == 73, "\(out): \(outcome.standardError)")
            #expect(outcome.standardError.contains("cannot write into the output folder '\(out)': \(says)"), "\(outcome.standardError)")
            #expect(!outcome.standardError.contains("NSCocoaErrorDomain"))
        }
    }

    @Test("a folder given as the scene exits 66 and says it is a folder")
    func folderAsScene() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try write("cli.yaml", Self.small)
        let outcome = try SMPProcess.run(["validate", folder.path])
        #expect(outcome.status == 66)
        #expect(outcome.standardError.contains("\(folder.path): cannot read the scene file: it is a folder"), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("NSCocoaErrorDomain"))
    }

    @Test("a scene that is not UTF-8 exits 66 naming the byte offset of the first bad byte")
    func notUTF8() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("latin1.yaml")
        try Data("name: a\nnotes: caf".utf8 + [0xE9] + Data("\n".utf8)).write(to: path)
        let outcome = try SMPProcess.run(["validate", path.path])
        #expect(outcome.status == 66)
        #expect(outcome.standardError.contains("not UTF-8 text: byte 0xE9 at byte offset 18 (line 2, byte 11 of the line)"), "\(outcome.standardError)")
    }

    @Test("bad render options exit 64 with a message naming the option",
          arguments: [(["--only", "bogus"], "--only: `bogus` is not an output"), (["--only", ",,"], "--only ,,: an empty output name"),
                      (["--threads", "-3"], "--threads must be 1 to 256, got -3"), (["--px-per-mm", "-1"], "--px-per-mm must be 1 to 200, got -1"),
                      (["--max-dots", "10"], "add --max-dots")])
    func badOptions(options: [String], says: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        let out = folder.appendingPathComponent("out")
        let outcome = try SMPProcess.run(["render", scene, "--out", out.path, "--quiet"] + options)
        #expect(outcome.status == 64, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(says), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("Missing value"))
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written on a usage error")
    }

    @Test("--timings prints each image's times on standard error; report.json has none, and is the same for 1 and 2 threads")
    func timings() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        var reports: [Data] = []
        for threads in ["1", "2"] {
            let out = folder.appendingPathComponent("out-\(threads)")
            let outcome = try SMPProcess.run(["render", scene, "--out", out.path, "--quiet", "--threads", threads, "--timings", "--only", "before,report"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(outcome.standardError.contains("before: render "), "\(outcome.standardError)")
            reports.append(try Data(contentsOf: out.appendingPathComponent("report.json")))
        }
        #expect(reports[0] == reports[1])
        let report = String(decoding: reports[0], as: UTF8.self)
        #expect(!report.contains("Seconds") && !report.contains("threads"))
    }

    /// The hidden temporary files in `out`.
    func temporaryFiles(_ out: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter { $0.contains(".tmp-") }
    }

    /// Starts the wide render into `out` and waits until it is writing an image.
    func renderCaughtWriting(into out: URL) throws -> (Process, () -> SMPProcess.Outcome) {
        let scene = try write("wide.yaml", Self.wide)
        let started = try SMPProcess.start(["render", scene, "--out", out.path, "--quiet", "--threads", "2"])
        let deadline = Date().addingTimeInterval(60)
        while temporaryFiles(out).isEmpty && started.0.isRunning && Date() < deadline { usleep(2_000) }
        try #require(started.0.isRunning, "the render ended before it could be caught")
        return started
    }

    @Test("a render killed with SIGKILL leaves temporary files named for it; the next render into the folder removes them and says so")
    func killedRenderCleanedUp() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let (process, finish) = try renderCaughtWriting(into: out)
        kill(process.processIdentifier, SIGKILL)
        #expect(finish().status == 128 + SIGKILL)
        let left = temporaryFiles(out)
        #expect(!left.isEmpty)
        #expect(left.allSatisfy { $0.hasPrefix(".") && $0.contains(".tmp-smp-\(process.processIdentifier)-") }, "\(left)")

        let scene = try write("cli.yaml", Self.small)
        let next = try SMPProcess.run(["render", scene, "--out", out.path, "--only", "before"])
        #expect(next.status == 0, "\(next.standardError)")
        #expect(next.standardError.contains("removed \(left.count) temporary file"), "\(next.standardError)")
        #expect(left.allSatisfy { next.standardError.contains($0) })
        #expect(temporaryFiles(out).isEmpty)
    }

    @Test("a second render into a folder another render is writing is refused with exit 75, and leaves the first one's files alone")
    func secondRenderRefused() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let (process, finish) = try renderCaughtWriting(into: out)
        let scene = try write("cli.yaml", Self.small)
        let second = try SMPProcess.run(["render", scene, "--out", out.path, "--quiet"])
        let stillRunning = process.isRunning
        process.terminate()
        _ = finish()
        try #require(stillRunning, "the first render ended before the second was refused")
        #expect(second.status == 75, "\(second.standardError)")
        #expect(second.standardError.contains("the output folder '\(out.path)' is in use by another smp render"))
        #expect(!second.standardError.contains("removed"))
        // Once the first has stopped, the folder is free.
        let third = try SMPProcess.run(["render", scene, "--out", out.path, "--quiet", "--only", "before"])
        #expect(third.status == 0, "\(third.standardError)")
    }

    @Test("smp serve on a port another program listens on exits 69, naming the address and --port")
    func servePortInUse() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = try write("cli.yaml", Self.small)
        // A listening socket of this process holds a free port the system picks.
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && listen(socket, 1) == 0
                && getsockname(socket, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let outcome = try SMPProcess.run(["serve", scene, "--port", "\(port)", "--threads", "1"])
        #expect(outcome.status == 69, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("cannot listen on 127.0.0.1:\(port): the port is in use"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("pass --port"))
        #expect(!outcome.standardError.contains("internal error"))
    }
}
