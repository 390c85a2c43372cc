import Foundation
import PoissonDisk

/// What a dot of pigment looks like a given number of days after its session: how much ink it
/// holds, how wide it has spread, how red the skin around it is, and its colour.
///
/// Each dot is drawn as up to three Gaussian components (the renderer's `InkDot`), each given
/// by an *amount* (ink integrated over the skin) and a width σ, so its peak is
/// amount / (2πσ²) and spreading alone never changes how much ink there is:
///
/// - **Dermal core**, the pigment that stays. Deposited amount A₀ = P₀ · 2πσᵢ² · (1 − dilution)
///   · v_ink, with σᵢ the needle impression's σ (FWHM = impression diameter), P₀ the fresh peak
///   ink and v_ink the dot's own variation. The core holds the retained fraction ρ of it and
///   fades with a half-life:
///
///       A_core(t) = ρ · A₀ · 2^(−t / T½),   T½ = fadeHalfLifeYears / (1 + sunExposure)
///
///   Its width starts at the healed dot (FWHM = healedDiameterRatio × impression, × v_size)
///   and grows like √t, by `spreadPer5Years` of σ over five years:
///
///       σ_core(t)² = σ₀² · (1 + ((1 + g)² − 1) · t / 5 y)
///
///   A fraction `subsurfaceFraction` of the core's ink is drawn as a wider halo (σ_halo² = σ² +
///   subsurfaceSigmaMM²): light scattered sideways in the dermis darkens around the dot too.
///
/// - **Surface ink and crust**, the part healing takes away ("phantom fade"): amount
///   (1 − ρ)·A₀ at the impression's width, slightly swollen in the first days
///   (×(1 + 0.25·(1 − s(0, 3, t)))), darker while scabbed (×(1 + 0.3·bump over days 3–7)),
///   and shed with the scabs between days 3 and 10: × (1 − s(3, 10, t)), s the smoothstep.
///
/// - **Redness** around the fresh puncture (irritation, like mild sunburn): haemoglobin-like
///   absorption of green and blue over a halo of σ = 0.3 mm, strongest on day 0 and exactly
///   zero from `rednessDays` on: × (1 − s(0, rednessDays, t)).
///
/// Colour: the ink's absorbance a = −ln(ink colour, linear) per unit ink. Carbon drifts to
/// blue-grey as it ages (particles disperse, the dermis above scatters blue back): the
/// absorbance is tilted, red up and blue down, by h(t) = 1 − exp(−t / hueShiftYears)
/// times 8 % / −10 %, and the renderer's veil (light scattered back before it reaches the
/// ink, blue-biased) grows with age too.
///
/// Shape: each dot is oval, long axis σ·√e and short σ/√e (area kept), e uniform in
/// [1, maximumElongation], the axis in a random direction from the dot's own stream.
///
/// Blowout: a fraction of dots, larger for deeper deposits (× e^((depth − 0.35 mm)/0.1 mm)),
/// went into the deep dermis and spreads wide from the start: σ × `blowoutSpread`, bluer.
///
/// Every default comes from DOMAIN.md ("Healing and ageing", "SMP practice"), where the
/// numbers are estimates to be tuned; each scene can override them.
public struct PigmentModel: Sendable, Equatable {
    /// Fraction of the deposited ink left after healing (DOMAIN.md estimate: 50–70 %).
    public var retainedAfterHealing: Double = 0.6
    /// Healed visible diameter / needle impression (DOMAIN.md estimate 0.5–0.6, from healed
    /// dots of 100–150 µm for 0.20–0.25 mm needles).
    public var healedDiameterRatio: Double = 0.55
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
    /// Time constant of the drift to blue-grey, years (our estimate).
    public var hueShiftYears: Double = 4
    /// Redness is gone this many days after the session (DOMAIN.md: ~72 h).
    public var rednessDays: Double = 3
    /// Peak ink of a fresh, undiluted impression, in units where 1 over white gives the ink's
    /// own colour. Our calibration: a healed core of carbon black at dilution 0.3 then has an
    /// optical depth of about 3.4 (3 % transmitted, reading charcoal under the veil), so that
    /// fading visibly lightens it within the 3–6 years after which clinics touch up; much more
    /// ink would saturate and hide the fading.
    public var freshPeakInk: Double = 0.5

    /// Light entering the skin travels sideways in the dermis before it comes back out, so
    /// dermal ink darkens a halo around the dot as well as the dot: this fraction of the core's
    /// darkening is drawn over the halo instead (same ink, by conservation), σ_halo² = σ² +
    /// subsurfaceSigmaMM². Our estimate: visible-light diffusion lengths in the dermis are a few
    /// tenths of a millimetre, and without the halo 80 dots/cm² of 0.14 mm darken a scalp by only
    /// ~2 %, far less than the shaved-head shadow SMP gives.
    public var subsurfaceFraction: Double = 0.35
    public var subsurfaceSigmaMM: Double = 0.25

    public init() {}

    /// Days over which scabs form and flake (DOMAIN.md: days 3–7, surface healed by 7–14).
    static let scabStartDay = 3.0, scabEndDay = 10.0
    static let rednessSigmaMM = 0.3
    /// Haemoglobin-like absorption spectrum of redness, per unit (absorbs green and blue).
    static let rednessSpectrum = LinearRGB(0.02, 0.45, 0.38)
    static let rednessPeak = 0.6
    /// Per-dot variation, uniform ±.
    static let sizeVariation = 0.12, inkVariation = 0.15
    /// Dots are oval up to this ratio of long to short σ (our estimate: a needle never enters
    /// quite square to the skin, and healed dots are seldom perfectly round).
    public var maximumElongation = 1.3

    // MARK: The laws, one by one (tested individually)

    /// A_core(t) / A₀: retained ink, never growing with time.
    public func retainedInkFraction(ageDays t: Double) -> Double {
        let halfLifeDays = fadeHalfLifeYears * 365.25 / (1 + sunExposure)
        return retainedAfterHealing * pow(2, -max(t, 0) / halfLifeDays)
    }

    /// σ_core(t) / σ₀: spread, never shrinking with time.
    public func spreadFactor(ageDays t: Double) -> Double {
        let growth = (1 + spreadPer5Years) * (1 + spreadPer5Years) - 1
        return (1 + growth * max(t, 0) / (5 * 365.25)).squareRoot()
    }

    /// The surface ink left, as a multiple of (1 − ρ)·A₀: swelling and crust, then shed.
    public func surfaceInkFactor(ageDays t: Double) -> Double {
        let crust = 1 + 0.3 * bump(t, from: 3, to: 7)
        return crust * (1 - smoothstep(Self.scabStartDay, Self.scabEndDay, t))
    }

    /// Redness, 1 on the day of the session, 0 from `rednessDays` on.
    public func rednessFactor(ageDays t: Double) -> Double {
        1 - smoothstep(0, rednessDays, t)
    }

    /// 0 fresh → 1 fully shifted to blue-grey.
    public func hueShift(ageDays t: Double) -> Double {
        1 - exp(-max(t, 0) / (hueShiftYears * 365.25))
    }

    /// The chance a dot deposited at `depthMM` blows out.
    public func blowoutProbability(depthMM: Double) -> Double {
        min(1, blowoutFraction * exp((depthMM - 0.35) / 0.1))
    }

    // MARK: Dots

    /// The components to draw for `dot`, placed in `session`, `ageDays` after that session
    /// (none before it).
    public func components(of dot: PoissonDot, session: Session, ageDays t: Double) -> [InkDot] {
        guard t >= 0 else { return [] }
        var variation = SplitMix64(seed: dot.variationSeed)
        func uniform() -> Double { Double(variation.next() >> 11) * 0x1p-53 * 2 - 1 }
        let sizeFactor = 1 + Self.sizeVariation * uniform()
        let inkFactor = 1 + Self.inkVariation * uniform()
        let blownOut = Double(variation.next() >> 11) * 0x1p-53 < blowoutProbability(depthMM: session.depthMM)
        // Shape: oval by up to `maximumElongation`, long axis in a random direction (a unit
        // vector by rejection and sqrt, no trigonometry, so the same on every machine).
        let elongation = 1 + (maximumElongation - 1) * Double(variation.next() >> 11) * 0x1p-53
        var axis = SIMD2<Double>(1, 0)
        for _ in 0..<16 {
            let candidate = SIMD2(uniform(), uniform())
            let length2 = (candidate * candidate).sum()
            if length2 > 0.01 && length2 <= 1 { axis = candidate / length2.squareRoot(); break }
        }

        let fwhmToSigma = 1 / 2.354_82
        let impressionSigma = dot.diameterMM * fwhmToSigma * sizeFactor
        let deposited = freshPeakInk * 2 * Double.pi * impressionSigma * impressionSigma * (1 - session.dilution) * inkFactor
        let ink = session.ink.linear
        let baseAbsorbance = LinearRGB(-log(max(ink.x, 1e-4)), -log(max(ink.y, 1e-4)), -log(max(ink.z, 1e-4)))
        let shift = Float(hueShift(ageDays: t) + (blownOut ? 0.5 : 0))
        let absorbance = baseAbsorbance * LinearRGB(1 + 0.08 * shift, 1, 1 - 0.10 * shift)

        var result: [InkDot] = []
        var coreSigma = healedDiameterRatio * impressionSigma * spreadFactor(ageDays: t)
        if blownOut { coreSigma *= blowoutSpread }
        let retained = deposited * retainedInkFraction(ageDays: t)
        result.append(InkDot(xMM: dot.xMM, yMM: dot.yMM, sigmaMM: coreSigma,
                             amount: retained * (1 - subsurfaceFraction), absorbance: absorbance, layer: .dermal,
                             elongation: elongation, axis: axis))
        if subsurfaceFraction > 0 {
            let haloSigma = (coreSigma * coreSigma + subsurfaceSigmaMM * subsurfaceSigmaMM).squareRoot()
            result.append(InkDot(xMM: dot.xMM, yMM: dot.yMM, sigmaMM: haloSigma,
                                 amount: retained * subsurfaceFraction, absorbance: absorbance, layer: .dermal))
        }
        let surface = surfaceInkFactor(ageDays: t)
        if surface > 0 {
            let swelling = 1 + 0.25 * (1 - smoothstep(0, 3, t))
            result.append(InkDot(xMM: dot.xMM, yMM: dot.yMM, sigmaMM: impressionSigma * swelling,
                                 amount: deposited * (1 - retainedAfterHealing) * surface, absorbance: baseAbsorbance, layer: .surface,
                                 elongation: elongation, axis: axis))
        }
        let redness = rednessFactor(ageDays: t)
        if redness > 0 {
            let sigma = Self.rednessSigmaMM
            result.append(InkDot(xMM: dot.xMM, yMM: dot.yMM, sigmaMM: sigma,
                                 amount: Self.rednessPeak * redness * 2 * Double.pi * sigma * sigma,
                                 absorbance: Self.rednessSpectrum, layer: .surface))
        }
        return result
    }

    /// Every component of every dot placed by `day` (days after the first session).
    public func components(of dots: [PoissonDot], sessions: [Session], atDay day: Double) -> [InkDot] {
        var result: [InkDot] = []
        result.reserveCapacity(dots.count * 2)
        for dot in dots {
            let session = sessions[dot.layer - 1]
            guard day >= session.day else { continue }
            result += components(of: dot, session: session, ageDays: day - session.day)
        }
        return result
    }

    /// The veil over dermal ink: the fraction of light the skin above the ink scatters back
    /// before it reaches the pigment, blue-biased (Tyndall; DOMAIN.md "Optics of the pigment"),
    /// growing as the ink ages and settles deeper (our estimate: 10 % fresh, up to 16 %).
    public func veil(ageDays t: Double) -> LinearRGB {
        let strength = 0.10 + 0.06 * hueShift(ageDays: t)
        return LinearRGB(0.80, 0.95, 1.25) * Float(strength)
    }

    func bump(_ t: Double, from a: Double, to b: Double) -> Double {
        guard t > a, t < b else { return 0 }
        let x = (t - a) / (b - a)
        return 4 * x * (1 - x)
    }
}
