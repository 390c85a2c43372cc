/// What the bare scalp's rendering reads of a scene: the skin, the existing hair, the veil of
/// the scene's pigment (the same for every image, `PigmentModel.veil(sessions:)`), and the
/// seed the skin texture's streams derive from. The pipeline takes it from the scene
/// (`Scene.surfaceParameters`).
public struct SurfaceParameters: Sendable, Equatable {
    public var skin: Scene.Skin
    public var existingHair: Scene.ExistingHair
    public var veil: LinearRGB
    public var seed: UInt64

    public init(skin: Scene.Skin, existingHair: Scene.ExistingHair, veil: LinearRGB, seed: UInt64) {
        self.skin = skin
        self.existingHair = existingHair
        self.veil = veil
        self.seed = seed
    }
}
