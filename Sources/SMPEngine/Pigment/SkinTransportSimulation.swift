import Foundation
import PoissonDisk

/// Measured optical coefficients of skin, per colour channel (red, green, blue), in /mm:
/// the medium light travels through between the surface and buried ink.
///
/// Defaults: Jensen, Marschner, Levoy & Hanrahan, "A Practical Model for Subsurface Light
/// Transport", SIGGRAPH 2001, table "skin 2" (the same values ship as pbrt's named medium
/// "Skin2"); DOMAIN.md "Light in skin".
public struct SkinOptics: Sendable, Equatable {
    /// Reduced scattering coefficient σs′ = σs (1 − g), /mm.
    public var reducedScatteringPerMM: SIMD3<Double>
    /// Absorption coefficient σa, /mm.
    public var absorptionPerMM: SIMD3<Double>
    /// Refractive index of the skin (air outside).
    public var refractiveIndex: Double
    /// Anisotropy g of the Henyey–Greenstein phase function: dermis scatters mostly forward,
    /// which keeps shallow ink sharper than isotropic scattering at σs′ would (the similarity
    /// rule σs′ = σs (1 − g) holds only far from the surface and the ink).
    public var anisotropy: SIMD3<Double>

    public init(reducedScatteringPerMM: SIMD3<Double>, absorptionPerMM: SIMD3<Double>, refractiveIndex: Double,
                anisotropy: SIMD3<Double> = .zero) {
        self.reducedScatteringPerMM = reducedScatteringPerMM
        self.absorptionPerMM = absorptionPerMM
        self.refractiveIndex = refractiveIndex
        self.anisotropy = anisotropy
    }

    /// Dermal anisotropy by wavelength, g = 0.62 + 0.29·10⁻³ λ/nm (van Gemert, Jacques,
    /// Sterenborg & Star, "Skin optics", IEEE Trans Biomed Eng 1989), at 610, 550 and 465 nm.
    public static let dermisAnisotropy = SIMD3<Double>(0.62 + 0.29e-3 * 610, 0.62 + 0.29e-3 * 550, 0.62 + 0.29e-3 * 465)

    /// Jensen et al. 2001, "skin 2" (diffuse reflectance 0.63, 0.44, 0.34), scattering forward
    /// as dermis does (`dermisAnisotropy`).
    public static let jensenSkin2 = SkinOptics(reducedScatteringPerMM: SIMD3(1.09, 1.59, 1.79),
                                               absorptionPerMM: SIMD3(0.013, 0.070, 0.145), refractiveIndex: 1.3,
                                               anisotropy: dermisAnisotropy)
    /// Jensen et al. 2001, "skin 1" (diffuse reflectance 0.44, 0.22, 0.13), likewise.
    public static let jensenSkin1 = SkinOptics(reducedScatteringPerMM: SIMD3(0.74, 0.88, 1.01),
                                               absorptionPerMM: SIMD3(0.032, 0.17, 0.48), refractiveIndex: 1.3,
                                               anisotropy: dermisAnisotropy)
}

/// A Monte-Carlo photon simulation of light in a semi-infinite slab of skin under even, normal
/// illumination, that measures how a thin absorbing sheet at a depth d darkens the surface:
/// the generator of `SkinTransportTable` (run once, its output checked by a test).
///
/// Photons walk with exponential steps at σs = σs′ / (1 − g) and scatter by the Henyey–
/// Greenstein phase function of anisotropy g (g = 0: isotropic at σs′, as in DOMAIN.md's
/// Monte-Carlo check, which the tests reproduce), lose weight by
/// the single-scattering albedo at each event, are reflected back inside at the surface with
/// the Fresnel reflectance for n = `refractiveIndex`, and end by Russian roulette. For every
/// photon that leaves the skin, each point where its path crossed the plane z = d is tallied at
/// its distance ρ from the exit point, with the photon's exit weight. A thin sheet that
/// absorbs a fraction α(y) of the light crossing it at y then takes, to first order,
///
///     ΔR(x) = ∫ K(|x − y|) α(y) dy
///
/// from the reflectance R∞ of clean skin at x: K is the sheet's *transport kernel* (per mm²,
/// relative to the incident light). Photons that leave without ever reaching d make up the
/// *veil* V·R∞: the light an opaque sheet at d cannot take away (it is scattered back by
/// the skin above the ink, bluest for shallow ink, DOMAIN.md "Optics of the pigment").
public struct SkinTransportSimulation: Sendable {
    public var optics: SkinOptics
    public var depthMM: Double
    /// Annulus edges of the kernel's histogram, mm (the first annulus starts at 0).
    public static let radiiMM: [Double] = (0...56).map { 0.005 * pow(2, Double($0) / 4) }

    public init(optics: SkinOptics = .jensenSkin2, depthMM: Double) {
        self.optics = optics
        self.depthMM = depthMM
    }

    /// What the simulation measured for one colour channel.
    public struct ChannelResult: Sendable {
        /// Diffuse reflectance of clean skin, R∞.
        public var reflectance: Double
        /// V: the fraction of R∞ that never reached the sheet's depth.
        public var veil: Double
        /// The kernel's mass in each annulus of `radiiMM` (the first from 0 to radiiMM[0]),
        /// relative to R∞: ∫ K dA over the annulus / R∞. Their sum is G, the reflectance an
        /// opaque sheet of unit area takes away, as a fraction of R∞ per mm² of sheet.
        public var annulusMass: [Double]
        public var photons: Int
        public var totalMass: Double { annulusMass.reduce(0, +) }
    }

    /// Runs `photons` photons in channel `channel` (0 red, 1 green, 2 blue), seeded.
    public func run(channel: Int, photons: Int, seed: UInt64) -> ChannelResult {
        let g = optics.anisotropy[channel]
        let sigmaS = optics.reducedScatteringPerMM[channel] / (1 - g), sigmaA = optics.absorptionPerMM[channel]
        let sigmaT = sigmaS + sigmaA, albedo = sigmaS / sigmaT
        let n = optics.refractiveIndex
        let radii = Self.radiiMM
        let logBase = log(radii[0]), logStep = log(2.0) / 4
        var random = Xoshiro256StarStar(seed: seed)
        var reflected = 0.0, unreached = 0.0
        var mass = [Double](repeating: 0, count: radii.count + 1)
        var crossings: [SIMD2<Double>] = []
        for _ in 0..<photons {
            var position = SIMD3<Double>(0, 0, 0)
            var direction = SIMD3<Double>(0, 0, 1)   // z grows into the skin
            var weight = 1.0
            crossings.removeAll(keepingCapacity: true)
            while true {
                let step = -log(1 - random.nextUnit()) / sigmaT
                var next = position + direction * step
                if (position.z - depthMM) * (next.z - depthMM) < 0 {
                    let t = (depthMM - position.z) / direction.z
                    crossings.append(SIMD2(position.x + direction.x * t, position.y + direction.y * t))
                }
                if next.z < 0 {
                    // At the surface: leave, or be reflected back in (Fresnel).
                    let t = -position.z / direction.z
                    let exit = position + direction * t
                    if random.nextUnit() >= Self.fresnelReflectance(cosine: -direction.z, n: n) {
                        reflected += weight
                        if crossings.isEmpty { unreached += weight }
                        for crossing in crossings {
                            let d = SIMD2(exit.x, exit.y) - crossing
                            let rho = (d * d).sum().squareRoot()
                            let bin = rho < radii[0] ? 0 : min(radii.count, Int((log(rho) - logBase) / logStep) + 1)
                            mass[bin] += weight
                        }
                        break
                    }
                    // Mirrored: the rest of the step continues downward.
                    direction.z = -direction.z
                    next = exit + direction * (step - t)
                    if (exit.z - depthMM) * (next.z - depthMM) < 0 {
                        let s = (depthMM - exit.z) / direction.z
                        crossings.append(SIMD2(exit.x + direction.x * s, exit.y + direction.y * s))
                    }
                }
                position = next
                weight *= albedo
                if weight < 1e-3 {
                    if random.nextUnit() < 0.1 { weight *= 10 } else { break }
                }
                direction = Self.scattered(direction, anisotropy: g, &random)
            }
        }
        let count = Double(photons)
        let r = reflected / count
        return ChannelResult(reflectance: r, veil: unreached / reflected,
                             annulusMass: mass.map { $0 / count / r }, photons: photons)
    }

    /// Unpolarised Fresnel reflectance leaving a medium of index `n` into air, at `cosine` of
    /// the angle of incidence inside.
    static func fresnelReflectance(cosine cosI: Double, n: Double) -> Double {
        let sinT = n * (1 - cosI * cosI).squareRoot()
        guard sinT < 1 else { return 1 }
        let cosT = (1 - sinT * sinT).squareRoot()
        let rs = (n * cosI - cosT) / (n * cosI + cosT)
        let rp = (n * cosT - cosI) / (n * cosT + cosI)
        return (rs * rs + rp * rp) / 2
    }

    /// A new direction after scattering from `direction`, by Henyey–Greenstein with
    /// anisotropy g (isotropic at g = 0); the usual MCML rotation (Wang & Jacques 1995).
    static func scattered(_ direction: SIMD3<Double>, anisotropy g: Double, _ random: inout Xoshiro256StarStar) -> SIMD3<Double> {
        let u = random.nextUnit(), phi = 2 * Double.pi * random.nextUnit()
        let cosT: Double
        if abs(g) < 1e-6 {
            cosT = 2 * u - 1
        } else {
            let f = (1 - g * g) / (1 - g + 2 * g * u)
            cosT = max(-1, min(1, (1 + g * g - f * f) / (2 * g)))
        }
        let sinT = (1 - cosT * cosT).squareRoot(), cosP = cos(phi), sinP = sin(phi)
        let (ux, uy, uz) = (direction.x, direction.y, direction.z)
        if abs(uz) > 0.99999 {
            return SIMD3(sinT * cosP, sinT * sinP, cosT * (uz > 0 ? 1 : -1))
        }
        let root = (1 - uz * uz).squareRoot()
        return SIMD3(sinT * (ux * uz * cosP - uy * sinP) / root + ux * cosT,
                     sinT * (uy * uz * cosP + ux * sinP) / root + uy * cosT,
                     -sinT * cosP * root + uz * cosT)
    }
}

/// The transport kernel of one channel and depth as a sum of 2-D Gaussians of fixed widths,
/// K(ρ)/R∞ ≈ Σ wₖ · exp(−ρ²/2σₖ²) / (2πσₖ²), as d'Eon, Luebke & Enderton ("Efficient
/// rendering of human skin", EGSR 2007) fit diffusion profiles: a Gaussian convolves
/// separably, and each width can be drawn at the resolution it needs.
public enum TransportKernelFit {
    /// The widths σₖ, mm, shared by every channel and depth.
    public static let sigmasMM: [Double] = [0.035, 0.08, 0.18, 0.4, 0.9, 2.0, 4.5]

    /// Non-negative weights wₖ that best fit the kernel's cumulative mass C(ρ) at the annulus
    /// edges (least squares; Lawson–Hanson active set on the normal equations).
    public static func weights(annulusMass: [Double], radiiMM: [Double] = SkinTransportSimulation.radiiMM) -> [Double] {
        var cumulative: [Double] = []
        var sum = 0.0
        for k in radiiMM.indices {
            sum += annulusMass[k]
            cumulative.append(sum)
        }
        let total = annulusMass.reduce(0, +)
        // Rows: C at each edge, plus the total (the kernel's whole mass), weighted up so that
        // the fit keeps G.
        var rows: [[Double]] = radiiMM.map { r in sigmasMM.map { s in 1 - exp(-r * r / (2 * s * s)) } }
        var targets = cumulative
        rows.append(sigmasMM.map { _ in 10 })
        targets.append(10 * total)
        return nonNegativeLeastSquares(rows: rows, targets: targets)
    }

    /// min ‖A w − b‖² subject to w ≥ 0, by projected coordinate descent on the normal
    /// equations (a few unknowns; converges to the unique optimum of this convex problem).
    static func nonNegativeLeastSquares(rows: [[Double]], targets: [Double]) -> [Double] {
        let n = rows[0].count
        var ata = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var atb = [Double](repeating: 0, count: n)
        for (row, target) in zip(rows, targets) {
            for i in 0..<n {
                atb[i] += row[i] * target
                for j in 0..<n { ata[i][j] += row[i] * row[j] }
            }
        }
        var w = [Double](repeating: 0, count: n)
        for _ in 0..<20_000 {
            var change = 0.0
            for i in 0..<n where ata[i][i] > 0 {
                var residual = atb[i]
                for j in 0..<n where j != i { residual -= ata[i][j] * w[j] }
                let updated = max(0, residual / ata[i][i])
                change = max(change, abs(updated - w[i]))
                w[i] = updated
            }
            if change < 1e-12 { break }
        }
        return w
    }
}
