import Foundation
import Hummingbird
import ImageText
import NIOCore
import PNGIO
import SMPEngine

/// `smp serve`: the live tuning page on 127.0.0.1. The page (`TuningPage.html`) posts its
/// settings (`PreviewSettings`) and gets the preview PNG, the plan and density per region, or
/// the scene's YAML to save. Every scene is read with its overrides by the engine's own reader,
/// so a value the file would refuse is refused here with the same message.
public struct TuningServer: Sendable {
    public let scenes: SceneFolder
    public let port: Int
    let renderer: PreviewRenderer

    public init(scenes: SceneFolder, port: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.scenes = scenes
        self.port = port
        renderer = PreviewRenderer(threads: threads)
    }

    /// The routes, for the server and for tests.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: TuningPage.html)))
        }
        router.get("/api/choices") { _, _ in
            try await respond { try Self.json(choices) }
        }
        router.post("/api/state") { request, _ in
            try await respond(request) { settings in try Self.json(state(settings)) }
        }
        router.post("/api/preview") { request, _ in
            // Taken before the body is read: a newer request stops this one's render at once.
            let ticket = renderer.begin()
            return try await respond(request) { settings in
                let (scene, text) = try load(settings)
                let pixels = try renderer.render(scene, sceneText: text, view: settings.view, pixels: settings.pixels, ticket: ticket)
                return try Self.png(pixels, scene: scene)
            }
        }
        router.post("/api/plan") { request, _ in
            try await respond(request) { settings in
                let (scene, _) = try load(settings)
                let (rows, report) = try renderer.plan(of: scene)
                return try Self.json(PlanReply(designDotsPerCM2: scene.design.dotsPerCM2, sessions: rows, regions: report.regions))
            }
        }
        router.post("/api/save") { request, _ in
            try await respond(request) { settings in
                let (text, name) = try scenes.text(of: settings.scene)
                let yaml = try Scene.yaml(text, file: name, overrides: settings.overrides)
                return (Data(yaml.utf8), "application/yaml; charset=utf-8")
            }
        }
        return router
    }

    /// Serves until the task is cancelled; `onRunning` hears the address it listens on.
    public func run(onRunning: @escaping @Sendable (String) -> Void) async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "smp"),
            onServerRunning: { channel in
                onRunning("http://127.0.0.1:\(channel.localAddress?.port ?? port)/")
            })
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
            throw ListenError(host: "127.0.0.1", port: port, inUse: error.errnoCode == EADDRINUSE)
        }
    }

    /// The server could not listen on its address: the port is taken by another program, or
    /// the system refuses it (a port below 1024 without the right to it).
    public struct ListenError: Error, CustomStringConvertible {
        public var host: String
        public var port: Int
        public var inUse: Bool

        public var description: String {
            inUse ? "cannot listen on \(host):\(port): the port is in use (another smp serve or another program listens there); "
                + "pass --port with a free port, or --port 0 for any free one"
                : "cannot listen on \(host):\(port): permission denied (ports below 1024 need privileges); pass --port with a port from 1024 to 65535, or --port 0 for any free one"
        }
    }

    func load(_ settings: PreviewSettings) throws -> (Scene, String) {
        let (text, name) = try scenes.text(of: settings.scene)
        let scene = try Scene.load(yaml: text, file: name, overrides: settings.overrides)
        return (scene, SceneOverride.annotated(text, with: settings.overrides))
    }

    // MARK: Replies

    struct PlanReply: Codable {
        var designDotsPerCM2: Double
        var sessions: [SessionPlanRow]
        var regions: [DensityReport.RegionFigures]
    }

    var choices: [String: [String]] {
        ["scenes": scenes.sceneNames, "default": [scenes.defaultScene],
         "hairLossPatterns": HairLossPattern.Preset.allCases.map(\.rawValue),
         "hairlineStyles": Hairline.Style.allCases.map(\.rawValue),
         "fitzpatrick": SkinTone.Fitzpatrick.allCases.map(\.rawValue),
         "needleConfigurations": Needle.Configuration.allCases.map(\.rawValue),
         "views": PreviewView.allowed.components(separatedBy: ", ")]
    }

    /// The controls' values for the scene with the settings' overrides.
    struct ControlState: Codable {
        struct SessionState: Codable {
            var day: Double
            var densityFactor: Double
            var needleDiameterMM: Double
            var needleConfiguration: String
            var dilution: Double
            var ink: String
        }
        var scene: String
        var dotsPerCM2: Double
        var sessions: [SessionState]
        var fitzpatrick: String?
        var hairlineStyle: String
        var hairlineHeightMM: Double
        var hairLossPattern: String?
        var daysAfterLastSession: Double
        var seed: String
    }

    func state(_ settings: PreviewSettings) throws -> ControlState {
        let (scene, _) = try load(settings)
        let last = scene.sessions.last?.day ?? 0
        let fitzpatrick = scene.skin.source.hasPrefix("Fitzpatrick ")
            ? scene.skin.source.dropFirst("Fitzpatrick ".count).split(separator: " ").first.map(String.init) : nil
        return ControlState(
            scene: try scenes.text(of: settings.scene).name, dotsPerCM2: scene.design.dotsPerCM2,
            sessions: scene.sessions.map {
                .init(day: $0.day, densityFactor: $0.densityFactor, needleDiameterMM: $0.needle.diameterMM,
                      needleConfiguration: $0.needle.configuration.rawValue, dilution: $0.dilution, ink: $0.ink.description)
            },
            fitzpatrick: fitzpatrick, hairlineStyle: scene.hairline.style.rawValue, hairlineHeightMM: scene.hairline.heightAboveBrowMM,
            hairLossPattern: scene.hairLossPreset?.rawValue,
            daysAfterLastSession: max(0, (scene.render.after.day(in: scene.sessions) ?? last) - last), seed: String(scene.seed))
    }

    static func json(_ value: some Encodable) throws -> (Data, String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try encoder.encode(value), "application/json")
    }

    /// The preview as a PNG, through the project's writer (into a temporary file it writes
    /// atomically, read back and removed).
    static func png(_ pixels: PanelPixels, scene: Scene) throws -> (Data, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-serve-\(getpid())", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("preview-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try PNGWriter(url: url, width: pixels.width, height: pixels.height, format: .rgb8,
                                   software: SoftwareVersion.nameAndNumber,
                                   text: [PNGTextChunk("Scene", scene.name), PNGTextChunk("Seed", String(scene.seed))],
                                   compression: .fast)
        try writer.appendRows(pixels.bytes)
        try writer.finish()
        return (try Data(contentsOf: url), "image/png")
    }
}

// MARK: Errors to responses

/// Runs `work` off the server's event loops (a render takes tens of milliseconds of CPU) and
/// answers with its bytes, or with the HTTP status and message of what went wrong: a request
/// never brings the server down.
func respond(_ work: @escaping @Sendable () throws -> (Data, String)) async throws -> Response {
    do {
        let (data, type) = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    } catch {
        let (status, message) = refusal(for: error)
        return Response(status: .init(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// `respond` for a request whose body is the page's settings.
func respond(_ request: Request, _ work: @escaping @Sendable (PreviewSettings) throws -> (Data, String)) async throws -> Response {
    let body: ByteBuffer
    do {
        body = try await request.body.collect(upTo: 64 << 10)
    } catch {
        return try await respond { throw PreviewRequestError.tooLarge("the request body is over 64 KB; the page's settings take far less") }
    }
    return try await respond {
        let settings = try PreviewSettings(json: Data(body.readableBytesView))
        return try work(settings)
    }
}

/// The status and message for an error: the request's own mistakes are 4xx with what was
/// wrong and what is allowed; only the server's are 500.
func refusal(for error: any Error) -> (Int, String) {
    switch error {
    case let error as PreviewRequestError: (error.status, error.description)
    case let error as SceneError: (422, error.description)
    case let error as SceneOverrideError: (400, error.description)
    case let error as RenderLimitError: (413, "refused: " + error.description)
    case is CancellationError: (409, "superseded by a newer render")
    default: (500, "internal error: \(error)")
    }
}
