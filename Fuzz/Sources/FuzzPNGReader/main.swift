import Foundation
import FuzzDriver
import PNGIO

/// The file each input is written to: the reader takes a path. In /dev/shm when there is one,
/// so the fuzzer does not wait on a disk.
private let path: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return (folder as NSString).appendingPathComponent("smp-fuzz-png-\(getpid()).png")
}()

/// One input as a PNG file. Reading must give an image or throw a
/// `PNGError`, never crash or allocate past libFuzzer's memory limit (`-rss_limit_mb`); the
/// pixel limit keeps a valid large image from counting as a finding.
private func fuzzPNGReader(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard FileManager.default.createFile(atPath: path, contents: bytes) else { fatalError("cannot write \(path)") }
    do {
        let image = try PNGReader.read(url: URL(fileURLWithPath: path), maxPixels: 1 << 22)
        precondition(image.pixels.count == image.width * image.height * 4, "pixel buffer size")
    } catch {
        _ = error.description
    }
    return 0
}

exit(runFuzzer { fuzzPNGReader($0, $1) })
