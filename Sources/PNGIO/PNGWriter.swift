import Foundation
import PNGShim

/// Streams an image into a PNG file row by row, so that the whole image is never in
/// memory: create it with the size and format, ``appendRows(_:)-(UnsafeRawBufferPointer)``
/// in order (any whole number of rows at a time), then ``finish()``.
///
/// The file is written under a temporary name in the destination folder and renamed
/// into place by ``finish()``. Any error, or deinitialising an unfinished writer, destroys
/// the libpng handle and removes the temporary file: a failed write leaves no PNG and no
/// temporary file behind. After an error the writer is unusable.
///
/// The PNG has 8 bits per channel, no interlacing, a `Software` text chunk, the caller's
/// text chunks, and a pHYs chunk in pixels per metre when `pixelsPerMM` is given.
/// The image data is deflated by ``Encoder/parallel(threads:)`` (the default): in pieces on
/// worker threads, the same bytes for any thread count; or by ``Encoder/libpng``: libpng's own
/// single zlib stream on the calling thread, the plain reference the parallel one is checked
/// against. libpng writes every chunk but the image data in both.
///
/// It holds an open file and a libpng handle: one owner, not shared between threads.
public final class PNGWriter {
    /// Who deflates the image data.
    public enum Encoder: Sendable, Equatable, Hashable {
        /// libpng, row by row into one zlib stream on the calling thread.
        case libpng
        /// Pieces of a fixed number of rows filtered and deflated on `threads` worker threads
        /// (see `IDATPieces`), the calling thread copying rows in and writing pieces out.
        case parallel(threads: Int)
    }

    /// Where the PNG appears on ``finish()``.
    public let url: URL
    /// Width in pixels.
    public let width: Int
    /// Height in pixels: the number of rows to append before ``finish()``.
    public let height: Int
    /// The layout of the appended rows.
    public let format: PNGPixelFormat
    /// Bytes per appended row: `width * format.channels`.
    public let bytesPerRow: Int
    /// Rows appended so far.
    public private(set) var rowsWritten = 0

    private enum State { case writing, finished, failed }
    private var state = State.writing
    private var handle: OpaquePointer?
    private var file: AtomicFile?
    private var pieces: IDATPieces?

    /// Starts writing the PNG `url` with a compression preset.
    ///
    /// - Parameters:
    ///   - pixelsPerMM: physical scale, stored in pHYs as `round(pixelsPerMM * 1000)` pixels per metre.
    ///   - software: the `Software` text chunk, e.g. `"SMPPreview 0.1"`.
    ///   - text: further text chunks, e.g. `Scene`, `Scene hash`, `Seed`.
    public convenience init(url: URL, width: Int, height: Int, format: PNGPixelFormat,
                            pixelsPerMM: Double? = nil, software: String, text: [PNGTextChunk] = [],
                            compression: PNGCompression = .balanced,
                            encoder: Encoder = .parallel(threads: 1)) throws(PNGError) {
        try self.init(url: url, width: width, height: height, format: format, pixelsPerMM: pixelsPerMM,
                      software: software, text: text, encoderSettings: compression.encoderSettings, encoder: encoder)
    }

    /// Starts writing the PNG `url` with explicit deflate and filter settings.
    public init(url: URL, width: Int, height: Int, format: PNGPixelFormat,
                pixelsPerMM: Double? = nil, software: String, text: [PNGTextChunk] = [],
                encoderSettings: PNGEncoderSettings, encoder: Encoder = .parallel(threads: 1)) throws(PNGError) {
        let path = url.path
        let maxDimension = Int(Int32.max)
        guard (1...maxDimension).contains(width), (1...maxDimension).contains(height) else {
            throw PNGError(.invalidArgument, .writing, path: path,
                           reason: "a \(width) × \(height) image is not allowed: width and height must be 1...\(maxDimension) pixels")
        }
        let pixelsPerMetre = try Self.pixelsPerMetre(pixelsPerMM, path: path)
        try encoderSettings.validate(path: path)
        if case .parallel(let threads) = encoder, threads < 1 {
            throw PNGError(.invalidArgument, .writing, path: path, reason: "\(threads) encoding threads is not allowed: use 1 or more")
        }
        if encoder == .libpng && encoderSettings.library != .zlib {
            throw PNGError(.invalidArgument, .writing, path: path,
                           reason: "libpng's own encoder deflates with zlib only; \(encoderSettings) needs the parallel encoder")
        }
        let chunks = [PNGTextChunk("Software", software)] + text
        var encodedChunks: [(key: [UInt8], value: [UInt8], utf8: Bool)] = []
        for chunk in chunks {
            encodedChunks.append(try chunk.encoded(path: path))
        }

        self.url = url
        self.width = width
        self.height = height
        self.format = format
        self.bytesPerRow = format.bytesPerRow(width: width)

        let file = try AtomicFile(destination: url)
        var options = pngshim_write_options()
        options.width = UInt32(width)
        options.height = UInt32(height)
        options.channels = Int32(format.channels)
        options.zlib_level = Int32(encoderSettings.level)
        options.zlib_strategy = encoderSettings.strategy.rawValue
        options.zlib_memory_level = Int32(encoderSettings.memoryLevel)
        options.filters = encoderSettings.filters.rawValue
        options.pixels_per_metre = pixelsPerMetre

        // All strings NUL-terminated in one buffer, so their pointers stay valid together.
        var strings: [UInt8] = []
        var offsets: [(key: Int, value: Int, utf8: Bool)] = []
        for chunk in encodedChunks {
            let keyOffset = strings.count
            strings += chunk.key + [0]
            let valueOffset = strings.count
            strings += chunk.value + [0]
            offsets.append((keyOffset, valueOffset, chunk.utf8))
        }
        var message = PNGError.messageBuffer()
        var created: OpaquePointer?
        let code = strings.withUnsafeBufferPointer { stringBytes in
            stringBytes.withMemoryRebound(to: CChar.self) { characters in
                let texts = offsets.map { offset in
                    pngshim_text(key: characters.baseAddress! + offset.key,
                                 value: characters.baseAddress! + offset.value,
                                 utf8: offset.utf8 ? 1 : 0)
                }
                return texts.withUnsafeBufferPointer { textBuffer in
                    options.texts = textBuffer.baseAddress
                    options.text_count = textBuffer.count
                    return pngshim_writer_create(file.fileDescriptor, &options, &created, &message, message.count)
                }
            }
        }
        guard code == PNGSHIM_OK, let created else {
            file.discard()
            throw PNGError(shimCode: code, .writing, path: path, message: message)
        }
        self.handle = created
        self.file = file
        if case .parallel(let threads) = encoder {
            do {
                pieces = try IDATPieces(width: width, height: height, format: format, settings: encoderSettings,
                                        threads: threads, path: path)
            } catch {
                abandon()
                throw error
            }
        }
    }

    deinit {
        abandon()
    }

    /// Appends rows in `format`, top to bottom, continuing where the last call stopped.
    /// `bytes.count` must be a whole number of rows, and no more than the rows left.
    public func appendRows(_ bytes: UnsafeRawBufferPointer) throws(PNGError) {
        try checkWriting()
        guard bytes.count % bytesPerRow == 0 else {
            throw fail(.misuse, "\(bytes.count) bytes is not a whole number of rows: a row of \(width) \(format) pixels is \(bytesPerRow) bytes")
        }
        let rows = bytes.count / bytesPerRow
        guard rows <= height - rowsWritten else {
            throw fail(.misuse, "too many rows: \(rows) appended after \(rowsWritten), but the image has \(height) rows")
        }
        guard rows > 0, let baseAddress = bytes.baseAddress, let handle else { return }
        if let pieces {
            do {
                try pieces.append(baseAddress.assumingMemoryBound(to: UInt8.self), rowCount: rows, png: handle)
            } catch {
                abandon()
                throw error
            }
            rowsWritten += rows
            return
        }
        var message = PNGError.messageBuffer()
        let code = pngshim_writer_write_rows(handle, baseAddress.assumingMemoryBound(to: UInt8.self), rows,
                                             &message, message.count)
        guard code == PNGSHIM_OK else {
            abandon()
            throw PNGError(shimCode: code, .writing, path: url.path, message: message)
        }
        rowsWritten += rows
    }

    /// Appends rows in `format`; see ``appendRows(_:)-(UnsafeRawBufferPointer)``.
    public func appendRows(_ bytes: [UInt8]) throws(PNGError) {
        let result: Result<Void, PNGError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(PNGError) in try appendRows(buffer) }
        }
        try result.get()
    }

    /// Writes the end of the PNG, makes it durable and renames it into place at `url`
    /// (replacing any file there). Throws if not all `height` rows were appended.
    public func finish() throws(PNGError) {
        try checkWriting()
        guard rowsWritten == height else {
            throw fail(.misuse, "finish() after \(rowsWritten) of \(height) rows: append all rows first")
        }
        var message = PNGError.messageBuffer()
        let code: Int32
        if let pieces, let handle {
            do {
                try pieces.finish(png: handle)
            } catch {
                abandon()
                throw error
            }
            self.pieces = nil
            code = pngshim_writer_finish_idat(handle, &message, message.count)
        } else {
            code = pngshim_writer_finish(handle, &message, message.count)
        }
        guard code == PNGSHIM_OK else {
            abandon()
            throw PNGError(shimCode: code, .writing, path: url.path, message: message)
        }
        pngshim_writer_destroy(handle)
        handle = nil
        do {
            try file?.commit()
        } catch {
            file = nil
            state = .failed
            throw error
        }
        file = nil
        state = .finished
    }

    private func checkWriting() throws(PNGError) {
        switch state {
        case .writing: return
        case .finished: throw PNGError(.misuse, .writing, path: url.path, reason: "the PNG was already finished")
        case .failed: throw PNGError(.misuse, .writing, path: url.path, reason: "an earlier error ended this writer; start a new one")
        }
    }

    /// Ends the writer and returns the error to throw.
    private func fail(_ kind: PNGError.Kind, _ reason: String) -> PNGError {
        abandon()
        return PNGError(kind, .writing, path: url.path, reason: reason)
    }

    /// Destroys the libpng handle and removes the temporary file, unless finished.
    private func abandon() {
        // The workers first: they read the rows this writer's buffers hold.
        pieces?.stop()
        pieces = nil
        if let handle {
            pngshim_writer_destroy(handle)
            self.handle = nil
        }
        file?.discard()
        file = nil
        if state == .writing { state = .failed }
    }

    /// pHYs's pixels per metre for `pixelsPerMM`, or 0 for none.
    private static func pixelsPerMetre(_ pixelsPerMM: Double?, path: String) throws(PNGError) -> UInt32 {
        guard let pixelsPerMM else { return 0 }
        let perMetre = (pixelsPerMM * 1000).rounded()
        guard pixelsPerMM.isFinite, perMetre >= 1, perMetre <= Double(Int32.max) else {
            throw PNGError(.invalidArgument, .writing, path: path,
                           reason: "pixelsPerMM \(pixelsPerMM) is not allowed: pHYs stores 1...\(Int32.max) whole pixels per metre, so use 0.0005...\(Double(Int32.max) / 1000)")
        }
        return UInt32(perMetre)
    }
}

@available(*, unavailable, message: "PNGWriter owns a file and a libpng handle; use it from one task")
extension PNGWriter: Sendable {}
