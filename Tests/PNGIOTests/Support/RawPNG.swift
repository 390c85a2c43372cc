/// A PNG taken apart and put together by hand, independent of libpng and zlib: chunk
/// parsing with CRC checks, and a builder whose zlib stream uses stored (uncompressed)
/// deflate blocks, so fixtures of any colour type and bit depth can be made in a test.
enum RawPNG {
    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    /// One chunk as found in a file.
    struct Chunk {
        var type: String
        var data: [UInt8]
        /// Offset of the chunk's length field in the file.
        var offset: Int
        var crcIsValid: Bool
    }

    // MARK: Reading

    /// The chunks of `bytes`, or nil if the signature or the chunk framing is wrong.
    static func chunks(_ bytes: [UInt8]) -> [Chunk]? {
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature else { return nil }
        var chunks: [Chunk] = []
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(bigEndian32(bytes, at: offset))
            guard offset + 12 + length <= bytes.count else { return nil }
            let typeBytes = Array(bytes[(offset + 4)..<(offset + 8)])
            let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            let storedCRC = bigEndian32(bytes, at: offset + 8 + length)
            chunks.append(Chunk(type: String(decoding: typeBytes, as: UTF8.self), data: data, offset: offset,
                                crcIsValid: storedCRC == crc32(typeBytes + data)))
            offset += 12 + length
        }
        return offset == bytes.count ? chunks : nil
    }

    /// A tEXt chunk's key and value (Latin-1), or an uncompressed iTXt chunk's (value UTF-8).
    static func text(of chunk: Chunk) -> (key: String, value: String)? {
        guard let nul = chunk.data.firstIndex(of: 0) else { return nil }
        let key = String(decoding: chunk.data[..<nul], as: UTF8.self)
        switch chunk.type {
        case "tEXt":
            return (key, String(String.UnicodeScalarView(chunk.data[(nul + 1)...].map { Unicode.Scalar($0) })))
        case "iTXt":
            // key NUL, compression flag, method, language NUL, translated key NUL, text
            var rest = chunk.data[(nul + 1)...]
            guard rest.count >= 2, rest.first == 0 else { return nil }
            rest = rest.dropFirst(2)
            guard let languageEnd = rest.firstIndex(of: 0) else { return nil }
            rest = rest[(languageEnd + 1)...]
            guard let translatedEnd = rest.firstIndex(of: 0) else { return nil }
            return (key, String(decoding: rest[(translatedEnd + 1)...], as: UTF8.self))
        default:
            return nil
        }
    }

    static func bigEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    // MARK: Building

    /// A complete PNG: IHDR, `extra` chunks (PLTE, tRNS, text...), IDAT of `scanlines`
    /// (filter bytes included) in a stored zlib stream, IEND.
    static func make(width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8, interlaced: Bool = false,
                     extra: [(String, [UInt8])] = [], scanlines: [UInt8]) -> [UInt8] {
        let header = bytes(bigEndian: width) + bytes(bigEndian: height) + [bitDepth, colorType, 0, 0, interlaced ? 1 : 0]
        var png = signature + chunk("IHDR", header)
        for (type, data) in extra { png += chunk(type, data) }
        return png + chunk("IDAT", zlibStored(scanlines)) + chunk("IEND", [])
    }

    /// Rows of packed sample bytes, each prefixed with filter type 0 (none).
    static func scanlines(rows: [[UInt8]]) -> [UInt8] {
        rows.flatMap { [0] + $0 }
    }

    /// Adam7 scanlines (filter 0) of an image whose pixels are `bytesPerPixel` whole bytes.
    static func adam7Scanlines(pixels: [UInt8], width: Int, height: Int, bytesPerPixel: Int) -> [UInt8] {
        let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        var out: [UInt8] = []
        for (x0, y0, dx, dy) in passes {
            guard x0 < width, y0 < height else { continue } // empty pass: no scanlines
            for y in stride(from: y0, to: height, by: dy) {
                out.append(0)
                for x in stride(from: x0, to: width, by: dx) {
                    let offset = (y * width + x) * bytesPerPixel
                    out += pixels[offset..<(offset + bytesPerPixel)]
                }
            }
        }
        return out
    }

    /// One chunk: length, type, data, CRC.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bytes(bigEndian: UInt32(data.count)) + typeBytes + data + bytes(bigEndian: crc32(typeBytes + data))
    }

    /// A zlib stream of stored deflate blocks (RFC 1950/1951), no compression.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65535, data.count)
            let length = UInt16(end - start)
            out.append(end == data.count ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += data[start..<end]
            start = end
        } while start < data.count
        return out + bytes(bigEndian: adler32(data))
    }

    static func bytes(bigEndian value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }
}
