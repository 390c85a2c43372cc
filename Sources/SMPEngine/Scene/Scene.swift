/// One client and one treatment plan, as a scene file describes it. Every quantity is
/// physical: millimetres, dots per cm², days. Load one with `Scene.load(contentsOf:)`.
public struct Scene: Sendable {
    public var name: String
    public var seed: UInt64
    public var notes: String
    public var head: HeadShape
    public var skin: Skin
    public var hairLoss: HairLossPattern
    /// The preset the pattern started from (for reports), nil for explicit shapes.
    public var hairLossPreset: HairLossPattern.Preset?
    public var hairline: Hairline
    public var existingHair: ExistingHair
    public var scars: [Scar]
    public var design: Design
    public var sessions: [Session]
    /// How the pigment heals, spreads, fades and shifts hue over time.
    public var pigment: PigmentModel
    /// The light / typical / heavy ends of ageing (`outcome-range.png`).
    public var ageing: AgeingRange = AgeingRange()
    /// The years after the plan: touch-ups and when they are due (`forecast.png`, `smp plan`).
    public var forecast: ForecastSettings = ForecastSettings()
    /// How fast the technician works (session times).
    public var sessionRate: SessionRate = SessionRate()
    public var render: RenderSettings
    /// The client's photo to composite the plan onto (`photo-….png`); nil: none.
    public var photo: PhotoSettings?

    public struct Skin: Sendable, Equatable {
        /// The skin's colour as a camera records it (sRGB).
        public var color: SRGBColor
        /// Where the colour came from: "Fitzpatrick III (Monk 4)", "Monk 6" or "explicit".
        public var source: String
        /// Pores and mottling, 0 (flat) to 1 (strong).
        public var texture: Double
        /// Specular sheen of bald scalp, 0 (matte) to 1 (shiny).
        public var shine: Double
    }

    /// The hair that remains, shaved to stubble for SMP.
    public struct ExistingHair: Sendable, Equatable {
        /// Density where the scalp has its full hair.
        public var hairsPerCM2: Double
        public var color: SRGBColor
        public var stubbleLengthMM: Double
        /// The hair's length as the patient wears it, mm: the stubble's length when shaved (the
        /// default). Hair long enough to lie down (`lyingHairMinimumMM`) lies over the scalp in
        /// the head views, from a parting; the map, a chart of the skin for the technician,
        /// keeps drawing the stubble's roots.
        public var lengthMM: Double
        /// SMP density where hair is full, as a fraction of the bald-area density: dots blend
        /// into the hair rather than stop at its edge.
        public var smpBlend: Double
        /// How deep under the skin the pigmented shafts darken it through the skin's transport
        /// (`HairStubble.transportShadow`), mm. Our estimate: the shaft through the epidermis and
        /// papillary dermis (0.3 mm), where it lies in the open follicle canal; deeper, the slab
        /// of Jensen's coefficients overstates the light reaching it (measured dermis scatters two
        /// to three times more, Jacques, Phys Med Biol 2013), and followed to 1.5 mm it would
        /// darken a full scalp by half.
        public var shaftShadowDepthMM: Double
    }

    /// Hair this long or longer lies on the scalp instead of standing as stubble (hair stands
    /// up to about 2 cm, our estimate from short cuts).
    public static let lyingHairMinimumMM = 20.0

    /// The finished design: density where the scalp is bald and fully treated.
    public struct Design: Sendable, Equatable {
        public var dotsPerCM2: Double
        /// 0 natural (irregular like follicles) to 1 as even as the sampler gets.
        public var regularity: Double
    }

    public struct RenderSettings: Sendable, Equatable {
        /// The map's scales a scene or `--px-per-mm` may ask for, px/mm: from a coarse overview to
        /// a wall print's detail.
        public static let pixelsPerMMRange: ClosedRange<Double> = 1...200
        public var pixelsPerMM: Double
        /// A close-up: the chart rectangle to draw (mm), nil for the whole scalp.
        public var crop: Crop?
        /// The moment `after.png` shows.
        public var after: TreatmentTime
        /// Further moments, each rendered as its own file (`at-5y.png`, ...).
        public var at: [TreatmentTime]
        /// The outputs to write (`OutputSelection`); nil writes them all.
        public var outputs: [String]?
        /// The head views `views` (the `view-...` outputs) shows.
        public var views: [HeadViewName] = HeadViewName.defaults
        /// Head views are this many pixels on a side.
        public var viewPixels: Int = 1600
        /// The head views' camera distance from the head, mm.
        public var viewDistanceMM: Double = 600
    }

    public struct Crop: Sendable, Equatable {
        public var xMM: Double
        public var yMM: Double
        public var widthMM: Double
        public var heightMM: Double
    }
}

/// One treatment session: when, how dense the result is after it, and what it deposits.
public struct Session: Sendable, Equatable {
    /// Days after the first session.
    public var day: Double
    /// Cumulative density after this session as a fraction of the design.
    public var densityFactor: Double
    /// Per-region multipliers on top of `densityFactor` (a lighter crown, a denser hairline).
    public var regionFactors: [ScalpRegion: Double]
    public var needle: Needle
    /// Undiluted ink colour (carbon black for SMP, DOMAIN.md).
    public var ink: SRGBColor
    /// Fraction of the ink mix that is diluent: 0 straight ink, 0.9 a pale grey wash.
    public var dilution: Double
    /// Deposit depth: 0.25–0.5 mm is the epidermis/upper dermis; deeper blows out (DOMAIN.md).
    public var depthMM: Double = 0.35
    /// The needle and dilution in some regions, where they differ from the session's own (a
    /// fine needle and paler ink along the hairline, a larger grouping over the crown, paler ink
    /// into scar tissue).
    public var regionOverrides: [PlanRegion: RegionOverride] = [:]

    /// A session's needle and dilution in one region; nil keeps the session's.
    public struct RegionOverride: Sendable, Equatable {
        public var needle: Needle?
        public var dilution: Double?

        public init(needle: Needle? = nil, dilution: Double? = nil) {
            self.needle = needle
            self.dilution = dilution
        }
    }

    /// This session as it works `region` (nil: outside every region): its needle and dilution there.
    public func resolved(in region: PlanRegion?) -> Session {
        guard let region, let override = regionOverrides[region] else { return self }
        var session = self
        session.needle = override.needle ?? needle
        session.dilution = override.dilution ?? dilution
        return session
    }

    /// The session as worked in each dot zone (`PlanRegion.zone`): index 0 outside every
    /// region, then the plan's regions in `allCases` order.
    public var resolvedByZone: [Session] {
        [self] + PlanRegion.allCases.map { resolved(in: $0) }
    }
}

/// The needle grouping used in a session.
public struct Needle: Sendable, Equatable {
    public enum Configuration: String, Sendable, CaseIterable {
        /// One point (1RL): fine dots, used for hairlines.
        case single
        /// Three points in a triangle (3RL): larger dots, used for fill.
        case threePoint
    }

    public var diameterMM: Double
    public var configuration: Configuration

    /// The impression a single puncture leaves: the needle, or the circle around three
    /// touching needles, d·(1 + 2/√3).
    public var impressionDiameterMM: Double {
        switch configuration {
        case .single: diameterMM
        case .threePoint: diameterMM * (1 + 2 / 3.0.squareRoot())
        }
    }
}

/// Named regions of the scalp, for density targets and reports.
public enum ScalpRegion: String, Sendable, CaseIterable, Codable, ZoneLabelledRegion {
    case frontalHairline
    case temples
    case midScalp
    case crown
    case sidesAndBack

    /// The region's position in `allCases`: per-region figures live in arrays indexed by it
    /// (a dictionary keyed by the region hashed its name per cell).
    public var caseIndex: Int {
        switch self {
        case .frontalHairline: 0
        case .temples: 1
        case .midScalp: 2
        case .crown: 3
        case .sidesAndBack: 4
        }
    }

}

/// The parts of the scalp a session can work with a needle and dilution of their own
/// (`regionOverrides`), and that the plan and its reports count apart: the anatomical regions,
/// and the scars and the alopecia areata patches, which take precedence over the region they
/// lie in (scar tissue takes ink differently from the skin around it, DOMAIN.md). All scars are
/// one region and all patches another: a technician chooses the needle and ink for the tissue,
/// and the scene names neither scars nor patches (the reports still list each one, as
/// `DensityReport.features`).
public enum PlanRegion: String, Sendable, CaseIterable, Codable, ZoneLabelledRegion {
    case frontalHairline
    case temples
    case midScalp
    case crown
    case sidesAndBack
    case scars
    case alopeciaPatches

    public init(_ region: ScalpRegion) {
        switch region {
        case .frontalHairline: self = .frontalHairline
        case .temples: self = .temples
        case .midScalp: self = .midScalp
        case .crown: self = .crown
        case .sidesAndBack: self = .sidesAndBack
        }
    }

    /// The anatomical region, nil for scars and patches (they lie across regions).
    public var scalpRegion: ScalpRegion? { ScalpRegion(rawValue: rawValue) }

    /// The region's position in `allCases`: the anatomical regions keep `ScalpRegion.caseIndex`.
    public var caseIndex: Int {
        switch self {
        case .frontalHairline: 0
        case .temples: 1
        case .midScalp: 2
        case .crown: 3
        case .sidesAndBack: 4
        case .scars: 5
        case .alopeciaPatches: 6
        }
    }

}

/// A set of regions whose dots carry the region's place in `allCases` as their label
/// (`PoissonDot.zone`), ordered by that place. `PlanRegion` lists `ScalpRegion`'s cases first,
/// in the same order, so plans without scars or patches label their dots as before.
public protocol ZoneLabelledRegion: CaseIterable, Comparable where AllCases == [Self] {
    /// The region's position in `allCases`: per-region figures live in arrays indexed by it.
    var caseIndex: Int { get }
}

extension ZoneLabelledRegion {
    public static func < (a: Self, b: Self) -> Bool { a.caseIndex < b.caseIndex }

    /// The label a dot in this region carries: 0 is kept for no region.
    public var zone: UInt8 { UInt8(caseIndex + 1) }

    /// The region of a dot's zone, nil for 0 (or an unknown label).
    public init?(zone: UInt8) {
        guard zone >= 1, Int(zone) <= Self.allCases.count else { return nil }
        self = Self.allCases[Int(zone) - 1]
    }
}
