/// The pigment's rates, as the scene file sets them (`pigment:`): healing, fading, spreading,
/// blowout and redness. What they mean and the laws that use them are in
/// Pigment/PigmentModel.swift (the pigment stage), with the sources of each default.
public struct PigmentModel: Sendable, Equatable {
    /// Fraction of the deposited ink left after healing (DOMAIN.md estimate: 50–70 %).
    public var retainedAfterHealing: Double = 0.6
    /// FWHM of the retained ink cloud / needle impression (our estimate: the ink stays in the
    /// needle's track). The darker middle of the cloud, seen through skin, is what reads as the
    /// healed dot of 0.5–0.6 × the needle (DOMAIN.md).
    public var inkCloudDiameterRatio: Double = 1.0
    /// Pigment load of tattooed skin inside the impression, undiluted ink, mg/cm² (DOMAIN.md,
    /// sourced: 0.6–9.4, mean 2.5, excised skin).
    public var inkLoadMgPerCM2: Double = 2.5
    /// Radius of the ink granules in the dermis, µm: our calibration, not a measurement. Carbon
    /// in tattooed skin sits in aggregates and granules inside macrophages and fibroblasts
    /// (PubMed 3654039; Baranska et al., J Exp Med 2018), from tenths of a µm to a few µm; at
    /// 1 µm the healed dots of the default plan have peak optical depths of about 2–4, so that
    /// dilution and fading still show. Sets κ = 3 / (4 r ρ).
    public var inkGranuleRadiusUM: Double = 1
    /// How much deeper the ink sits once its drift is over, mm (our estimate).
    public var inkMigrationMM: Double = 0.12
    /// Retained ink halves in this many years at normal sun (DOMAIN.md estimate ~5 years).
    public var fadeHalfLifeYears: Double = 5
    /// 0 normal sun, 1 heavy sun: the half-life divides by (1 + sunExposure) (our estimate).
    public var sunExposure: Double = 0
    /// Growth of a dot's σ over five years (DOMAIN.md estimate +20–40 %).
    public var spreadPer5Years: Double = 0.3
    /// Fraction of dots blown out at the nominal 0.35 mm depth (DOMAIN.md: 1–3 %).
    public var blowoutFraction: Double = 0.02
    /// How much wider a blown-out dot is (σ multiplier; our estimate of "large, ill-defined").
    public var blowoutSpread: Double = 3
    /// Time constant of the ink's drift deeper, years (our estimate).
    public var hueShiftYears: Double = 4
    /// Redness is gone this many days after the session (DOMAIN.md: ~72 h).
    public var rednessDays: Double = 3

    /// Dots are oval up to this ratio of long to short σ (our estimate: a needle never enters
    /// quite square to the skin, and healed dots are seldom perfectly round).
    public var maximumElongation = 1.3

    public init() {}
}
