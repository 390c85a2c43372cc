import Foundation
import PhotoIO
import PNGIO
import Testing

/// A photo whose every pixel says where it is: red rises along x, green along y, and the
/// top-left quarter is blue, so any turn or mirror shows.
func gradientPhoto(width: Int, height: Int) -> Photo {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            let i = (y * width + x) * 3
            pixels[i] = UInt8(255 * x / max(1, width - 1))
            pixels[i + 1] = UInt8(255 * y / max(1, height - 1))
            pixels[i + 2] = x < width / 2 && y < height / 2 ? 220 : 20
        }
    }
    return Photo(width: width, height: height, pixels: pixels)
}

func withFolder<T>(_ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("photoio-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

func readBytes(_ bytes: [UInt8], name: String = "photo.jpg", maxPixels: Int = PhotoReader.defaultMaxPixels) throws -> Photo {
    try withFolder { folder in
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return try PhotoReader.read(url: url, maxPixels: maxPixels)
    }
}

func readError(_ bytes: [UInt8], name: String = "photo.jpg", maxPixels: Int = PhotoReader.defaultMaxPixels) throws -> PhotoError? {
    do {
        _ = try readBytes(bytes, name: name, maxPixels: maxPixels)
        return nil
    } catch let error as PhotoError {
        #expect(error.description.contains(name))
        return error
    }
}

/// Mean absolute difference of two photos' samples (JPEG is lossy).
func meanDifference(_ a: Photo, _ b: Photo) -> Double {
    zip(a.pixels, b.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.pixels.count)
}

@Suite struct PhotoReaderTests {
    @Test func jpegRoundTripsWithoutOrientation() throws {
        let photo = gradientPhoto(width: 64, height: 40)
        let read = try readBytes(try JPEGEncoder.encode(photo, quality: 95))
        #expect(read.width == 64 && read.height == 40 && read.format == "JPEG" && read.orientation == 1)
        #expect(meanDifference(read, photo) < 4)
    }

    /// A camera stores the sensor's rows and says in EXIF how to turn them: each of the eight
    /// orientations, in both byte orders, decodes to the upright picture.
    @Test(arguments: 1...8, [true, false])
    func exifOrientationIsApplied(orientation: Int, littleEndian: Bool) throws {
        let upright = gradientPhoto(width: 48, height: 32)
        // The stored pixels: the upright picture turned the way the tag undoes.
        let stored = storedPixels(upright, orientation: orientation)
        let bytes = try JPEGEncoder.encode(stored, quality: 95, orientation: orientation, littleEndian: littleEndian)
        #expect(EXIFOrientation.orientation(ofJPEG: bytes) == orientation)
        let read = try readBytes(bytes)
        #expect(read.width == 48 && read.height == 32)
        #expect(read.orientation == orientation)
        #expect(meanDifference(read, upright) < 4, "orientation \(orientation)")
        // The blue quarter is top left.
        #expect(read.pixel(x: 3, y: 3).z > 150 && read.pixel(x: 44, y: 28).z < 80)
    }

    /// A phone's JPEG says its lens in 35 mm terms (FocalLengthIn35mmFilm in the Exif IFD): read
    /// in both byte orders beside the orientation; absent, nil.
    @Test(arguments: [true, false])
    func exifFocalLengthIsRead(littleEndian: Bool) throws {
        let photo = gradientPhoto(width: 32, height: 48)
        let bytes = try JPEGEncoder.encode(photo, quality: 90, orientation: 6, focalLength35mm: 26, littleEndian: littleEndian)
        #expect(EXIFOrientation.orientation(ofJPEG: bytes) == 6)
        let read = try readBytes(bytes)
        #expect(read.focalLength35mm == 26 && read.orientation == 6 && read.width == 48)
        #expect(try readBytes(try JPEGEncoder.encode(photo, quality: 90, orientation: 1, littleEndian: littleEndian)).focalLength35mm == nil)
    }

    /// The inverse of `Photo.upright`: what a camera writes for an upright scene.
    func storedPixels(_ upright: Photo, orientation: Int) -> Photo {
        // Each orientation's inverse: 6 and 8 undo each other, the rest undo themselves.
        let inverse = orientation == 6 ? 8 : orientation == 8 ? 6 : orientation
        return upright.upright(fromOrientation: inverse)
    }

    @Test func pngIsRead() throws {
        let photo = gradientPhoto(width: 20, height: 18)
        let read = try withFolder { folder in
            let url = folder.appendingPathComponent("p.png")
            let writer = try PNGWriter(url: url, width: 20, height: 18, format: .rgb8, software: "t")
            try writer.appendRows(photo.pixels)
            try writer.finish()
            return try PhotoReader.read(url: url)
        }
        #expect(read.pixels == photo.pixels && read.format == "PNG")
    }

    @Test func truncatedJPEGIsRefused() throws {
        let bytes = try JPEGEncoder.encode(gradientPhoto(width: 64, height: 64))
        let error = try readError(Array(bytes.prefix(bytes.count * 2 / 3)))
        #expect(error?.kind == .truncated)
        #expect(error?.description.contains("truncated") == true)
    }

    @Test func cmykJPEGIsRefused() throws {
        let bytes = try JPEGEncoder.encode(gradientPhoto(width: 32, height: 32), cmyk: true)
        let error = try readError(bytes)
        #expect(error?.kind == .unsupported)
        #expect(error?.description.contains("CMYK") == true && error?.description.contains("PNG") == true)
    }

    @Test func tinyPhotoIsRefused() throws {
        let error = try readError(try JPEGEncoder.encode(gradientPhoto(width: 1, height: 1)))
        #expect(error?.kind == .badSize)
        #expect(error?.description.contains("1 × 1") == true)
    }

    /// A header claiming 40,000 × 40,000 pixels is refused from the header, before decoding.
    @Test func hugeHeaderIsRefusedBeforeDecoding() throws {
        var bytes = try JPEGEncoder.encode(gradientPhoto(width: 32, height: 32))
        // The baseline frame header (SOF0): FF C0, length, precision, height, width.
        let sof = try #require(bytes.indices.dropLast().first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        for (offset, value) in [(5, 40000), (7, 40000)] {
            bytes[sof + offset] = UInt8(value >> 8)
            bytes[sof + offset + 1] = UInt8(value & 0xFF)
        }
        let error = try readError(bytes)
        #expect(error?.kind == .badSize)
        #expect(error?.description.contains("40000 × 40000") == true && error?.description.contains("limit") == true)
    }

    @Test func otherFormatsNameTheSupportedOnes() throws {
        let heic: [UInt8] = [0, 0, 0, 24] + Array("ftypheic".utf8) + [UInt8](repeating: 0, count: 16)
        let error = try readError(heic, name: "photo.heic")
        #expect(error?.kind == .unsupported)
        #expect(error?.description.contains("HEIC") == true && error?.description.contains("JPEG") == true)
        #expect(try readError([], name: "empty.jpg")?.kind == .unsupported)
    }

    @Test func garbageAfterJPEGMarkerIsCorrupt() throws {
        var bytes = try JPEGEncoder.encode(gradientPhoto(width: 64, height: 64))
        // Overwrite the entropy-coded data in the middle with a restart marker that has no place there.
        for i in (bytes.count / 2)..<(bytes.count / 2 + 40) { bytes[i] = i % 2 == 0 ? 0xFF : 0xD3 }
        let error = try readError(bytes)
        #expect(error != nil)
    }
}

/// The turns against the EXIF specification's own words, independent of `upright`'s inverse.
@Suite struct PhotoOrientationTests {
    /// 3 × 2 stored pixels numbered 0...5 in red, row by row.
    let stored = Photo(width: 3, height: 2, pixels: (0..<6).flatMap { [UInt8($0), 0, 0] })

    func reds(_ photo: Photo) -> [[UInt8]] {
        (0..<photo.height).map { y in (0..<photo.width).map { x in photo.pixel(x: x, y: y).x } }
    }

    @Test func orientationSixPutsTheStoredTopRowOnTheRight() {
        // "The 0th row represents the visual right-hand side, the 0th column the visual top."
        #expect(reds(stored.upright(fromOrientation: 6)) == [[3, 0], [4, 1], [5, 2]])
    }

    @Test func orientationEightPutsTheStoredTopRowOnTheLeft() {
        // "The 0th row represents the visual left-hand side, the 0th column the visual bottom."
        #expect(reds(stored.upright(fromOrientation: 8)) == [[2, 5], [1, 4], [0, 3]])
    }

    @Test func orientationThreeTurnsHalfway() {
        #expect(reds(stored.upright(fromOrientation: 3)) == [[5, 4, 3], [2, 1, 0]])
    }
}
