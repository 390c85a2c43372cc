import Foundation
import SMPEngine

/// What the page posts: the scene (a file in the scenes folder), its `--set`-style overrides,
/// the view and the image's side in pixels. Parsed strictly: an unknown field, a wrong type or
/// a value out of range is refused with a message, never guessed at.
public struct PreviewSettings: Sendable, Equatable {
    /// A file name in the scenes folder; nil: the server's default scene.
    public var scene: String?
    public var overrides: [SceneOverride]
    public var view: PreviewView
    public var pixels: Int

    /// The image's side: a page's preview, not a print (`smp render` makes those).
    public static let pixelRange = 64...1200
    public static let defaultPixels = 640
    static let fields = ["scene", "set", "view", "pixels"]

    public init(scene: String? = nil, overrides: [SceneOverride] = [], view: PreviewView = .map, pixels: Int = defaultPixels) {
        self.scene = scene
        self.overrides = overrides
        self.view = view
        self.pixels = pixels
    }

    /// Parses the page's JSON: `{"scene": "demo.yaml", "set": ["design.dotsPerCM2=90"], "view":
    /// "map", "pixels": 640}`, every field optional. An empty body is the defaults.
    public init(json: Data) throws(PreviewRequestError) {
        self.init()
        guard !json.isEmpty else { return }
        guard let object = try? JSONSerialization.jsonObject(with: json), let fields = object as? [String: Any] else {
            throw .badRequest("the body is not a JSON object; allowed fields: \(Self.fields.joined(separator: ", "))")
        }
        if let unknown = fields.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw .badRequest("unknown parameter `\(unknown)`; allowed: \(Self.fields.joined(separator: ", "))")
        }
        if let scene = fields["scene"], !(scene is NSNull) {
            guard let name = scene as? String else { throw .badRequest("scene: a file name in the scenes folder, like \"demo.yaml\"") }
            self.scene = name
        }
        if let set = fields["set"] {
            guard let list = set as? [Any], list.count <= 200, list.allSatisfy({ $0 is String }) else {
                throw .badRequest("set: a list of at most 200 strings key.path=value, like [\"design.dotsPerCM2=90\"]")
            }
            do {
                overrides = try list.map { argument throws(SceneOverrideError) in try SceneOverride(parsing: argument as! String) }
            } catch {
                throw .badRequest(error.description)
            }
        }
        if let view = fields["view"] {
            guard let name = view as? String, let parsed = PreviewView(name) else {
                throw .badRequest("view: \(view); allowed: \(PreviewView.allowed)")
            }
            self.view = parsed
        }
        if let pixels = fields["pixels"] {
            // JSON numbers arrive as NSNumber; a Bool is one too, and is refused.
            guard let number = pixels as? NSNumber, !(pixels is Bool), let side = Int(exactly: number.doubleValue) else {
                throw .badRequest("pixels: \(pixels); allowed: a whole number \(Self.pixelRange.lowerBound) to \(Self.pixelRange.upperBound)")
            }
            guard Self.pixelRange.contains(side) else {
                throw .tooLarge("pixels: a \(side) × \(side) preview is refused; allowed: \(Self.pixelRange.lowerBound) to "
                    + "\(Self.pixelRange.upperBound) pixels a side (smp render makes full-size images)")
            }
            self.pixels = side
        }
    }
}

/// A request the server refuses, with its HTTP status and a message saying what was wrong and
/// what is allowed.
public enum PreviewRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case badRequest(String)
    case forbidden(String)
    case notFound(String)
    case tooLarge(String)

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .forbidden: 403
        case .notFound: 404
        case .tooLarge: 413
        }
    }

    public var description: String {
        switch self {
        case let .badRequest(message), let .forbidden(message), let .notFound(message), let .tooLarge(message): message
        }
    }
}

/// The scenes the server may read: files directly in one folder, by name. A name with a path
/// in it, a hidden file, another extension or a link leading out of the folder is refused.
public struct SceneFolder: Sendable {
    public let folder: URL
    public let defaultScene: String
    /// Scene files are small; a larger one is not a scene.
    static let maximumBytes = 1 << 20

    public init(folder: URL, defaultScene: String) {
        self.folder = folder.standardizedFileURL.resolvingSymlinksInPath()
        self.defaultScene = defaultScene
    }

    /// The `.yaml` files in the folder, sorted.
    public var sceneNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }.sorted()
    }

    /// The text of scene `name` (nil: the default scene).
    public func text(of name: String?) throws(PreviewRequestError) -> (text: String, name: String) {
        let name = name ?? defaultScene
        guard !name.isEmpty, !name.contains("/"), !name.contains("\\"), !name.hasPrefix("."), !name.contains("\0") else {
            throw .forbidden("scene \(name): only a file name in the scenes folder \(folder.path) is served, not a path")
        }
        guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else {
            throw .forbidden("scene \(name): only .yaml or .yml files are served")
        }
        let url = folder.appendingPathComponent(name).resolvingSymlinksInPath()
        guard url.deletingLastPathComponent().path == folder.path else {
            throw .forbidden("scene \(name): it leads outside the scenes folder \(folder.path)")
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              attributes[.type] as? FileAttributeType == .typeRegular else {
            throw .notFound("scene \(name): no such file in \(folder.path); there are: \(sceneNames.joined(separator: ", "))")
        }
        guard let size = attributes[.size] as? Int, size <= Self.maximumBytes else {
            throw .tooLarge("scene \(name): larger than \(Self.maximumBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw .notFound("scene \(name): unreadable or not UTF-8")
        }
        return (text, name)
    }
}
