import Foundation
@testable import PNGIO
import Testing

@Suite("AtomicFile")
struct AtomicFileTests {
    private func put(_ text: String, in file: AtomicFile) {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(file.fileDescriptor, $0.baseAddress, $0.count) }
        #expect(written == bytes.count)
    }

    @Test("the temporary file is hidden in the destination folder; commit renames it into place")
    func commit() throws {
        try withTemporaryDirectory { folder throws in
            let destination = folder.appendingPathComponent("report.json")
            let file = try AtomicFile(destination: destination)
            #expect(file.temporaryURL.deletingLastPathComponent().path == folder.path)
            #expect(file.temporaryURL.lastPathComponent.hasPrefix(".report.json.tmp-"))
            put("{}", in: file)
            #expect(try folderContents(folder) == [file.temporaryURL.lastPathComponent])
            try file.commit()
            #expect(try folderContents(folder) == ["report.json"])
            #expect(try String(contentsOf: destination, encoding: .utf8) == "{}")
            #expect(throws: PNGError.self) { try file.commit() }
        }
    }

    @Test("two files for one destination get different temporary names")
    func distinctNames() throws {
        try withTemporaryDirectory { folder throws in
            let destination = folder.appendingPathComponent("a.png")
            let first = try AtomicFile(destination: destination)
            let second = try AtomicFile(destination: destination)
            #expect(first.temporaryURL != second.temporaryURL)
            first.discard()
            second.discard()
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("discard, and deinit without commit, remove the temporary file")
    func discard() throws {
        try withTemporaryDirectory { folder throws in
            let destination = folder.appendingPathComponent("a.png")
            let file = try AtomicFile(destination: destination)
            put("x", in: file)
            file.discard()
            file.discard()
            #expect(try folderContents(folder).isEmpty)
            #expect(throws: PNGError.self) { try file.commit() }
            do {
                let dropped = try AtomicFile(destination: destination)
                put("y", in: dropped)
                #expect(try folderContents(folder).count == 1)
            }
            #expect(try folderContents(folder).isEmpty)
        }
    }

    @Test("a missing folder and a file in the path are explained")
    func creationErrors() throws {
        try withTemporaryDirectory { folder throws in
            let missing = #expect(throws: PNGError.self) {
                _ = try AtomicFile(destination: folder.appendingPathComponent("none/a.png"))
            }
            #expect(missing?.description.contains("does not exist") == true)
            try Data().write(to: folder.appendingPathComponent("file"))
            let notFolder = #expect(throws: PNGError.self) {
                _ = try AtomicFile(destination: folder.appendingPathComponent("file/a.png"))
            }
            #expect(notFolder?.description.contains("is a file, not a folder") == true)
            #expect(try folderContents(folder) == ["file"])
        }
    }

    @Test("AtomicFileOutput writes a whole file and nothing else; a missing folder is an error that leaves nothing")
    func wholeFileOutput() throws {
        try withTemporaryDirectory { folder throws in
            let destination = folder.appendingPathComponent("dots.csv")
            let text = String(repeating: "1,2.5,3.25,0.9,0.25\n", count: 20_000)
            try AtomicFileOutput.write(Data(text.utf8), to: destination)
            #expect(try folderContents(folder) == ["dots.csv"])
            #expect(try String(contentsOf: destination, encoding: .utf8) == text)
            try AtomicFileOutput.write(Data("replaced".utf8), to: destination)
            #expect(try String(contentsOf: destination, encoding: .utf8) == "replaced")
            let missing = folder.appendingPathComponent("no such folder/report.json")
            #expect(throws: PNGError.self) { try AtomicFileOutput.write(Data("{}".utf8), to: missing) }
            #expect(try folderContents(folder) == ["dots.csv"])
        }
    }
}
