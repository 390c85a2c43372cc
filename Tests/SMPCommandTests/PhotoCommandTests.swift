import Foundation
import PhotoIO
import PNGIO
import Testing

/// `smp render` with a scene's `photo:`: the outputs, and bad photos refused before anything is
/// written.
@Suite("smp render: the plan on a photo")
struct PhotoCommandTests: TemporarySceneFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-photo-\(UUID().uuidString)")

    static let scenes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenes")

    /// The shipped photo demo's scene text with its photo, mask and landmarks replaced.
    func scene(photo: String, mask: String? = nil, vertex: String? = nil) throws -> String {
        var text = try String(contentsOf: Self.scenes.appendingPathComponent("photo-demo.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "file: photo-demo.jpg", with: "file: \(photo)" + (mask.map { "\n  mask: \($0)" } ?? ""))
        if let vertex { text = text.replacingOccurrences(of: #"vertex: \{[^}]*\}"#, with: "vertex: \(vertex)", options: .regularExpression) }
        return try write("photo.yaml", text)
    }

    func copyDemoPhoto() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.scenes.appendingPathComponent("photo-demo.jpg"), to: folder.appendingPathComponent("client.jpg"))
    }

    func writeBytes(_ name: String, _ bytes: [UInt8]) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: folder.appendingPathComponent(name))
    }

    static func grey(_ width: Int, _ height: Int) -> Photo {
        Photo(width: width, height: height, pixels: [UInt8](repeating: 128, count: width * height * 3))
    }

    @Test func writesThePhotoOutputs() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try copyDemoPhoto()
        let scene = try scene(photo: "client.jpg")
        let out = folder.appendingPathComponent("out")
        let outcome = try SMPProcess.run(["render", scene, "--only", "photo", "--out", out.path, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["photo-after.png", "photo-before.png", "photo-comparison.png", "photo-session-1.png", "photo-session-2.png",
                          "photo-session-3.png"])
        let before = try PNGReader.read(url: out.appendingPathComponent("photo-before.png"))
        let after = try PNGReader.read(url: out.appendingPathComponent("photo-after.png"))
        #expect(before.width == 1000 && before.height == 1000 && after.width == 1000)
        let changed = stride(from: 0, to: after.pixels.count, by: 4).filter { after.pixels[$0 + 1] != before.pixels[$0 + 1] }.count
        // The treated scalp darkens; the face, neck and background (most of the photo) stay.
        #expect(changed > 20_000 && changed < 200_000, "\(changed) pixels changed")
    }

    /// Same scene, same bytes for any thread count.
    @Test func sameBytesForAnyThreadCount() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try copyDemoPhoto()
        let scene = try scene(photo: "client.jpg")
        var files: [Data] = []
        for threads in [1, 3] {
            let out = folder.appendingPathComponent("out-\(threads)")
            let outcome = try SMPProcess.run(["render", scene, "--only", "photo-after", "--threads", String(threads), "--out", out.path, "--quiet"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            files.append(try Data(contentsOf: out.appendingPathComponent("photo-after.png")))
        }
        #expect(files[0] == files[1])
    }

    /// Each bad photo exits 65 (or 66 when it is missing) with a message naming the problem, and
    /// the output folder is never created.
    @Test func badPhotosWriteNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try copyDemoPhoto()
        let good = try JPEGEncoder.encode(Self.grey(64, 64))
        var huge = good
        let sof = huge.indices.dropLast().first { huge[$0] == 0xFF && huge[$0 + 1] == 0xC0 }!
        for offset in [5, 7] { (huge[sof + offset], huge[sof + offset + 1]) = (0x9C, 0x40) }   // 40000
        try writeBytes("truncated.jpg", Array(good.prefix(good.count / 2)))
        try writeBytes("cmyk.jpg", try JPEGEncoder.encode(Self.grey(64, 64), cmyk: true))
        try writeBytes("tiny.jpg", try JPEGEncoder.encode(Self.grey(1, 1)))
        try writeBytes("huge.jpg", huge)
        try writeBytes("photo.heic", [0, 0, 0, 24] + Array("ftypheic".utf8) + [UInt8](repeating: 0, count: 16))
        try writeBytes("mask.jpg", try JPEGEncoder.encode(Self.grey(500, 400)))
        let cases: [(photo: String, mask: String?, vertex: String?, status: Int32, says: String)] = [
            ("missing.jpg", nil, nil, 66, "missing.jpg"),
            ("truncated.jpg", nil, nil, 65, "truncated"),
            ("cmyk.jpg", nil, nil, 65, "CMYK"),
            ("tiny.jpg", nil, nil, 65, "1 × 1"),
            ("huge.jpg", nil, nil, 65, "40000 × 40000"),
            ("photo.heic", nil, nil, 65, "HEIC"),
            ("client.jpg", nil, "{ x: 500, y: 1400 }", 65, "photo.landmarks.vertex"),
            ("client.jpg", "mask.jpg", nil, 65, "it must be the photo's size, 1000 × 1000"),
            ("client.jpg", nil, "{ x: 500, y: 700 }", 65, "the head does not fit the landmarks"),
        ]
        for item in cases {
            let scene = try scene(photo: item.photo, mask: item.mask, vertex: item.vertex)
            let out = folder.appendingPathComponent("out-\(item.photo)")
            let outcome = try SMPProcess.run(["render", scene, "--out", out.path, "--quiet"])
            #expect(outcome.status == item.status, "\(item.photo): \(outcome.standardError)")
            #expect(outcome.standardError.contains(item.says), "\(item.photo): \(outcome.standardError)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(item.photo): the output folder was created")
        }
    }
}
