import Dispatch
import Foundation
import PNGIO

/// How one image was produced, for report.json and the benchmarks.
public struct ImageTimings: Sendable, Codable, Equatable {
    public var renderSeconds: Double
    public var encodeSeconds: Double
    public var totalSeconds: Double
}

/// Writes a `RowImage` to a PNG in horizontal bands: `threads` workers render bands into a ring
/// of band buffers, each taking the next band as soon as its slot is free, while the calling
/// thread hands finished bands to the streaming writer in order, whose own `threads` workers
/// filter and deflate the image data in pieces. Rendering runs ahead of encoding by up to a
/// ring's worth of bands, so neither waits for the other while there is work. Memory grows with
/// the image width, not its area; each pixel is computed on its own and the writer's pieces do
/// not depend on the thread count, so neither do the bytes.
public enum BandedPNGOutput {
    public static let bandHeight = 16
    /// Bands in flight per rendering thread.
    static let bandsPerThread = 4

    /// `timings.renderSeconds` is the time the workers spent rendering, summed and divided by
    /// their number: about what rendering alone would take on those threads.
    public static func write<Image: RowImage>(_ renderer: Image, to url: URL, threads: Int, software: String,
                                              text: [PNGTextChunk], compression: PNGCompression,
                                              progress: (@Sendable (Double) -> Void)? = nil) throws -> ImageTimings {
        let start = DispatchTime.now()
        let width = renderer.widthPixels, height = renderer.heightPixels
        let writer = try PNGWriter(url: url, width: width, height: height, format: .rgb8,
                                   pixelsPerMM: renderer.pixelsPerMM, software: software, text: text,
                                   compression: compression, encoder: .parallel(threads: max(1, threads)))
        let threadCount = max(1, threads)
        let bands = (height + bandHeight - 1) / bandHeight
        let bytesPerRow = width * 3
        let ring = BandRing(slots: min(bands, threadCount * bandsPerThread), bytesPerSlot: bandHeight * bytesPerRow)
        defer { ring.deallocate() }

        let workers = DispatchGroup()
        for _ in 0..<threadCount {
            workers.enter()
            let worker = Thread {
                lowerThisThreadsPriority()
                while let band = ring.claimBand(total: bands) {
                    let begin = DispatchTime.now()
                    let rows = (band * bandHeight)..<min((band + 1) * bandHeight, height)
                    renderer.renderRows(rows, into: UnsafeMutableRawBufferPointer(start: ring.pointer(band), count: rows.count * bytesPerRow),
                                        rowStride: bytesPerRow)
                    ring.finished(band, seconds: seconds(since: begin))
                }
                workers.leave()
            }
            worker.start()
        }
        var encodeSeconds = 0.0
        do {
            for band in 0..<bands {
                ring.waitUntilRendered(band)
                let rows = min(bandHeight, height - band * bandHeight)
                let encodeStart = DispatchTime.now()
                try writer.appendRows(UnsafeRawBufferPointer(start: ring.pointer(band), count: rows * bytesPerRow))
                encodeSeconds += seconds(since: encodeStart)
                ring.encoded(band)
                progress?(Double(band + 1) / Double(bands))
            }
        } catch {
            ring.cancel()
            workers.wait()   // the workers still write into the ring
            throw error
        }
        workers.wait()
        let finishStart = DispatchTime.now()
        try writer.finish()
        encodeSeconds += seconds(since: finishStart)
        return ImageTimings(renderSeconds: ring.renderSeconds / Double(threadCount), encodeSeconds: encodeSeconds,
                            totalSeconds: seconds(since: start))
    }

    /// The encoder is the critical path: its workers deflate each piece once, and a band the
    /// renderer finished early only waits in the ring. Render workers are their own threads (not
    /// the shared pool's) at nice 19, so the deflating workers and the thread writing the file
    /// get a whole core whenever they have work and the render workers use the rest. Idle cores
    /// are theirs at any nice value; on a busy machine they also yield to other programs, which
    /// keeps it responsive.
    static func lowerThisThreadsPriority() {
        #if os(Linux)
        // On Linux the nice value belongs to the thread: "process" 0 is the calling thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// The band buffers between the rendering workers and the encoder: band b lives in slot
/// b mod `slots`, which a worker may fill only once band b − slots has been encoded.
/// Unchecked: every access to the counters holds `condition`, and a slot's bytes belong to one
/// worker between its claim and `finished`, then to the encoder until `encoded`.
final class BandRing: @unchecked Sendable {
    let slots: Int
    let bytesPerSlot: Int
    private let storage: UnsafeMutableRawPointer
    private let condition = NSCondition()
    private var nextBand = 0
    /// Bands encoded so far (all bands below this are done with their slots).
    private var encodedCount = 0
    private var rendered: [Bool]
    private var cancelled = false
    private(set) var renderSeconds = 0.0

    init(slots: Int, bytesPerSlot: Int) {
        self.slots = max(1, slots)
        self.bytesPerSlot = bytesPerSlot
        storage = .allocate(byteCount: max(1, self.slots * bytesPerSlot), alignment: 16)
        rendered = [Bool](repeating: false, count: self.slots)
    }

    func deallocate() { storage.deallocate() }

    func pointer(_ band: Int) -> UnsafeMutableRawPointer { storage + (band % slots) * bytesPerSlot }

    /// The next band to render, once its slot is free; nil when all are claimed or on cancel.
    func claimBand(total: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextBand < total && nextBand - encodedCount >= slots { condition.wait() }
        guard !cancelled, nextBand < total else { return nil }
        nextBand += 1
        return nextBand - 1
    }

    func finished(_ band: Int, seconds: Double) {
        condition.lock()
        rendered[band % slots] = true
        renderSeconds += seconds
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilRendered(_ band: Int) {
        condition.lock()
        while !rendered[band % slots] { condition.wait() }
        condition.unlock()
    }

    func encoded(_ band: Int) {
        condition.lock()
        rendered[band % slots] = false
        encodedCount = band + 1
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
