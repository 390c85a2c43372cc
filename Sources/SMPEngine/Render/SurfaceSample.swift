/// What the bare scalp looks like at one point, before pigment: the skin's linear-light
/// reflectance under any pigment, and the fraction of the point covered by hair lying on top of
/// the skin, with the hair's colour. A camera records
/// `hairCover · hair + (1 − hairCover) · skin · exp(−pigment depth)`: hair sits on top of the
/// pigmented skin.
public struct SurfaceSample: Sendable, Equatable {
    /// Linear-light reflectance of the skin, each channel 0…1.
    public var skin: LinearRGB
    /// Fraction of the point covered by hair, 0…1 (anti-aliased: a hair thinner than the
    /// filter covers part of it).
    public var hairCover: Float
    /// Linear-light reflectance of that hair.
    public var hair: LinearRGB

    public init(skin: LinearRGB, hairCover: Float, hair: LinearRGB) {
        self.skin = skin
        self.hairCover = hairCover
        self.hair = hair
    }

    /// What a camera records here where there is no pigment.
    public var reflectance: LinearRGB { hairCover * hair + (1 - hairCover) * skin }
}
