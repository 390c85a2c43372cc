import Foundation
import JPEGShim
import PNGIO

/// Reads a photo as it comes from a clinic's phone or camera: JPEG (through libjpeg-turbo, the
/// EXIF orientation applied) or PNG (8 or 16 bits, through `PNGReader`; alpha dropped). The
/// samples are taken as sRGB: no colour profile is applied.
///
/// The format is told by the file's first bytes, not its name. The size is checked from the
/// header before any pixel memory is allocated: at least `minimumSide` pixels each way and at
/// most `maxPixels` pixels.
public enum PhotoReader {
    /// 100 megapixels: above any phone or consumer camera (a 12 MP photo is 36 MB as RGB).
    public static let defaultMaxPixels = 100_000_000
    /// A photo smaller than this each way cannot show a head's landmarks.
    public static let minimumSide = 16

    public static func read(url: URL, maxPixels: Int = defaultMaxPixels) throws(PhotoError) -> Photo {
        let path = url.path
        let bytes: [UInt8]
        do {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                throw PhotoError(.unreadable, path: path, reason: "it is a folder, not a photo")
            }
            bytes = [UInt8](try Data(contentsOf: url))
        } catch let error as PhotoError {
            throw error
        } catch {
            throw PhotoError(.unreadable, path: path, reason: (error as NSError).localizedDescription)
        }
        switch format(of: bytes) {
        case .jpeg: return try readJPEG(bytes, path: path, maxPixels: maxPixels)
        case .png: return try readPNG(url, maxPixels: maxPixels)
        case .other(let name):
            throw PhotoError(.unsupported, path: path, reason: "it is \(name); supported: \(PhotoError.supportedFormats)")
        }
    }

    enum Format: Equatable {
        case jpeg, png
        case other(String)
    }

    /// The format the first bytes announce, with a name for the ones we refuse.
    static func format(of bytes: [UInt8]) -> Format {
        if bytes.isEmpty { return .other("an empty file") }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if bytes.count >= 12, bytes[4..<8].elementsEqual("ftyp".utf8) {
            let brand = String(decoding: bytes[8..<12], as: UTF8.self)
            return .other(["heic", "heix", "hevc", "mif1", "msf1", "heim", "heis"].contains(brand) ? "a HEIC/HEIF image"
                          : brand == "avif" ? "an AVIF image" : "an ISO media file (brand \(brand))")
        }
        if bytes.starts(with: Array("RIFF".utf8)), bytes.count >= 12, bytes[8..<12].elementsEqual("WEBP".utf8) { return .other("a WebP image") }
        if bytes.starts(with: Array("GIF8".utf8)) { return .other("a GIF image") }
        if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
            return .other("a TIFF (or camera raw) image")
        }
        if bytes.starts(with: Array("BM".utf8)) { return .other("a BMP image") }
        return .other("not an image format we recognise")
    }

    static func checkSize(width: Int, height: Int, maxPixels: Int, path: String) throws(PhotoError) {
        guard width >= minimumSide, height >= minimumSide else {
            throw PhotoError(.badSize, path: path, reason: "the image is \(width) × \(height) pixels; a photo must be at least \(minimumSide) pixels each way")
        }
        guard width * height <= maxPixels else {
            throw PhotoError(.badSize, path: path, reason: "the image is \(width) × \(height) = \(width * height) pixels, more than the limit of \(maxPixels) pixels")
        }
    }

    static func readJPEG(_ bytes: [UInt8], path: String, maxPixels: Int) throws(PhotoError) -> Photo {
        var message = [CChar](repeating: 0, count: Int(JPEGSHIM_MESSAGE_CAPACITY))
        var info = jpegshim_info()
        var code = jpegshim_read_header(bytes, bytes.count, &info, &message, message.count)
        guard code == JPEGSHIM_OK else { throw error(code, message, path: path) }
        let width = Int(info.width), height = Int(info.height)
        try checkSize(width: width, height: height, maxPixels: maxPixels, path: path)
        guard info.color_space != 4 && info.color_space != 5 else {
            throw PhotoError(.unsupported, path: path, reason: "the JPEG is CMYK (a print file); supported: \(PhotoError.supportedFormats)")
        }
        let count = width * height * 3
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            code = jpegshim_decode_rgb(bytes, bytes.count, buffer.baseAddress, count, &message, message.count)
            initialized = count   // on failure the array is dropped unread
        }
        guard code == JPEGSHIM_OK else { throw error(code, message, path: path) }
        let orientation = EXIFOrientation.orientation(ofJPEG: bytes) ?? 1
        return Photo(width: width, height: height, pixels: pixels, format: "JPEG",
                     focalLength35mm: EXIFOrientation.focalLength35mm(ofJPEG: bytes)).upright(fromOrientation: orientation)
    }

    static func error(_ code: Int32, _ message: [CChar], path: String) -> PhotoError {
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch code {
        case JPEGSHIM_ERR_TRUNCATED: return PhotoError(.truncated, path: path, reason: text)
        case JPEGSHIM_ERR_UNSUPPORTED: return PhotoError(.unsupported, path: path, reason: "\(text); supported: \(PhotoError.supportedFormats)")
        case JPEGSHIM_ERR_NO_MEMORY: return PhotoError(.badSize, path: path, reason: "not enough memory to decode it (\(text))")
        default:
            // libjpeg's words for a 12-bit or arithmetic-coded file name what it is.
            if text.contains("precision") || text.contains("arithmetic") || text.contains("Unsupported") {
                return PhotoError(.unsupported, path: path, reason: "\(text); supported: \(PhotoError.supportedFormats)")
            }
            return PhotoError(.corrupt, path: path, reason: "the JPEG data is invalid (libjpeg: \(text))")
        }
    }

    static func readPNG(_ url: URL, maxPixels: Int) throws(PhotoError) -> Photo {
        let image: PNGImage
        do {
            image = try PNGReader.read(url: url, maxPixels: maxPixels)
        } catch {
            let kind: PhotoError.Kind = switch error.kind {
            case .truncated: .truncated
            case .tooLarge: .badSize
            case .fileSystem: .unreadable
            default: .corrupt
            }
            throw PhotoError(kind, path: url.path, reason: error.reason)
        }
        try checkSize(width: image.width, height: image.height, maxPixels: maxPixels, path: url.path)
        var rgb = [UInt8](repeating: 0, count: image.width * image.height * 3)
        for i in 0..<(image.width * image.height) {
            rgb[3 * i] = image.pixels[4 * i]
            rgb[3 * i + 1] = image.pixels[4 * i + 1]
            rgb[3 * i + 2] = image.pixels[4 * i + 2]
        }
        return Photo(width: image.width, height: image.height, pixels: rgb, format: "PNG")
    }
}

/// Writes JPEGs through libjpeg-turbo: test photos with an EXIF orientation, and the demo scene's
/// photo.
public enum JPEGEncoder {
    /// JPEG bytes of `photo` at `quality`, with an EXIF APP1 declaring `orientation` if given;
    /// `cmyk` writes the same pixels as a CMYK file (which `PhotoReader` refuses).
    public static func encode(_ photo: Photo, quality: Int = 90, orientation: Int? = nil, focalLength35mm: Int? = nil,
                              littleEndian: Bool = true, cmyk: Bool = false) throws(PhotoError) -> [UInt8] {
        let app1 = orientation.map {
            EXIFOrientation.app1(orientation: $0, littleEndian: littleEndian, focalLength35mm: focalLength35mm)
        }
        var message = [CChar](repeating: 0, count: Int(JPEGSHIM_MESSAGE_CAPACITY))
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let code = photo.pixels.withUnsafeBufferPointer { pixels in
            jpegshim_encode_rgb(pixels.baseAddress, UInt32(photo.width), UInt32(photo.height), Int32(quality), app1, app1?.count ?? 0,
                                cmyk ? 1 : 0, &out, &length, &message, message.count)
        }
        guard code == JPEGSHIM_OK, let out else { throw PhotoReader.error(code, message, path: "(encoding)") }
        defer { jpegshim_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }
}
