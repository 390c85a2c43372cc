import PoissonDisk

/// What each stage reads of a scene. The stages take these small values, not the scene: a
/// stage's inputs are what its parameter type lists, and a new scene key reaches a stage only
/// through here.
extension Scene {
    public var scalpParameters: ScalpParameters {
        ScalpParameters(head: head, hairLoss: hairLoss, hairline: hairline, scars: scars, smpBlend: existingHair.smpBlend, seed: seed)
    }

    public var sessionPlan: SessionPlan { SessionPlan(design: design, sessions: sessions, seed: seed) }

    public var surfaceParameters: SurfaceParameters {
        SurfaceParameters(skin: skin, existingHair: existingHair, veil: pigment.veil(sessions: sessions), seed: seed)
    }
}

// The stages built straight from a scene, for the commands, tests and benchmarks that want one
// stage alone; a render builds them through `ScenePreview`.

extension ScalpMap {
    public init(scene: Scene, cellMM: Double = ScalpMap.defaultCellMM) {
        self.init(scene.scalpParameters, cellMM: cellMM)
    }
}

extension DotPlacement {
    public static func dots(for scene: Scene, on map: ScalpMap, threads: Int = 1) throws -> [PoissonDot] {
        try dots(for: scene.sessionPlan, on: map, threads: threads)
    }
}

extension FollicleLayout {
    public static func units(for scene: Scene, on map: ScalpMap) throws -> [PoissonDot] {
        try units(for: scene.existingHair, seed: scene.seed, on: map)
    }
}

extension DensityReport {
    public init(scene: Scene, map: ScalpMap, dots: [PoissonDot]) throws {
        try self.init(sceneName: scene.name, plan: scene.sessionPlan, map: map, dots: dots, scalp: scene.scalpParameters)
    }
}

extension ScalpSurface {
    /// The surface with the scene's existing hair placed on `map` (`FollicleLayout`).
    public init(scene: Scene, map: ScalpMap, view: MapView) throws {
        self.init(scene.surfaceParameters, map: map, view: view, follicularUnits: try FollicleLayout.units(for: scene, on: map))
    }

    public init(scene: Scene, map: ScalpMap, view: MapView, follicularUnits: [PoissonDot]) {
        self.init(scene.surfaceParameters, map: map, view: view, follicularUnits: follicularUnits)
    }
}
