/// One sampled dot: where it is, which layer (treatment session) placed it, the spacing it was
/// placed with, and the seed of its own random stream for everything drawn later (size, ink,
/// shape), so a renderer's per-dot variation does not depend on the order it visits dots in.
public struct PoissonDot: Sendable, Hashable, Codable {
    public var xMM: Double
    public var yMM: Double
    /// The spacing s this dot was placed with: no other dot j is closer than min(s, s_j).
    public var spacingMM: Double
    /// The layer that placed it: 1 for the first session, 2 for the second, ...
    public var layer: Int
    /// The impression diameter of the needle that placed it.
    public var diameterMM: Double
    /// Seed of this dot's own variation stream (see `SplitMix64`).
    public var variationSeed: UInt64
    /// The caller's label for the part of the domain the dot lies in, 0 for none: the SMP
    /// engine's scalp region, whose needle and ink a session may set apart. The sampler leaves
    /// it 0.
    public var zone: UInt8 = 0
    /// The share of a full deposit this dot received, 1 unless the caller gives less (the SMP
    /// engine: a touch-up topping up a faded impression).
    public var inkFactor: Float = 1

    public init(xMM: Double, yMM: Double, spacingMM: Double, layer: Int, diameterMM: Double, variationSeed: UInt64) {
        self.xMM = xMM
        self.yMM = yMM
        self.spacingMM = spacingMM
        self.layer = layer
        self.diameterMM = diameterMM
        self.variationSeed = variationSeed
    }
}
