import Foundation
import PNGShim

/// Reads any PNG (grey, grey + alpha, RGB, RGBA or palette; 1 to 16 bits; tRNS;
/// interlaced or not) into a ``PNGImage``: 8-bit RGBA, rows top to bottom.
///
/// The header's width and height are checked against `maxPixels` before any pixel memory
/// is allocated, and libpng's own per-dimension limits are set to match. Whatever `maxPixels`
/// allows, an image whose file is too small to hold its pixels (even at zlib's best ratio), or
/// whose pixels would need more than half of the machine's memory, throws instead of being
/// allocated: a few bytes claiming 10^10 pixels never stop the process. Each chunk's declared
/// length is checked before libpng reads the chunk (at most 8 MB for an ancillary one). An
/// empty, non-PNG, truncated or corrupt file throws a ``PNGError`` naming the file.
public enum PNGReader {
    /// Decodes the PNG at `url`, refusing images of more than `maxPixels` pixels
    /// (default 10^8: 400 MB of RGBA).
    public static func read(url: URL, maxPixels: Int = 100_000_000) throws(PNGError) -> PNGImage {
        let path = url.path
        guard maxPixels > 0 else {
            throw PNGError(.invalidArgument, .reading, path: path, reason: "maxPixels is \(maxPixels); it must be at least 1")
        }
        var message = PNGError.messageBuffer()
        var opened: OpaquePointer?
        var headerWidth: UInt32 = 0
        var headerHeight: UInt32 = 0
        var code = pngshim_reader_open(path, &opened, &headerWidth, &headerHeight, &message, message.count)
        guard code == PNGSHIM_OK, let reader = opened else {
            throw PNGError(shimCode: code, .reading, path: path, message: message)
        }
        defer { pngshim_reader_destroy(reader) }

        let pixelCount = try checkedPixelCount(width: headerWidth, height: headerHeight, maxPixels: maxPixels, path: path)
        let (byteCount, overflow) = pixelCount.multipliedReportingOverflow(by: 4)
        guard !overflow else {
            throw PNGError(.tooLarge, .reading, path: path, reason: "the image is \(headerWidth) × \(headerHeight) pixels, too large to hold in memory")
        }

        // libpng's limits per dimension: an image wider or taller than maxPixels has more pixels than it.
        let limit = UInt32(min(maxPixels, Int(Int32.max)))
        var info = pngshim_read_info()
        code = pngshim_reader_read_header(reader, limit, limit, &info, &message, message.count)
        guard code == PNGSHIM_OK else {
            throw PNGError(shimCode: code, .reading, path: path, message: message)
        }
        guard info.width == headerWidth, info.height == headerHeight, info.output_row_bytes == Int(headerWidth) * 4,
              let colorType = PNGColorType(pngValue: Int(info.color_type)) else {
            throw PNGError(.corrupt, .reading, path: path, reason: "libpng's view of the header does not match the file")
        }

        try checkPlausible(width: Int(headerWidth), height: Int(headerHeight), info: info, byteCount: byteCount, path: path)
        let pixels = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initializedCount in
            code = pngshim_reader_read_image(reader, buffer.baseAddress, byteCount, &message, message.count)
            initializedCount = code == PNGSHIM_OK ? byteCount : 0
        }
        guard code == PNGSHIM_OK else {
            throw PNGError(shimCode: code, .reading, path: path, message: message)
        }

        var pixelsPerMM: Double?
        if info.has_phys != 0, info.phys_unit_is_metre != 0, info.phys_x == info.phys_y, info.phys_x > 0 {
            pixelsPerMM = Double(info.phys_x) / 1000
        }
        return PNGImage(width: Int(headerWidth), height: Int(headerHeight), pixels: pixels,
                        sourceColorType: colorType, sourceBitDepth: Int(info.bit_depth),
                        pixelsPerMM: pixelsPerMM, text: textChunks(reader))
    }

    /// width × height, once it is known to be a sane size within `maxPixels`.
    private static func checkedPixelCount(width: UInt32, height: UInt32, maxPixels: Int, path: String) throws(PNGError) -> Int {
        guard width > 0, height > 0 else {
            throw PNGError(.corrupt, .reading, path: path,
                           reason: "the header says the image is \(width) × \(height) pixels; width and height must be at least 1 (zero-size image)")
        }
        guard width <= UInt32(Int32.max), height <= UInt32(Int32.max) else {
            throw PNGError(.corrupt, .reading, path: path,
                           reason: "the header says the image is \(width) × \(height) pixels; PNG allows at most \(Int32.max) each way")
        }
        let (pixelCount, overflow) = Int(width).multipliedReportingOverflow(by: Int(height))
        guard !overflow, pixelCount <= maxPixels else {
            throw PNGError(.tooLarge, .reading, path: path,
                           reason: "the image is \(width) × \(height) = \(UInt64(width) * UInt64(height)) pixels, more than the limit of \(maxPixels) pixels (maxPixels)")
        }
        return pixelCount
    }

    /// Deflate's best compression ratio, about 1032 : 1 (zlib's technical details: a match of
    /// 258 bytes in 2 bits at best).
    public static let deflateBestRatio = 1032

    /// Throws when the file cannot hold the image its header claims (fewer bytes than its raw
    /// rows at deflate's best ratio) or when its pixels would need more than half of the
    /// machine's memory: both before the pixel buffer is allocated.
    private static func checkPlausible(width: Int, height: Int, info: pngshim_read_info, byteCount: Int, path: String) throws(PNGError) {
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
            let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(info.color_type)] ?? 1
            let rowBytes = 1 + (width * channels * Int(info.bit_depth) + 7) / 8
            let (raw, overflow) = rowBytes.multipliedReportingOverflow(by: height)
            let needed = overflow ? Int.max : raw / deflateBestRatio
            if Int(status.st_size) < needed {
                throw PNGError(.corrupt, .reading, path: path, reason: "the header says \(width) × \(height) pixels, but the file has "
                    + "\(status.st_size) bytes: even at zlib's best ratio those pixels need at least \(needed) bytes (an image bomb, or a truncated file)")
            }
        }
        let memory = ProcessInfo.processInfo.physicalMemory / 2
        guard UInt64(byteCount) <= memory else {
            throw PNGError(.tooLarge, .reading, path: path, reason: "the image is \(width) × \(height) pixels, which need \(byteCount >> 20) MB "
                + "as RGBA, more than half of this machine's memory (\(memory >> 20) MB)")
        }
    }

    /// The text chunks libpng collected, decoded from Latin-1 (tEXt, zTXt) or UTF-8 (iTXt).
    private static func textChunks(_ reader: OpaquePointer) -> [PNGTextChunk] {
        var chunks: [PNGTextChunk] = []
        for index in 0..<pngshim_reader_text_count(reader) {
            var key: UnsafePointer<CChar>?
            var value: UnsafePointer<CChar>?
            var valueLength = 0
            var isUTF8: Int32 = 0
            guard pngshim_reader_text(reader, index, &key, &value, &valueLength, &isUTF8) == PNGSHIM_OK,
                  let key, let value else { continue }
            let keyText = PNGTextChunk.string(latin1: UnsafeBufferPointer(start: key, count: strlen(key)).map { UInt8(bitPattern: $0) })
            let valueBytes = UnsafeRawBufferPointer(start: value, count: valueLength)
            let valueText = isUTF8 != 0 ? String(decoding: valueBytes, as: UTF8.self) : PNGTextChunk.string(latin1: valueBytes)
            chunks.append(PNGTextChunk(keyText, valueText))
        }
        return chunks
    }
}
