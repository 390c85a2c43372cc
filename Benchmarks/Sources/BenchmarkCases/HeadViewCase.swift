import Foundation
import PoissonDisk
import SMPEngine

/// The head views' benchmark case (issue 19): the demo's front view after treatment at the
/// default 1600 × 1600 pixels, its chart texture built beforehand (a render builds one per
/// moment and shares it between the views).
public struct HeadViewCase: Sendable {
    public let view: HeadViewRenderer
    let rendering: SceneRendering
    let map: ScalpMap
    let dots: [PoissonDot]
    let day: Double?
    public var size: String { "\(view.widthPixels)x\(view.heightPixels)" }

    public init(_ name: HeadViewName = .front, sceneFile: URL = RenderCase.demoScene) throws {
        let scene = try Scene.load(contentsOf: sceneFile)
        let rendering = SceneRendering(scene: scene, sceneText: "")
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let healed = TreatmentTime.healed.day(in: scene.sessions)
        let (texture, skin) = try rendering.viewTexture(map: map, dots: dots, day: healed, for: [rendering.camera(name)])
        view = try rendering.headView(name, map: map, texture: texture, skin: skin, font: nil)
        self.rendering = rendering
        self.map = map
        self.dots = dots
        day = healed
    }

    /// The view's texture built again: the part of a render each moment pays once.
    public func buildTexture() throws -> ChartTexture {
        try rendering.viewTexture(map: map, dots: dots, day: day, for: [view.camera]).0
    }
}
