import Foundation
import PNGShim

/// An image's IDAT stream deflated in pieces on worker threads, pigz's way, and written in order
/// through the libpng handle of a ``PNGWriter`` (png_deflate.h has the stream's layout).
///
/// The rows are cut into pieces of ``rowsPerPiece`` rows, a number chosen from the row size
/// alone, so the bytes are the same for any thread count. Each piece lives in a slot holding
/// its raw rows after the "lead", the rows before it whose filtered bytes prime its dictionary;
/// a worker filters and deflates it; the calling thread writes finished pieces in order as IDAT
/// chunks and ends the stream with the Adler-32 combined from the pieces'. A bounded number of
/// slots, each a fixed number of rows, keeps memory proportional to the width.
///
/// The calling thread (the writer's owner) calls ``append(_:rowCount:png:)`` and ``finish(png:)``; workers
/// touch only their claimed slot and, under `condition`, the shared counters.
final class IDATPieces: @unchecked Sendable {
    /// Raw bytes per piece, about: large enough that re-filtering the lead and hashing the
    /// dictionary (32 KB a piece) cost little, small enough that the pieces in flight stay a few
    /// MB and the last one, deflated after the last row arrives, is short.
    static let targetPieceBytes = 512 * 1024

    let rowBytes: Int
    let height: Int
    let rowsPerPiece: Int
    /// Rows before a piece needed to rebuild its dictionary: the rows holding the last 32 KB of
    /// filtered bytes, and one more above them for the filters.
    let leadRows: Int
    let pieceCount: Int
    private let bytesPerPixel: Int
    private let filters: Int32
    private let path: String

    private let slots: [Slot]
    private let condition = NSCondition()
    /// Pieces handed to the workers (all below are filled).
    private var submitted = 0
    /// The next piece a worker takes.
    private var nextToDeflate = 0
    private var stopping = false
    private var failure: PNGError?
    private let workersDone = DispatchGroup()

    // The calling thread's own state.
    private var filling = 0
    private var rowsInPiece = 0
    private var nextToWrite = 0
    private var adler: UInt32 = 1

    /// A deflater (zlib or ISA-L) handed to the one worker thread that uses and frees it.
    private struct Deflater: @unchecked Sendable {
        let handle: OpaquePointer
    }

    /// One piece's buffers: raw lead and rows in, deflated bytes out (plus room for the trailer).
    private final class Slot {
        let raw: UnsafeMutablePointer<UInt8>
        let out: UnsafeMutablePointer<UInt8>
        let outCapacity: Int
        // Set by the worker, read by the writing thread after `done` (under the condition).
        var piece = -1
        var done = false
        var leadRows = 0
        var outLength = 0
        var adler: UInt32 = 1
        var filteredLength: UInt64 = 0

        init(rawBytes: Int, outCapacity: Int) {
            raw = .allocate(capacity: max(1, rawBytes))
            out = .allocate(capacity: outCapacity)
            self.outCapacity = outCapacity
        }

        deinit {
            raw.deallocate()
            out.deallocate()
        }
    }

    /// Starts `threads` workers deflating with `settings`; `threads` changes how fast, never the bytes.
    init(width: Int, height: Int, format: PNGPixelFormat, settings: PNGEncoderSettings, threads: Int,
         path: String) throws(PNGError) {
        rowBytes = format.bytesPerRow(width: width)
        self.height = height
        bytesPerPixel = format.channels
        filters = settings.filters.rawValue
        self.path = path
        rowsPerPiece = max(1, (Self.targetPieceBytes + rowBytes - 1) / rowBytes)
        leadRows = (Int(PNGSHIM_DICTIONARY_BYTES) + rowBytes) / (rowBytes + 1) + 1
        pieceCount = (height + rowsPerPiece - 1) / rowsPerPiece
        let workerCount = max(1, min(threads, pieceCount))
        // Enough slots that workers find a filled piece while the caller fills the next ones and
        // the oldest waits to be written; never more than the pieces.
        let slotCount = max(2, min(pieceCount, 2 * workerCount + 2))
        let outCapacity = pngshim_piece_bound(settings.library.rawValue, Int32(settings.level), rowsPerPiece, rowBytes) + 4
        let rawBytes = (leadRows + rowsPerPiece) * rowBytes
        slots = (0..<slotCount).map { _ in Slot(rawBytes: rawBytes, outCapacity: outCapacity) }

        var deflaters: [OpaquePointer] = []
        for _ in 0..<workerCount {
            guard let deflater = pngshim_deflater_create(settings.library.rawValue, Int32(settings.level),
                                                         settings.strategy.rawValue, Int32(settings.memoryLevel),
                                                         settings.smoothPiecesByZlibRLE ? 1 : 0) else {
                deflaters.forEach { pngshim_deflater_destroy($0) }
                throw PNGError(.outOfMemory, .writing, path: path, reason: "could not set up a deflater with \(settings)")
            }
            deflaters.append(deflater)
        }
        for deflater in deflaters {
            workersDone.enter()
            let owned = Deflater(handle: deflater)
            let worker = Thread { [self] in
                work(with: owned.handle)
                pngshim_deflater_destroy(owned.handle)
                workersDone.leave()
            }
            worker.start()
        }
    }

    deinit {
        stop()
    }

    /// Takes `rowCount` rows at `rows`, the next of the image, and writes any pieces finished
    /// before them through `png`.
    func append(_ rows: UnsafePointer<UInt8>, rowCount: Int, png: OpaquePointer) throws(PNGError) {
        var source = rows, left = rowCount
        while left > 0 {
            if rowsInPiece == 0 { try startPiece(png: png) }
            let slot = slots[filling % slots.count]
            let take = min(left, self.rows(in: filling) - rowsInPiece)
            (slot.raw + (slot.leadRows + rowsInPiece) * rowBytes).update(from: source, count: take * rowBytes)
            rowsInPiece += take
            source += take * rowBytes
            left -= take
            if rowsInPiece == self.rows(in: filling) {
                submit()
                filling += 1
                rowsInPiece = 0
                try writeFinished(png: png, through: nil)
            }
        }
    }

    /// Writes the remaining pieces, the last with the stream's Adler-32, once every row is in.
    func finish(png: OpaquePointer) throws(PNGError) {
        precondition(filling == pieceCount, "IDATPieces.finish before every row was appended")
        try writeFinished(png: png, through: pieceCount - 1)
        stop()
    }

    /// Ends the workers without writing anything more (after an error, or when abandoned).
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        workersDone.wait()
    }

    private func rows(in piece: Int) -> Int {
        min(rowsPerPiece, height - piece * rowsPerPiece)
    }

    /// Frees `filling`'s slot (writing the piece that held it) and copies its lead from the
    /// previous piece's slot, whose lead and rows end where this piece begins.
    private func startPiece(png: OpaquePointer) throws(PNGError) {
        if filling >= slots.count { try writeFinished(png: png, through: filling - slots.count) }
        let slot = slots[filling % slots.count]
        let firstRow = filling * rowsPerPiece
        let lead = min(leadRows, firstRow)
        slot.leadRows = lead
        if lead > 0 {
            let previous = slots[(filling - 1) % slots.count]
            let previousEnd = previous.leadRows + rows(in: filling - 1)
            slot.raw.update(from: previous.raw + (previousEnd - lead) * rowBytes, count: lead * rowBytes)
        }
    }

    private func submit() {
        condition.lock()
        slots[filling % slots.count].done = false
        slots[filling % slots.count].piece = filling
        submitted = filling + 1
        condition.broadcast()
        condition.unlock()
    }

    /// Writes finished pieces in order: all up to `through` (waiting for them), or, when nil,
    /// those already finished.
    private func writeFinished(png: OpaquePointer, through last: Int?) throws(PNGError) {
        while nextToWrite < pieceCount {
            let slot = slots[nextToWrite % slots.count]
            condition.lock()
            if let last, nextToWrite <= last {
                while failure == nil && !(slot.piece == nextToWrite && slot.done) { condition.wait() }
            }
            let ready = slot.piece == nextToWrite && slot.done
            let failed = failure
            condition.unlock()
            if let failed { throw failed }
            guard ready else { return }

            var length = slot.outLength
            adler = nextToWrite == 0 ? slot.adler : pngshim_adler32_combine(adler, slot.adler, slot.filteredLength)
            if nextToWrite == pieceCount - 1 {
                for shift in [24, 16, 8, 0] as [UInt32] {
                    slot.out[length] = UInt8(truncatingIfNeeded: adler >> shift)
                    length += 1
                }
            }
            var message = PNGError.messageBuffer()
            let code = pngshim_writer_write_idat(png, slot.out, length, &message, message.count)
            guard code == PNGSHIM_OK else { throw PNGError(shimCode: code, .writing, path: path, message: message) }
            nextToWrite += 1
        }
    }

    /// A worker: deflates the next submitted piece until all are taken or the writer stops.
    private func work(with deflater: OpaquePointer) {
        while true {
            condition.lock()
            while !stopping && nextToDeflate >= submitted && nextToDeflate < pieceCount { condition.wait() }
            guard !stopping, nextToDeflate < pieceCount else {
                condition.unlock()
                return
            }
            let index = nextToDeflate
            nextToDeflate += 1
            let slot = slots[index % slots.count]
            condition.unlock()

            var piece = pngshim_piece()
            piece.rows = UnsafePointer(slot.raw)
            piece.lead_rows = slot.leadRows
            piece.lead_starts_image = slot.leadRows > 0 && index * rowsPerPiece == slot.leadRows ? 1 : 0
            piece.row_count = rows(in: index)
            piece.row_bytes = rowBytes
            piece.bytes_per_pixel = Int32(bytesPerPixel)
            piece.filters = filters
            piece.first = index == 0 ? 1 : 0
            piece.last = index == pieceCount - 1 ? 1 : 0
            var outLength = 0, pieceAdler: UInt32 = 0, filteredLength: UInt64 = 0
            var message = PNGError.messageBuffer()
            // Four bytes kept back for the trailer the last piece gets.
            let code = pngshim_deflater_piece(deflater, &piece, slot.out, slot.outCapacity - 4, &outLength, &pieceAdler,
                                              &filteredLength, &message, message.count)

            condition.lock()
            if code == PNGSHIM_OK {
                slot.outLength = outLength
                slot.adler = pieceAdler
                slot.filteredLength = filteredLength
                slot.done = true
            } else if failure == nil {
                failure = PNGError(shimCode: code, .writing, path: path, message: message)
            }
            condition.broadcast()
            condition.unlock()
        }
    }
}
