import Foundation
import PoissonDisk

/// The ink one puncture leaves in the dermis at a moment: a Gaussian cloud of `inkMG` of ink,
/// width σ (along the long axis σ·√e, across σ/√e), at `depthMM` under the surface.
public struct InkCloud: Sendable, Equatable {
    public var xMM: Double
    public var yMM: Double
    public var sigmaMM: Double
    public var inkMG: Double
    /// Optical depth per mg of ink spread over one mm², per channel: κ times the ink's strength.
    public var opticalDepthPerMG: LinearRGB
    public var depthMM: Double
    public var elongation: Double
    public var axis: SIMD2<Double>

    /// τ₀, the optical depth at the middle of the cloud, per channel.
    public var peakOpticalDepth: SIMD3<Double> {
        let areal = inkMG / (2 * Double.pi * sigmaMM * sigmaMM)
        return SIMD3(Double(opticalDepthPerMG.x), Double(opticalDepthPerMG.y), Double(opticalDepthPerMG.z)) * areal
    }

    /// ∫ α dA, mm², per channel: the area of light the cloud absorbs, α = 1 − e^(−τ). For a
    /// Gaussian τ of peak τ₀ this is 2πσ² · Ein(τ₀) exactly.
    public var absorbingAreaMM2: SIMD3<Double> {
        let tau = peakOpticalDepth, area = 2 * Double.pi * sigmaMM * sigmaMM
        return SIMD3(Self.ein(tau.x), Self.ein(tau.y), Self.ein(tau.z)) * area
    }

    /// The renderer's components of this cloud seen through skin: α, drawn as a Gaussian with
    /// its mass and its peak 1 − e^(−τ₀) (the green channel's, for the shape), convolved with
    /// each Gaussian of the transport kernel at the cloud's depth. The narrowest terms, which
    /// the cloud's own width dominates, are merged into one of the same mass and second moment,
    /// and keep the cloud's oval shape; the wider ones are round.
    public func transportComponents() -> [InkDot] {
        let area = absorbingAreaMM2
        guard area.max() > 0 else { return [] }
        let peakAlpha = 1 - exp(-peakOpticalDepth.y)
        let alphaSigma2 = area.y / (2 * Double.pi * max(peakAlpha, 1e-12))
        let kernel = SkinTransportTable.kernel(depthMM: depthMM)
        var result: [InkDot] = []
        // Room for the kernel's components and the two `PigmentModel.components(of:session:ageDays:)`
        // appends (crust, redness): growing the array per dot was a quarter of making a change's components.
        result.reserveCapacity(TransportKernelFit.sigmasMM.count + 2)
        var merged = SIMD3<Double>.zero, mergedSigma2 = 0.0
        for (sigmaK, weight) in zip(TransportKernelFit.sigmasMM, kernel.weights) {
            let mass = weight * area
            guard mass.max() > 0 else { continue }
            let sigma2 = alphaSigma2 + sigmaK * sigmaK
            if sigmaK * sigmaK < alphaSigma2 {
                mergedSigma2 += mass.y * sigma2
                merged += mass
                continue
            }
            result.append(Self.component(self, mass: mass, sigma2: sigma2, oval: false))
        }
        if merged.max() > 0 {
            let sigma2 = merged.y > 0 ? mergedSigma2 / merged.y : alphaSigma2
            result.insert(Self.component(self, mass: merged, sigma2: sigma2, oval: true), at: 0)
        }
        return result
    }

    static func component(_ cloud: InkCloud, mass: SIMD3<Double>, sigma2: Double, oval: Bool) -> InkDot {
        InkDot(xMM: cloud.xMM, yMM: cloud.yMM, sigmaMM: sigma2.squareRoot(), amount: 1,
               absorbance: LinearRGB(Float(mass.x), Float(mass.y), Float(mass.z)), layer: .dermal,
               elongation: oval ? cloud.elongation : 1, axis: oval ? cloud.axis : SIMD2(1, 0))
    }

    /// Ein(z) = ∫₀^z (1 − e^(−t)) / t dt = γ + ln z + E₁(z): the power series below 6, the
    /// exponential integral's continued fraction above (both to ~1e-12).
    static func ein(_ z: Double) -> Double {
        guard z > 0 else { return 0 }
        if z < 6 {
            var term = z, sum = z, n = 1.0
            while abs(term) > 1e-16 * abs(sum) && n < 200 {
                term *= -z / (n + 1)
                n += 1
                sum += term / n
            }
            return sum
        }
        // E₁(z) by the Lentz continued fraction (Numerical Recipes §6.3).
        var b = z + 1, c = 1 / 1e-300, d = 1 / b, h = d
        for i in 1...200 {
            let a = -Double(i * i)
            b += 2
            d = 1 / (a * d + b)
            c = b + a / c
            let delta = c * d
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return 0.577_215_664_901_532_9 + log(z) + h * exp(-z)
    }
}

/// What is particular to one dot's puncture, drawn from its own random stream: size and ink
/// variation, blow-out, and the oval's elongation and axis.
struct DotVariation {
    var impressionSigmaMM: Double
    var inkFactor: Double
    var blownOut: Bool
    var elongation: Double
    var axis: SIMD2<Double>
    /// The hand's depth: this dot's deposit depth over the session's.
    var depthFactor: Double
    /// Days this dot's crust is shed later (or earlier, negative) than the session's mean, so
    /// that the second week looks patchy, some dots still crusted beside clean ones.
    var sheddingDelayDays: Double

    init(dot: PoissonDot, model: PigmentModel, session: Session) {
        var variation = SplitMix64(seed: dot.variationSeed)
        func uniform() -> Double { Double(variation.next() >> 11) * 0x1p-53 * 2 - 1 }
        let sizeFactor = 1 + PigmentModel.sizeVariation * uniform()
        inkFactor = 1 + PigmentModel.inkVariation * uniform()
        blownOut = Double(variation.next() >> 11) * 0x1p-53 < model.blowoutProbability(depthMM: session.depthMM)
        // Oval by up to `maximumElongation`, long axis in a random direction (a unit vector by
        // rejection and sqrt, no trigonometry, so the same on every machine).
        elongation = 1 + (model.maximumElongation - 1) * Double(variation.next() >> 11) * 0x1p-53
        axis = SIMD2<Double>(1, 0)
        for _ in 0..<16 {
            let candidate = SIMD2(uniform(), uniform())
            let length2 = (candidate * candidate).sum()
            if length2 > 0.01 && length2 <= 1 { axis = candidate / length2.squareRoot(); break }
        }
        impressionSigmaMM = dot.diameterMM / 2.354_82 * sizeFactor
        // Drawn after the others, so the earlier draws stay what they were.
        depthFactor = 1 + PigmentModel.depthVariation * uniform()
        sheddingDelayDays = PigmentModel.sheddingSpreadDays * uniform()
    }
}
