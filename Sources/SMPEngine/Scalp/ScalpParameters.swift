/// What the scalp stage reads of a scene: the head, the hair-loss pattern, the designed
/// hairline, the scars, how far SMP blends into existing hair, and the seed the hairline's,
/// the bald edges' and the scars' streams derive from. The pipeline takes it from the scene
/// (`Scene.scalpParameters`); the scalp stage sees nothing else of it.
public struct ScalpParameters: Sendable, Equatable {
    public var head: HeadShape
    public var hairLoss: HairLossPattern
    public var hairline: Hairline
    public var scars: [Scar]
    /// SMP density where hair is full, as a fraction of the bald-area density (the scene's
    /// `existingHair.smpBlend`).
    public var smpBlend: Double
    public var seed: UInt64

    public init(head: HeadShape, hairLoss: HairLossPattern, hairline: Hairline, scars: [Scar], smpBlend: Double, seed: UInt64) {
        self.head = head
        self.hairLoss = hairLoss
        self.hairline = hairline
        self.scars = scars
        self.smpBlend = smpBlend
        self.seed = seed
    }
}
