import Dispatch
import PoissonDisk

/// A scene's stages built once and handed to every output: the scalp map, the plan's dots and
/// the follicular units of the existing hair. The map images, the head views, the timeline and
/// a sweep's panels each draw from the same three, so a render samples the plan and the hair
/// once however many images it writes.
public struct ScenePreview: Sendable {
    public let scene: Scene
    public let map: ScalpMap
    /// Every session's dots (`DotPlacement`).
    public let dots: [PoissonDot]
    /// Where the existing hair grows (`FollicleLayout`), over the whole map.
    public let follicularUnits: [PoissonDot]

    /// The stages of `scene` on `map` (built by the caller, who checks the limits on it first).
    public init(scene: Scene, map: ScalpMap, threads: Int = 1) throws {
        self = try Self.build(scene: scene, map: map, threads: threads, surfaceOf: nil).preview
    }

    /// The stages, and the surface of `view` if one is asked for. With two threads or more the
    /// hair is placed and the surface built beside the dots: neither depends on the other, and
    /// each alone leaves a core idle. `placesHair` false leaves `follicularUnits` empty, for
    /// callers whose outputs draw no scalp (the report, dots.csv, the density map): placing
    /// the hair was a quarter of their set-up.
    public static func build(scene: Scene, map: ScalpMap, threads: Int, surfaceOf view: MapView?, placesHair: Bool = true)
        throws -> (preview: ScenePreview, surface: ScalpSurface?) {
        precondition(placesHair || view == nil, "a surface needs the hair")
        let hair = HairSlot()
        @Sendable func placeHair() throws -> ([PoissonDot], ScalpSurface?) {
            guard placesHair else { return ([], nil) }
            let units = try FollicleLayout.units(for: scene, on: map)
            return (units, view.map { ScalpSurface(scene.surfaceParameters, map: map, view: $0, follicularUnits: units) })
        }
        let placing = DispatchGroup()
        if threads > 1 && placesHair { DispatchQueue.global().async(group: placing) { hair.result = Result { try placeHair() } } }
        let dots: [PoissonDot]
        do {
            defer { placing.wait() }   // error or not: no placement left running behind us
            dots = try DotPlacement.dots(for: scene, on: map)
        }
        let (units, surface) = try hair.result?.get() ?? placeHair()
        return (ScenePreview(scene: scene, map: map, dots: dots, follicularUnits: units), surface)
    }

    /// The stages of `scene` on its own map.
    public init(scene: Scene, threads: Int = 1) throws {
        try self.init(scene: scene, map: ScalpMap(scene: scene), threads: threads)
    }

    /// Stages placed elsewhere (a test's own dots, or none).
    public init(scene: Scene, map: ScalpMap, dots: [PoissonDot], follicularUnits: [PoissonDot]) {
        self.scene = scene
        self.map = map
        self.dots = dots
        self.follicularUnits = follicularUnits
    }

    /// The bare scalp (skin, pores, stubble) of `view`, with this preview's hair.
    public func surface(view: MapView) -> ScalpSurface {
        ScalpSurface(scene.surfaceParameters, map: map, view: view, follicularUnits: follicularUnits)
    }
}

/// What the background placement of the hair left for the thread that waited for it.
private final class HairSlot: @unchecked Sendable {
    var result: Result<([PoissonDot], ScalpSurface?), any Error>?
}
