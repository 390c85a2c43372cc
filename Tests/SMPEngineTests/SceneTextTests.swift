import Foundation
import Testing
@testable import SMPEngine

@Suite("Scene text: UTF-8 or the offset of the first bad byte")
struct SceneTextTests {
    @Test("valid UTF-8 decodes unchanged")
    func valid() throws {
        #expect(try SceneText.decode(Data("name: café ✓\n".utf8), file: "a.yaml") == "name: café ✓\n")
    }

    @Test("the first byte that is not UTF-8 is named with its offset, line and place in the line",
          arguments: [([0x6E, 0x61, 0xE9, 0x0A], 2, 1, 3), ([0x61, 0x0A, 0x62, 0x0A, 0xC3, 0xA9, 0xFF], 6, 3, 3),
                      ([0xC3], 0, 1, 1), ([0x61, 0xE2, 0x82], 1, 1, 2)])
    func invalid(bytes: [UInt8], offset: Int, line: Int, column: Int) {
        #expect(SceneText.firstInvalidUTF8Offset(Data(bytes)) == offset)
        do {
            _ = try SceneText.decode(Data(bytes), file: "a.yaml")
            Issue.record("decoded invalid UTF-8")
        } catch {
            #expect(error.description.contains("at byte offset \(offset) (line \(line), byte \(column) of the line)"), "\(error)")
        }
    }
}
