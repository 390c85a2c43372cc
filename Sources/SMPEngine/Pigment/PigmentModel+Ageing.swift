extension PigmentModel {
    /// This model aged the way `variant` says: its half-life, spread, blowout share and sun
    /// where the variant gives them, this model's own values where it does not.
    public func ageing(_ variant: AgeingRange.Variant) -> PigmentModel {
        var model = self
        model.fadeHalfLifeYears = variant.fadeHalfLifeYears ?? fadeHalfLifeYears
        model.spreadPer5Years = variant.spreadPer5Years ?? spreadPer5Years
        model.blowoutFraction = variant.blowoutFraction ?? blowoutFraction
        model.sunExposure = variant.sunExposure ?? sunExposure
        return model
    }

    /// The half-life the sun leaves, years.
    public var effectiveHalfLifeYears: Double { fadeHalfLifeYears / (1 + sunExposure) }
}
