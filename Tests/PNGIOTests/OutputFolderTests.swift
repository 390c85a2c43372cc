import Foundation
import Testing
@testable import PNGIO

@Suite("Output folders: created, locked, cleared of stale temporary files")
struct OutputFolderTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("smp-folder-\(UUID().uuidString)")

    @Test("a folder is created with its parents; a file on the way is named in the error")
    func creation() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = root.appendingPathComponent("a/b/c")
        _ = try OutputFolder.claim(nested)
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested.path, isDirectory: &isFolder) && isFolder.boolValue)
        let file = root.appendingPathComponent("file")
        try Data().write(to: file)
        #expect(throws: OutputFolderError.cannotCreate(path: file.appendingPathComponent("x").path, reason: "'\(file.path)' is a file, not a folder")) {
            try OutputFolder.claim(file.appendingPathComponent("x"))
        }
    }

    @Test("the lock is held as long as the claim lives, against a second claim in the same process too")
    func lock() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var first: OutputFolder? = try OutputFolder.claim(root)
        #expect(throws: OutputFolderError.busy(path: root.path)) { try OutputFolder.claim(root) }
        #expect(first != nil)
        first = nil
        _ = try OutputFolder.claim(root)
    }

    @Test("stale: a dead owner's file, or another live process's file older than this process; never this process's own or other names")
    func staleness() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        let before = start.addingTimeInterval(-10), after = start.addingTimeInterval(10)
        let me = getpid()
        func stale(_ name: String, _ modified: Date, alive: Bool) -> Bool {
            UnfinishedFiles.isStale(name: name, modified: modified, processStart: start, isAlive: { _ in alive })
        }
        #expect(stale(".after.png.tmp-smp-123-abc", after, alive: false))
        #expect(!stale(".after.png.tmp-smp-123-abc", after, alive: true))
        #expect(stale(".after.png.tmp-smp-123-abc", before, alive: true))
        #expect(!stale(".after.png.tmp-smp-\(me)-abc", before, alive: false))
        // The form written before process ids were in the name: by age alone.
        #expect(stale(".after.png.tmp-9f3a", before, alive: true))
        #expect(!stale(".after.png.tmp-9f3a", after, alive: false))
        for name in ["after.png", ".after.png", "after.png.tmp-smp-123-abc", ".tmp-smp-123-abc", ".a.tmp-smp-x-abc",
                     ".a.tmp-smp-123-xyz", ".a.tmp-zz", ".a.tmp-", ".a.tmp-smp-123"] {
            #expect(!stale(name, before, alive: false), "\(name)")
        }
    }

    @Test("claiming a folder removes the stale files there and lists them, and leaves everything else")
    func removal() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let dead = ".a.png.tmp-smp-4194305-1f", old = ".b.png.tmp-7e", keep = ["a.png", ".hidden", ".c.png.tmp-smp-\(getpid())-2"]
        for name in [dead, old] + keep { try Data([0]).write(to: root.appendingPathComponent(name)) }
        let past = Date().addingTimeInterval(-86_400 * 365 * 40)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: root.appendingPathComponent(old).path)
        let claimed = try OutputFolder.claim(root)
        #expect(claimed.removedStaleFiles == [dead, old])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == keep.sorted())
    }
}
