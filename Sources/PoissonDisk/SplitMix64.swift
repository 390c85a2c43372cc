/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): a 64-bit mixer used here to expand one seed into many independent ones
/// (one generator per purpose, one variation stream per dot) and to seed xoshiro.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective avalanche of 64 bits.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed for one purpose (`stream`) derived from a parent seed. Different streams give
    /// unrelated sequences; the same pair always gives the same seed, on every machine.
    @inlinable
    public static func derive(_ seed: UInt64, stream: UInt64) -> UInt64 {
        mix(mix(seed ^ 0x5EED_5EED_5EED_5EED) &+ mix(stream &+ 0x632B_E59B_D9B4_E019))
    }
}
