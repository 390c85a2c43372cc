/// The EXIF orientation tag (0x0112) of a JPEG, read from its APP1 "Exif" segment: a TIFF
/// header (II little-endian or MM big-endian), the offset of IFD0, and IFD0's 12-byte entries.
/// Only the markers before the image data are looked at.
public enum EXIFOrientation {
    /// The orientation (1 to 8) the JPEG `bytes` declare; nil when there is no EXIF segment, no
    /// tag, or the segment is malformed (a photo without a readable tag is shown as stored).
    public static func orientation(ofJPEG bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }          // fill byte
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }
            if marker == 0xDA || marker == 0xD9 { return nil }   // image data: no more metadata before it
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return nil }
            let data = bytes[(offset + 4)..<(offset + 2 + length)]
            if marker == 0xE1, data.starts(with: Array("Exif\0\0".utf8)) {
                return orientation(tiff: Array(data.dropFirst(6)))
            }
            offset += 2 + length
        }
        return nil
    }

    /// The orientation in a TIFF block's IFD0.
    static func orientation(tiff: [UInt8]) -> Int? {
        guard tiff.count >= 8 else { return nil }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<count {
            let at = ifd + 2 + 12 * entry
            guard let tag = u16(at) else { return nil }
            // SHORT (type 3), count 1: the value sits in the first two bytes of the value field.
            if tag == 0x0112, u16(at + 2) == 3, let value = u16(at + 8) {
                return (1...8).contains(value) ? value : nil
            }
        }
        return nil
    }

    /// An APP1 segment's data declaring `orientation`: "Exif\0\0" and a TIFF block with one IFD0
    /// entry, in either byte order (for tests and generated fixtures).
    public static func app1(orientation: Int, littleEndian: Bool) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { littleEndian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF) }
        var tiff: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        tiff += u16(42) + u32(8) + u16(1)
        tiff += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0)
        tiff += u32(0)   // no next IFD
        return Array("Exif\0\0".utf8) + tiff
    }
}
