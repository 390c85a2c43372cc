import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PNGIO
import SMPEngine
import Testing
@testable import SMPServer

@Suite("The live tuning page's server")
struct TuningServerTests {
    /// A small, fast scene: Norwood 7, two sessions.
    static let scene = """
        name: page
        seed: 7
        hairLoss: { pattern: norwood7 }
        design: { dotsPerCM2: 80 }
        sessions:
          - { day: 0, densityFactor: 0.6 }
          - { day: 14, densityFactor: 1.0 }
        render: { pixelsPerMM: 6 }
        """

    /// A scenes folder holding `page.yaml`, and beside it (outside) `secret.yaml`.
    static func folder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("smp-serve-tests-\(UUID().uuidString)")
        let scenes = root.appendingPathComponent("scenes")
        try FileManager.default.createDirectory(at: scenes, withIntermediateDirectories: true)
        try Data(scene.utf8).write(to: scenes.appendingPathComponent("page.yaml"))
        try Data(scene.utf8).write(to: root.appendingPathComponent("secret.yaml"))
        try FileManager.default.createSymbolicLink(at: scenes.appendingPathComponent("link.yaml"),
                                                   withDestinationURL: root.appendingPathComponent("secret.yaml"))
        return scenes
    }

    static func application(_ folder: URL) -> some ApplicationProtocol {
        Application(router: TuningServer(scenes: SceneFolder(folder: folder, defaultScene: "page.yaml"), port: 0, threads: 2).router())
    }

    static func post(_ client: some TestClientProtocol, _ path: String, _ json: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
    }

    static func decodePNG(_ body: ByteBuffer) throws -> PNGImage {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smp-serve-test-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(body.readableBytesView).write(to: url)
        return try PNGReader.read(url: url)
    }

    @Test("the page is one self-contained HTML file: no address outside the server")
    func page() async throws {
        try await Self.application(try Self.folder()).test(.router) { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("<input id=\"density\" type=\"range\""))
            #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src=\"//"))
        }
    }

    @Test("a preview is a PNG at the page's size; a change of density changes it")
    func preview() async throws {
        try await Self.application(try Self.folder()).test(.router) { client in
            let first = try await Self.post(client, "/api/preview", #"{"pixels": 200}"#)
            #expect(first.headers[.contentType] == "image/png")
            let image = try Self.decodePNG(first.body)
            #expect(image.width == 200 && image.height == 200)
            let denser = try await Self.post(client, "/api/preview", #"{"pixels": 200, "set": ["design.dotsPerCM2=160"]}"#)
            #expect(denser.status == .ok)
            #expect(try Self.decodePNG(denser.body).pixels != image.pixels)
            let view = try await Self.post(client, "/api/preview", #"{"pixels": 160, "view": "top"}"#)
            #expect(view.status == .ok)
            #expect(try Self.decodePNG(view.body).width == 160)
        }
    }

    @Test("bad input is refused with 4xx and a message saying what is allowed",
          arguments: [
              (#"{"bogus": 1}"#, 400, "unknown parameter `bogus`"),
              (#"not json"#, 400, "not a JSON object"),
              (#"[1, 2]"#, 400, "not a JSON object"),
              (#"{"set": "design.dotsPerCM2=90"}"#, 400, "a list of at most 200 strings"),
              (#"{"set": ["nothing"]}"#, 400, "no `=`"),
              (#"{"view": "sideways"}"#, 400, "allowed: map, front"),
              (#"{"pixels": 5000}"#, 413, "5000 × 5000 preview is refused"),
              (#"{"pixels": 1.5}"#, 400, "a whole number"),
              (#"{"pixels": true}"#, 400, "a whole number"),
              (#"{"scene": "../secret.yaml"}"#, 403, "not a path"),
              (#"{"scene": "/etc/passwd"}"#, 403, "not a path"),
              (#"{"scene": "link.yaml"}"#, 403, "outside the scenes folder"),
              (#"{"scene": "passwd"}"#, 403, "only .yaml or .yml"),
              (#"{"scene": "missing.yaml"}"#, 404, "there are: link.yaml, page.yaml"),
              (#"{"set": ["design.dotsPerCM2=999"]}"#, 422, "design.dotsPerCM2"),
              (#"{"set": ["design.bogus=1"]}"#, 422, "design.bogus"),
              (#"{"set": ["sessions[7].day=3"]}"#, 422, "allowed indices"),
              (#"{"set": ["render.after=session:9"]}"#, 422, "render.after"),
          ])
    func refusals(body: String, status: Int, message: String) async throws {
        try await Self.application(try Self.folder()).test(.router) { client in
            for path in ["/api/preview", "/api/plan", "/api/save"] {
                let response = try await Self.post(client, path, body)
                // The plan and the saved scene show no moment: only a render needs the session.
                if path != "/api/preview" && body.contains("session:9") { continue }
                #expect(Int(response.status.code) == status, "\(path) \(body)")
                #expect(String(buffer: response.body).contains(message), "\(path) \(body): \(String(buffer: response.body))")
            }
        }
    }

    @Test("a body over 64 KB is refused, and the server still answers after it")
    func oversizedBody() async throws {
        try await Self.application(try Self.folder()).test(.router) { client in
            let response = try await Self.post(client, "/api/plan", "{\"set\": [\"" + String(repeating: "x", count: 70_000) + "\"]}")
            #expect(response.status.code == 413)
            #expect(try await Self.post(client, "/api/plan", "{}").status == .ok)
        }
    }

    @Test("the plan shows the new design density in every fully treated region")
    func plan() async throws {
        try await Self.application(try Self.folder()).test(.router) { client in
            let response = try await Self.post(client, "/api/plan", #"{"set": ["design.dotsPerCM2=120"]}"#)
            #expect(response.status == .ok)
            let reply = try JSONDecoder().decode(TuningServer.PlanReply.self, from: Data(response.body.readableBytesView))
            #expect(reply.designDotsPerCM2 == 120)
            #expect(reply.sessions.count == 2)
            let targets = reply.regions.map { $0.sessions.last!.targetDotsPerCM2 }
            #expect(abs((targets.max() ?? 0) - 120) < 1.5)
        }
    }

    @Test("the saved scene reads back and renders the same pixels as the file with the page's overrides")
    func saveRoundTrip() async throws {
        let folder = try Self.folder()
        let overrides = ["design.dotsPerCM2=110", "sessions[1].needle.diameterMM=0.3", "sessions=[{day: 0, densityFactor: 0.5}, "
                         + "{day: 10, densityFactor: 0.8, dilution: 0.2}, {day: 24, densityFactor: 1, ink: \"#202830\"}]",
                         "skin.fitzpatrick=IV", "render.after=30d", "seed=99", "render.crop={xMM: -8, yMM: -60, widthMM: 16, heightMM: 12}"]
        let body = try String(decoding: JSONSerialization.data(withJSONObject: ["set": overrides]), as: UTF8.self)
        let saved = try await Self.application(folder).test(.router) { client in
            let response = try await Self.post(client, "/api/save", body)
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
        let parsed = try overrides.map { try SceneOverride(parsing: $0) }
        let fromSave = try Scene.load(yaml: saved, file: "saved.yaml")
        let fromFile = try Scene.load(yaml: Self.scene, file: "page.yaml", overrides: parsed)
        #expect(fromSave.sessions == fromFile.sessions && fromSave.design == fromFile.design && fromSave.seed == 99)
        let out = folder.deletingLastPathComponent()
        for (name, scene, text) in [("saved", fromSave, saved), ("file", fromFile, Self.scene)] {
            _ = try SceneRendering(scene: scene, sceneText: text, threads: 2)
                .render(into: out.appendingPathComponent(name), only: ["before", "after"])
        }
        for image in ["before.png", "after.png"] {
            let a = try PNGReader.read(url: out.appendingPathComponent("saved/\(image)"))
            let b = try PNGReader.read(url: out.appendingPathComponent("file/\(image)"))
            #expect(a.width == 96 && a.pixels == b.pixels, "\(image)")
        }
    }

    @Test("a render begun before a newer one stops with CancellationError")
    func staleRenderStops() throws {
        let renderer = PreviewRenderer(threads: 1)
        let scene = try Scene.load(yaml: Self.scene, file: "page.yaml")
        let stale = renderer.begin()
        let current = renderer.begin()
        #expect(throws: CancellationError.self) { try renderer.render(scene, sceneText: Self.scene, view: .map, pixels: 96, ticket: stale) }
        #expect(throws: Never.self) { try renderer.render(scene, sceneText: Self.scene, view: .map, pixels: 96, ticket: current) }
    }

    @Test("cached stages give the same pixels as a fresh renderer, whatever came before")
    func cacheMatchesFresh() throws {
        let shared = PreviewRenderer(threads: 2)
        let sequence: [[String]] = [[], ["design.dotsPerCM2=140"], ["skin.fitzpatrick=V"], ["design.dotsPerCM2=140", "seed=3"], [],
                                    ["hairLoss.pattern=norwood5"], ["render.after=5y"]]
        for (index, set) in sequence.enumerated() {
            let scene = try Scene.load(yaml: Self.scene, file: "page.yaml", overrides: set.map { try SceneOverride(parsing: $0) })
            let view: PreviewView = index == 2 ? .head(.top) : .map
            let cached = try shared.render(scene, sceneText: Self.scene, view: view, pixels: 96, ticket: shared.begin())
            let fresh = PreviewRenderer(threads: 1)
            let expected = try fresh.render(scene, sceneText: Self.scene, view: view, pixels: 96, ticket: fresh.begin())
            #expect(cached == expected, "\(set)")
        }
    }
}
