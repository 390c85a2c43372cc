import Foundation
import PNGIO
import Testing
@testable import SMPEngine

@Suite("Banded PNG output")
struct BandedPNGOutputTests {
    /// Every pixel a function of its row and column, so any band written twice, skipped or out
    /// of order shows in the file.
    struct Pattern: RowImage {
        let widthPixels: Int
        let heightPixels: Int
        var pixelsPerMM: Double? { 10 }

        func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
            for row in rows {
                for column in 0..<widthPixels {
                    let offset = (row - rows.lowerBound) * rowStride + 3 * column
                    output[offset] = UInt8(truncatingIfNeeded: row)
                    output[offset + 1] = UInt8(truncatingIfNeeded: row >> 8)
                    output[offset + 2] = UInt8(truncatingIfNeeded: column &* 7 &+ row)
                }
            }
        }
    }

    @Test("every row arrives once and in order, whatever the height and the thread count",
          arguments: [1, 5, 16, 17, 33, 301], [1, 2, 3, 8])
    func rowsInOrder(height: Int, threads: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-banded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("pattern.png")
        let image = Pattern(widthPixels: 13, heightPixels: height)
        _ = try BandedPNGOutput.write(image, to: url, threads: threads, software: "test", text: [], compression: .fast)
        let read = try PNGReader.read(url: url)
        #expect(read.width == 13 && read.height == height)
        var wrong = 0
        for row in 0..<height {
            for column in 0..<13 {
                let offset = (row * 13 + column) * 4
                let expected = [UInt8(truncatingIfNeeded: row), UInt8(truncatingIfNeeded: row >> 8), UInt8(truncatingIfNeeded: column &* 7 &+ row)]
                if Array(read.pixels[offset..<(offset + 3)]) != expected { wrong += 1 }
            }
        }
        #expect(wrong == 0)
    }
}
