/// How a result may age, for `outcome-range.png`: the light, typical and heavy ends of what
/// fading, spread, blowout and sun do to healed SMP, each shown at the same years after the
/// last session. A range, never one picture that reads like a promise.
///
/// Defaults: typical is the scene's own `pigment` (DOMAIN.md: half-life ~5 years, spread
/// +20–40 % over 5 years, blowout 1–3 %); light and heavy take the ends of those ranges, and
/// for the half-life and the sun, which DOMAIN.md gives no range for, our estimates
/// (8 and 3.5 years; heavy sun 0.5, i.e. a third shorter again).
public struct AgeingRange: Sendable, Equatable {
    /// One way of ageing. A nil value keeps the scene's `pigment` value.
    public struct Variant: Sendable, Equatable {
        public var name: String
        public var fadeHalfLifeYears: Double?
        public var spreadPer5Years: Double?
        public var blowoutFraction: Double?
        public var sunExposure: Double?

        public init(name: String, fadeHalfLifeYears: Double? = nil, spreadPer5Years: Double? = nil, blowoutFraction: Double? = nil,
                    sunExposure: Double? = nil) {
            self.name = name
            self.fadeHalfLifeYears = fadeHalfLifeYears
            self.spreadPer5Years = spreadPer5Years
            self.blowoutFraction = blowoutFraction
            self.sunExposure = sunExposure
        }
    }

    /// Light, typical, heavy: the rows of the sheet.
    public var variants: [Variant]
    /// Years after the last session: the columns of the sheet.
    public var years: [Double]

    public static let light = Variant(name: "light", fadeHalfLifeYears: 8, spreadPer5Years: 0.2, blowoutFraction: 0.01, sunExposure: 0)
    public static let typical = Variant(name: "typical")
    public static let heavy = Variant(name: "heavy", fadeHalfLifeYears: 3.5, spreadPer5Years: 0.4, blowoutFraction: 0.03, sunExposure: 0.5)

    public init(variants: [Variant] = [AgeingRange.light, AgeingRange.typical, AgeingRange.heavy], years: [Double] = [1, 3, 5]) {
        self.variants = variants
        self.years = years
    }
}

/// A touch-up years after the plan (DOMAIN.md: every 3–6 years, clinics quote 2–8): fresh ink
/// into most of the faded impressions, and new dots between them, in some regions or all.
public struct TouchUp: Sendable, Equatable {
    /// The share of the old impressions a touch-up re-inks when the scene does not say. Our
    /// estimate: the technician goes over the existing pattern (its dots still show, faded) but
    /// misses some that have faded furthest or spread into their neighbours; clinics describe a
    /// touch-up as refreshing the old dots, not only adding new ones.
    public static let defaultReink = 0.8
    /// Years after the plan's last session.
    public var afterYears: Double
    /// Regions it treats; empty: every region.
    public var regions: [ScalpRegion]
    /// Cumulative density after it in the regions it treats, as a fraction of the design (like
    /// a session's `densityFactor`): 1.3 adds 30 % of the design where the plan reached 1.
    public var densityFactor: Double
    /// Fraction of diluent in its ink; nil: the last session's.
    public var dilution: Double?
    /// The share of the dots already in its regions that it re-inks: each gets a fresh deposit of
    /// the touch-up's ink in its old impression (the faded ink stays), ageing from the touch-up's day.
    public var reink: Double

    public init(afterYears: Double, regions: [ScalpRegion] = [], densityFactor: Double, dilution: Double? = nil,
                reink: Double = TouchUp.defaultReink) {
        self.afterYears = afterYears
        self.regions = regions
        self.densityFactor = densityFactor
        self.dilution = dilution
        self.reink = reink
    }
}

/// The long view, `forecast.png` and the forecast part of `smp plan`: the years after the plan
/// with fading, the touch-ups and (`hairLoss.progression`) hair loss going on.
public struct ForecastSettings: Sendable, Equatable {
    /// How far the forecast looks, years after the last session.
    public var years: Double = 10
    /// The images of `forecast.png`, years after the last session.
    public var milestonesYears: [Double] = [0, 2, 4, 6, 8, 10]
    /// A touch-up is due when the darkening has fallen this fraction below the healed result's
    /// (our estimate: about what a client notices next to an old photo).
    public var touchUpMargin: Double = 0.15
    public var touchUps: [TouchUp] = []

    public init() {}
}

/// How fast a technician works, for the session times of `smp plan` and report.json.
public struct SessionRate: Sendable, Equatable {
    /// Needle impressions per hour. DOMAIN.md: 10,000–15,000 impressions in 2–4 hours, about
    /// 4,000 an hour.
    public var impressionsPerHour: Double = 4000
    /// Set-up, numbing, photos and breaks per session, minutes (our estimate).
    public var overheadMinutes: Double = 30

    public init() {}

    /// Hours a session of `impressions` takes, set-up included.
    public func hours(impressions: Int) -> Double {
        Double(impressions) / impressionsPerHour + overheadMinutes / 60
    }
}
