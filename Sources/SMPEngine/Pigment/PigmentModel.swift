import Foundation
import PoissonDisk

/// What a dot of pigment looks like a given number of days after its session: the cloud of ink
/// it leaves in the dermis, how that cloud darkens the skin seen through it, the ink and crust
/// still on the surface, and the redness around the fresh puncture.
///
/// **The ink cloud** (`InkCloud`). A puncture deposits ink over its impression: mass
/// m₀ = L · π(dᵢ/2)² · (1 − dilution) · v_ink, with L the pigment load of tattooed skin
/// (`inkLoadMgPerCM2`), dᵢ the needle impression's diameter and v_ink the dot's own variation
/// (times the dot's `inkFactor`, below 1 for a touch-up topping up a faded impression).
/// The cloud that stays is a Gaussian of FWHM `inkCloudDiameterRatio` · dᵢ (× v_size), holding
/// the retained fraction ρ of the ink, fading with a half-life and spreading like √t:
///
///     m(t) = ρ · m₀ · 2^(−t / T½),   T½ = fadeHalfLifeYears / (1 + sunExposure)
///     σ(t)² = σ₀² · (1 + ((1 + g)² − 1) · t / 5 y)
///
/// Its optical depth is τ(y) = m(t) · κ · gσ(y), κ the ink's mass absorption in skin. Tattoo
/// ink does not sit in skin as the dispersed carbon of aerosol measurements (7.5 m²/g,
/// DOMAIN.md) but packed in granules inside dermal macrophages and fibroblasts; an opaque
/// granule of radius r absorbs by its cross-section, κ = 3 / (4 r ρ_carbon), which is what
/// `inkGranuleRadiusUM` sets. The ink is grey to the light (opaque granules absorb all
/// wavelengths alike); its colour in skin comes from the skin around it.
///
/// **Seen through skin** (`SkinTransportTable`). The cloud at depth d absorbs a fraction
/// α = 1 − e^(−τ) of the light crossing it; the skin spreads that loss over the surface by the
/// transport kernel of depth d, a sum of Gaussians of widths σₖ and weights wₖ per channel
/// (red widest). For a Gaussian τ of peak τ₀, α integrates to 2πσ² · Ein(τ₀), Ein(z) =
/// ∫₀^z (1 − e^(−t)) / t dt; α is drawn as a Gaussian of that mass and peak 1 − e^(−τ₀), and
/// each kernel term becomes one renderer component of width √(σ_α² + σₖ²) and per-channel
/// depth wₖ · mass / (1 − V). The renderer's transmission V + (1 − V) e^(−D) then gives the
/// kernel's darkening to first order and the veil V under opaque ink.
/// Ageing moves the cloud deeper (`inkMigrationMM` by the end of its drift, h(t) =
/// 1 − exp(−t / hueShiftYears)): deeper ink loses less blue than red to the kernel and sits
/// under a thicker veil, the blue-grey of old tattoos (DOMAIN.md "Light in skin").
///
/// **Surface ink and crust**, the part healing takes away ("phantom fade"): mass (1 − ρ)·m₀ on
/// the surface at the impression's width, slightly swollen in the first days
/// (×(1 + 0.25·(1 − s(0, 3, t)))), darker while scabbed (×(1 + 0.3·bump over days 3–7)), shed
/// with the scabs between days 3 and 10: × (1 − s(3, 10, t)), s the smoothstep, each dot's
/// crust up to 2.5 days earlier or later than that (the patchy second week). Its optical
/// depth is seen directly, with no veil.
///
/// **Redness** of the worked skin (irritation, like mild sunburn): haemoglobin-like absorption
/// of green and blue spread over σ = 1.2 mm around every puncture, so that a session's dots
/// merge into one soft red field; strongest on day 0 and exactly zero from `rednessDays` on:
/// × (1 − s(0, rednessDays, t)).
///
/// Shape: each cloud is oval, long axis σ·√e and short σ/√e (area kept), e uniform in
/// [1, maximumElongation], the axis in a random direction from the dot's own stream; its depth
/// varies by ±15 % around the session's, as a hand's does.
///
/// Blowout: a fraction of dots, larger for deeper deposits (× e^((depth − 0.35 mm)/0.1 mm)),
/// went into the deep dermis and spreads wide from the start: σ × `blowoutSpread`, at twice the
/// depth.
///
/// Every default comes from DOMAIN.md ("Healing and ageing", "SMP practice", "Optics of the
/// pigment") or is marked as our estimate; each scene can override them.
extension PigmentModel {
    /// Days over which scabs form and flake (DOMAIN.md: days 3–7, surface healed by 7–14).
    static let scabStartDay = 3.0, scabEndDay = 10.0
    /// Redness spreads over the worked skin around each puncture (our estimate: a session's
    /// erythema reads as one field, not as rings round dots).
    static let rednessSigmaMM = 1.2
    /// Haemoglobin-like absorption spectrum of redness, per unit (absorbs green and blue).
    static let rednessSpectrum = LinearRGB(0.02, 0.45, 0.38)
    /// Redness per puncture on day 0, as ∫ optical depth over the skin, mm² (our estimate:
    /// 80 punctures/cm² give a green optical depth of about 0.1, a mild sunburn's pink).
    static let rednessPerPuncture = 0.34
    /// Density of carbon, g/cm³, for the granules' mass absorption.
    static let carbonDensityGPerCM3 = 1.8
    /// Per-dot variation, uniform ± (our estimates of a hand's variation): size, ink, depth,
    /// and the day its crust comes off.
    static let sizeVariation = 0.12, inkVariation = 0.15, depthVariation = 0.15, sheddingSpreadDays = 2.5

    // MARK: The laws, one by one (tested individually)

    /// m(t) / m₀: retained ink, never growing with time.
    public func retainedInkFraction(ageDays t: Double) -> Double {
        let halfLifeDays = fadeHalfLifeYears * 365.25 / (1 + sunExposure)
        return retainedAfterHealing * pow(2, -max(t, 0) / halfLifeDays)
    }

    /// σ(t) / σ₀: spread, never shrinking with time.
    public func spreadFactor(ageDays t: Double) -> Double {
        let growth = (1 + spreadPer5Years) * (1 + spreadPer5Years) - 1
        return (1 + growth * max(t, 0) / (5 * 365.25)).squareRoot()
    }

    /// The surface ink left, as a multiple of (1 − ρ)·m₀: swelling and crust, then shed.
    public func surfaceInkFactor(ageDays t: Double) -> Double {
        let crust = 1 + 0.3 * bump(t, from: 3, to: 7)
        return crust * (1 - smoothstep(Self.scabStartDay, Self.scabEndDay, t))
    }

    /// Redness, 1 on the day of the session, 0 from `rednessDays` on.
    public func rednessFactor(ageDays t: Double) -> Double {
        1 - smoothstep(0, rednessDays, t)
    }

    /// 0 fresh → 1 at the end of the ink's drift deeper.
    public func hueShift(ageDays t: Double) -> Double {
        1 - exp(-max(t, 0) / (hueShiftYears * 365.25))
    }

    /// The depth of a session's ink `ageDays` after it, mm.
    public func inkDepthMM(session: Session, ageDays t: Double) -> Double {
        session.depthMM + inkMigrationMM * hueShift(ageDays: t)
    }

    /// The chance a dot deposited at `depthMM` blows out.
    public func blowoutProbability(depthMM: Double) -> Double {
        min(1, blowoutFraction * exp((depthMM - 0.35) / 0.1))
    }

    /// κ, the ink's mass absorption in skin, mm² per mg: opaque granules absorb by their
    /// cross-section πr² for a mass (4/3)πr³ρ, never more than dispersed carbon's 7.5 m²/g.
    public var massAbsorptionMM2PerMG: Double {
        let radiusMM = inkGranuleRadiusUM * 1e-3, densityMGPerMM3 = Self.carbonDensityGPerCM3
        return min(7500, 3 / (4 * radiusMM * densityMGPerMM3))
    }

    // MARK: Dots

    /// The retained ink cloud of `dot`, placed in `session`, `ageDays` after it (nil before).
    public func cloud(of dot: PoissonDot, session: Session, ageDays t: Double) -> InkCloud? {
        guard t >= 0 else { return nil }
        return cloud(of: dot, session: session, ageDays: t, shape: DotVariation(dot: dot, model: self, session: session))
    }

    /// `cloud(of:session:ageDays:)` for a dot whose variation is already drawn (t ≥ 0).
    func cloud(of dot: PoissonDot, session: Session, ageDays t: Double, shape: DotVariation) -> InkCloud {
        let depositedMG = depositedInkMG(dot: dot, session: session, variation: shape)
        var sigma = inkCloudDiameterRatio * shape.impressionSigmaMM * spreadFactor(ageDays: t)
        var depth = inkDepthMM(session: session, ageDays: t) * shape.depthFactor
        if shape.blownOut {
            sigma *= blowoutSpread
            depth *= 2
        }
        return InkCloud(xMM: dot.xMM, yMM: dot.yMM, sigmaMM: sigma, inkMG: depositedMG * retainedInkFraction(ageDays: t),
                        opticalDepthPerMG: Float(massAbsorptionMM2PerMG) * Self.inkStrength(session.ink), depthMM: depth,
                        elongation: shape.elongation, axis: shape.axis)
    }

    /// m₀: the ink a puncture deposits, mg.
    func depositedInkMG(dot: PoissonDot, session: Session, variation: DotVariation) -> Double {
        let radiusMM = variation.impressionSigmaMM * 2.354_82 / 2
        return inkLoadMgPerCM2 / 100 * Double.pi * radiusMM * radiusMM * (1 - session.dilution) * variation.inkFactor
            * Double(dot.inkFactor)
    }

    /// −ln of carbon black's (`#141414`) linear reflectance: the unit of `inkStrength`.
    static let carbonBlackAbsorbance = -log(SRGBColor(red: 0x14, green: 0x14, blue: 0x14).linear.y)

    /// The ink's strength per channel relative to carbon black (`#141414`, the default): a
    /// lighter pre-mixed grey, or a tinted ink, absorbs less in some channels.
    static func inkStrength(_ ink: SRGBColor) -> LinearRGB {
        let reference = carbonBlackAbsorbance
        let linear = ink.linear
        return LinearRGB(-log(max(linear.x, 1e-4)), -log(max(linear.y, 1e-4)), -log(max(linear.z, 1e-4))) / reference
    }

    /// The components to draw for `dot`, placed in `session`, `ageDays` after that session
    /// (none before it).
    public func components(of dot: PoissonDot, session: Session, ageDays t: Double) -> [InkDot] {
        guard t >= 0 else { return [] }
        let shape = DotVariation(dot: dot, model: self, session: session)
        var result = cloud(of: dot, session: session, ageDays: t, shape: shape).transportComponents()
        // Each crust keeps its own time once the scabs form: t − delay, eased in over days 0–3.
        let surface = surfaceInkFactor(ageDays: max(0, t - shape.sheddingDelayDays * smoothstep(0, 3, t)))
        if surface > 0 {
            let swelling = 1 + 0.25 * (1 - smoothstep(0, 3, t))
            let mass = depositedInkMG(dot: dot, session: session, variation: shape) * (1 - retainedAfterHealing) * surface
            result.append(InkDot(xMM: dot.xMM, yMM: dot.yMM, sigmaMM: shape.impressionSigmaMM * swelling, amount: mass,
                                 absorbance: Self.inkStrength(session.ink) * Float(massAbsorptionMM2PerMG), layer: .surface,
                                 elongation: shape.elongation, axis: shape.axis))
        }
        let redness = rednessFactor(ageDays: t)
        if redness > 0 {
            result.append(InkDot(xMM: dot.xMM, yMM: dot.yMM, sigmaMM: Self.rednessSigmaMM, amount: Self.rednessPerPuncture * redness,
                                 absorbance: Self.rednessSpectrum, layer: .surface))
        }
        return result
    }

    /// Every component of every dot placed by `day` (days after the first session), each drawn
    /// with its session's dilution in the dot's region (`PoissonDot.zone`), in the dots' order.
    /// `threads` work on runs of `componentRunDots` dots each, joined in order: the same list for
    /// any count.
    public func components(of dots: [PoissonDot], sessions: [Session], atDay day: Double, threads: Int = 1) -> [InkDot] {
        let byZone = sessions.map(\.resolvedByZone)
        @Sendable func components(of run: Range<Int>) -> [InkDot] {
            var result: [InkDot] = []
            result.reserveCapacity(run.count * 5)
            for dot in dots[run] {
                let zones = byZone[dot.layer - 1]
                let session = zones[Int(dot.zone) < zones.count ? Int(dot.zone) : 0]
                guard day >= session.day else { continue }
                result += self.components(of: dot, session: session, ageDays: day - session.day)
            }
            return result
        }
        let runs = (dots.count + Self.componentRunDots - 1) / Self.componentRunDots
        guard threads > 1, runs > 1 else { return components(of: dots.indices) }
        let results = RunResults(count: runs)
        DispatchQueue.concurrentPerform(iterations: min(threads, runs)) { worker in
            for run in stride(from: worker, to: runs, by: min(threads, runs)) {
                results.store(components(of: (run * Self.componentRunDots)..<min(dots.count, (run + 1) * Self.componentRunDots)), at: run)
            }
        }
        return results.joined()
    }

    /// Dots per run of `components(of:sessions:atDay:threads:)`.
    static let componentRunDots = 2048

    /// The veil V the renderer applies: the skin above the ink scatters this fraction of the
    /// light back before it reaches the ink (`SkinTransportTable`), at the sessions' mean
    /// deposit depth. One veil for every image of a scene, before treatment too, so that skin
    /// no ink reaches (with its buried hair shafts) is the same in every image.
    public func veil(sessions: [Session]) -> LinearRGB {
        guard !sessions.isEmpty else { return .zero }
        let depth = sessions.map(\.depthMM).reduce(0, +) / Double(sessions.count)
        let v = SkinTransportTable.kernel(depthMM: depth).veil
        return LinearRGB(Float(v.x), Float(v.y), Float(v.z))
    }

    func bump(_ t: Double, from a: Double, to b: Double) -> Double {
        guard t > a, t < b else { return 0 }
        let x = (t - a) / (b - a)
        return 4 * x * (1 - x)
    }
}

/// Each run's components, stored by the thread that made them and joined in the runs' order.
private final class RunResults: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [[InkDot]]

    init(count: Int) { runs = Array(repeating: [], count: count) }

    func store(_ components: [InkDot], at run: Int) { lock.withLock { runs[run] = components } }

    func joined() -> [InkDot] { lock.withLock { Array(runs.joined()) } }
}
