import Dispatch
import Foundation
import PNGIO

/// How one image was produced, for report.json and the benchmarks.
public struct ImageTimings: Sendable, Codable, Equatable {
    public var renderSeconds: Double
    public var encodeSeconds: Double
    public var totalSeconds: Double
}

/// Writes a `MapRenderer`'s image to a PNG in horizontal bands: a batch of bands is rendered in
/// parallel (one task per thread) while the previous batch is being encoded, and bands reach
/// the streaming writer in order. Memory grows with the image width, not its area; each pixel
/// is computed on its own, so the bytes do not depend on the thread count.
public enum BandedPNGOutput {
    public static let bandHeight = 16

    public static func write<Image: RowImage>(_ renderer: Image, to url: URL, threads: Int, software: String,
                                              text: [PNGTextChunk], compression: PNGCompression,
                                              progress: (@Sendable (Double) -> Void)? = nil) throws -> ImageTimings {
        let start = DispatchTime.now()
        let width = renderer.widthPixels, height = renderer.heightPixels
        let writer = try PNGWriter(url: url, width: width, height: height, format: .rgb8,
                                   pixelsPerMM: renderer.pixelsPerMM, software: software, text: text,
                                   compression: compression)
        let threadCount = max(1, threads)
        let rowsPerBatch = bandHeight * threadCount * 2
        let bytesPerRow = width * 3
        let buffers = [BandBuffer(byteCount: rowsPerBatch * bytesPerRow), BandBuffer(byteCount: rowsPerBatch * bytesPerRow)]
        defer { buffers.forEach { $0.deallocate() } }
        let renderClock = RenderClock()

        /// Renders rows [first, first + rowsPerBatch) ∩ image into `buffer`, bands spread over threads.
        @Sendable func renderBatch(startingAt first: Int, into buffer: BandBuffer) {
            let rows = min(rowsPerBatch, height - first)
            let bands = (rows + bandHeight - 1) / bandHeight
            let begin = DispatchTime.now()
            DispatchQueue.concurrentPerform(iterations: threadCount) { worker in
                var band = worker
                while band < bands {
                    let bandRows = (first + band * bandHeight)..<min(first + (band + 1) * bandHeight, first + rows)
                    let offset = (bandRows.lowerBound - first) * bytesPerRow
                    renderer.renderRows(bandRows, into: UnsafeMutableRawBufferPointer(
                        start: buffer.pointer + offset, count: bandRows.count * bytesPerRow), rowStride: bytesPerRow)
                    band += threadCount
                }
            }
            renderClock.add(seconds(since: begin))
        }

        var encodeSeconds = 0.0
        renderBatch(startingAt: 0, into: buffers[0])
        var first = 0, current = 0
        while first < height {
            let next = first + rowsPerBatch
            let group = DispatchGroup()
            if next < height {
                let buffer = buffers[1 - current]
                DispatchQueue.global().async(group: group) { renderBatch(startingAt: next, into: buffer) }
            }
            let rows = min(rowsPerBatch, height - first)
            let encodeStart = DispatchTime.now()
            do {
                try writer.appendRows(UnsafeRawBufferPointer(start: buffers[current].pointer, count: rows * bytesPerRow))
            } catch {
                group.wait()   // the next batch still writes into our buffer
                throw error
            }
            encodeSeconds += seconds(since: encodeStart)
            group.wait()
            first = next
            current = 1 - current
            progress?(Double(min(first, height)) / Double(height))
        }
        let finishStart = DispatchTime.now()
        try writer.finish()
        encodeSeconds += seconds(since: finishStart)
        return ImageTimings(renderSeconds: renderClock.total, encodeSeconds: encodeSeconds, totalSeconds: seconds(since: start))
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// A band buffer shared with the rendering tasks. Unchecked: the batches are sequenced so that
/// no two tasks write the same bytes and the encoder reads a buffer only after its batch ended.
final class BandBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        pointer = .allocate(byteCount: max(byteCount, 1), alignment: 16)
    }

    func deallocate() { pointer.deallocate() }
}

/// Adds up rendering wall time from the background task.
final class RenderClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds = 0.0

    func add(_ value: Double) {
        lock.lock()
        seconds += value
        lock.unlock()
    }

    var total: Double {
        lock.lock()
        defer { lock.unlock() }
        return seconds
    }
}
