/// The EXIF orientation tag (0x0112) of a JPEG, and its 35 mm equivalent focal length, read from
/// its APP1 "Exif" segment: a TIFF header (II little-endian or MM big-endian), the offset of
/// IFD0, and IFD0's 12-byte entries (the focal length's in the Exif IFD IFD0 points to).
/// Only the markers before the image data are looked at.
public enum EXIFOrientation {
    /// The orientation (1 to 8) the JPEG `bytes` declare; nil when there is no EXIF segment, no
    /// tag, or the segment is malformed (a photo without a readable tag is shown as stored).
    public static func orientation(ofJPEG bytes: [UInt8]) -> Int? {
        tiffBlock(ofJPEG: bytes).flatMap(orientation(tiff:))
    }

    /// The lens's focal length in 35 mm film terms (tag 0xA405, FocalLengthIn35mmFilm, in the
    /// Exif IFD), mm; nil when absent or 0 (unknown). FocalLength (0x920A) alone is not used: it
    /// needs the sensor's size, which photos rarely state.
    public static func focalLength35mm(ofJPEG bytes: [UInt8]) -> Double? {
        guard let tiff = tiffBlock(ofJPEG: bytes), let reader = TIFFReader(tiff), let ifd0 = reader.u32(4),
              let exifIFD = reader.value(tag: 0x8769, type: 4, inIFD: ifd0),
              let focal = reader.value(tag: 0xA405, type: 3, inIFD: exifIFD), focal > 0 else { return nil }
        return Double(focal)
    }

    /// The TIFF block of the JPEG's APP1 "Exif" segment; nil without one.
    static func tiffBlock(ofJPEG bytes: [UInt8]) -> [UInt8]? {
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
                return Array(data.dropFirst(6))
            }
            offset += 2 + length
        }
        return nil
    }

    /// The orientation in a TIFF block's IFD0.
    static func orientation(tiff: [UInt8]) -> Int? {
        guard let reader = TIFFReader(tiff), let ifd0 = reader.u32(4), let value = reader.value(tag: 0x0112, type: 3, inIFD: ifd0) else {
            return nil
        }
        return (1...8).contains(value) ? value : nil
    }

    /// A TIFF block's byte order and its IFDs' 12-byte entries.
    struct TIFFReader {
        let tiff: [UInt8]
        let little: Bool

        init?(_ tiff: [UInt8]) {
            guard tiff.count >= 8 else { return nil }
            switch (tiff[0], tiff[1]) {
            case (0x49, 0x49): little = true
            case (0x4D, 0x4D): little = false
            default: return nil
            }
            self.tiff = tiff
            guard u16(2) == 42 else { return nil }
        }

        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }

        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }

        /// The single SHORT (type 3) or LONG (type 4) value of `tag` in the IFD at `ifd`; it sits
        /// at the start of the entry's value field.
        func value(tag wanted: Int, type: Int, inIFD ifd: Int) -> Int? {
            guard let count = u16(ifd) else { return nil }
            for entry in 0..<count {
                let at = ifd + 2 + 12 * entry
                guard let tag = u16(at) else { return nil }
                if tag == wanted, u16(at + 2) == type, u32(at + 4) == 1 {
                    return type == 3 ? u16(at + 8) : u32(at + 8)
                }
            }
            return nil
        }
    }

    /// An APP1 segment's data declaring `orientation` and, if given, the 35 mm equivalent focal
    /// length (in an Exif IFD after IFD0): "Exif\0\0" and a TIFF block, in either byte order
    /// (for tests and generated fixtures).
    public static func app1(orientation: Int, littleEndian: Bool, focalLength35mm: Int? = nil) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { littleEndian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF) }
        var tiff: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        let entries = focalLength35mm == nil ? 1 : 2
        tiff += u16(42) + u32(8) + u16(entries)
        tiff += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0)
        if let focalLength35mm {
            let exifIFD = 8 + 2 + 12 * entries + 4
            tiff += u16(0x8769) + u16(4) + u32(1) + u32(exifIFD)
            tiff += u32(0)   // no next IFD
            tiff += u16(1) + u16(0xA405) + u16(3) + u32(1) + u16(focalLength35mm) + u16(0) + u32(0)
        } else {
            tiff += u32(0)   // no next IFD
        }
        return Array("Exif\0\0".utf8) + tiff
    }
}
