import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("Map renderer")
struct MapRendererTests {
    let skin = SRGBColor(hex: "#d7bd96")!.linear

    /// Renders `view` and returns the linear reflectance of every pixel (decoded from sRGB8).
    func render(_ renderer: MapRenderer) -> [LinearRGB] {
        let width = renderer.widthPixels, height = renderer.heightPixels
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        bytes.withUnsafeMutableBytes { renderer.renderRows(0..<height, into: $0, rowStride: width * 3) }
        return (0..<(width * height)).map { i in
            LinearRGB(SRGBTransfer.decode(bytes[3 * i]), SRGBTransfer.decode(bytes[3 * i + 1]), SRGBTransfer.decode(bytes[3 * i + 2]))
        }
    }

    /// Width in pixels of the run above half the peak, its edges refined linearly.
    func fullWidthAtHalfMaximum(_ values: [Double]) -> Double? {
        let peak = values.max() ?? 0
        let above = values.indices.filter { values[$0] >= peak / 2 }
        guard let first = above.first, let last = above.last, first > 0, last < values.count - 1 else { return nil }
        let left = Double(first) - (values[first] - peak / 2) / (values[first] - values[first - 1])
        let right = Double(last) + (values[last] - peak / 2) / (values[last] - values[last + 1])
        return right - left
    }

    @Test("the mean reflectance of a treated area does not depend on the scale", arguments: [0.04, 0.08])
    func scaleInvariance(sigmaMM: Double) {
        var generator = Xoshiro256StarStar(seed: 5)
        let dots = (0..<150).map { _ in
            InkDot(xMM: 0.5 + 9 * generator.nextUnit(), yMM: 0.5 + 9 * generator.nextUnit(), sigmaMM: sigmaMM,
                   amount: 2 * Double.pi * sigmaMM * sigmaMM * 1.5, absorbance: LinearRGB(4, 4.2, 4.4), layer: .dermal)
        }
        let means = [5.0, 10, 20, 40].map { scale -> LinearRGB in
            let view = MapView(widthMM: 10, heightMM: 10, pixelsPerMM: scale)
            let pixels = render(MapRenderer(view: view, skin: skin, veil: LinearRGB(0.08, 0.1, 0.12), dots: dots))
            return pixels.reduce(LinearRGB.zero, +) / Float(pixels.count)
        }
        for mean in means.dropFirst() {
            // 8-bit sRGB quantisation alone moves a mean by up to ~0.2 %.
            let error = (mean - means[0]) / means[0]
            #expect(abs(error.x) < 0.006 && abs(error.y) < 0.006 && abs(error.z) < 0.006, "\(means)")
        }
        #expect(means[0].y < 0.97 * skin.y)   // the dots do darken the area
    }

    @Test("a dot of diameter d at p px/mm is d·p pixels wide", arguments: [(0.15, 20.0), (0.15, 40.0), (0.3, 10.0), (0.3, 40.0)])
    func dotWidth(diameterMM: Double, scale: Double) {
        // Measured in optical depth, −ln(R / skin), which is proportional to ink: its FWHM is
        // the ink's (a peak depth of 1 keeps 8-bit quantisation small at the half level).
        let sigma = diameterMM / 2.354_82
        let dot = InkDot(xMM: 2, yMM: 2, sigmaMM: sigma, amount: 2 * Double.pi * sigma * sigma * 1.0,
                         absorbance: LinearRGB(repeating: 1), layer: .surface)
        let view = MapView(widthMM: 4, heightMM: 4, pixelsPerMM: scale)
        let pixels = render(MapRenderer(view: view, skin: skin, dots: [dot]))
        let width = view.widthPixels
        let row = Int(2 * scale)
        let darkness = (0..<width).map { -log(Double(pixels[row * width + $0].y / skin.y)) }
        guard let measured = fullWidthAtHalfMaximum(darkness) else {
            Issue.record("no measurable dot")
            return
        }
        #expect(abs(measured - diameterMM * scale) < max(1, 0.1 * diameterMM * scale), "\(measured) px for \(diameterMM * scale)")
    }

    @Test("an oval dot keeps its ink and is e times longer along its axis than across")
    func ovalDot() {
        let scale = 40.0, sigma = 0.1, elongation = 1.69
        let round = InkDot(xMM: 2, yMM: 2, sigmaMM: sigma, amount: 2 * Double.pi * sigma * sigma * 0.8,
                           absorbance: LinearRGB(repeating: 1), layer: .surface)
        var oval = round
        oval.elongation = elongation
        oval.axis = SIMD2(1, 0)
        let view = MapView(widthMM: 4, heightMM: 4, pixelsPerMM: scale)
        func depths(_ dot: InkDot) -> [Double] {
            render(MapRenderer(view: view, skin: skin, dots: [dot])).map { -log(Double($0.y / skin.y)) }
        }
        let width = view.widthPixels, centre = Int(2 * scale)
        let roundDepth = depths(round), ovalDepth = depths(oval)
        // Same ink: the integrated optical depth agrees (8-bit quantisation aside).
        let ovalInk: Double = ovalDepth.reduce(0, +), roundInk: Double = roundDepth.reduce(0, +)
        #expect(abs(ovalInk / roundInk - 1) < 0.02)
        let alongAxis = fullWidthAtHalfMaximum((0..<width).map { ovalDepth[centre * width + $0] }) ?? 0
        let acrossAxis = fullWidthAtHalfMaximum((0..<width).map { ovalDepth[$0 * width + centre] }) ?? 1
        let ratio: Double = alongAxis / acrossAxis
        #expect(abs(ratio - elongation) < 0.15, "\(alongAxis) px along, \(acrossAxis) px across")
    }

    @Test("pixels under narrow dots match a 48 × 48 supersampled reference within one sRGB level",
          arguments: [0.15, 0.29, 0.3, 0.45, 0.5, 0.6, 0.75, 1.2, 1.9])
    func quadratureAccuracy(sigmaPixels: Double) {
        let scale = 10.0, sigma = sigmaPixels / scale
        let veil = LinearRGB(0.08, 0.1, 0.12)
        var generator = Xoshiro256StarStar(seed: 11)
        let dots = (0..<6).map { k -> InkDot in
            // Random sub-pixel positions, shapes and peak depths from 1 to 8, well apart.
            let angle = 2 * Double.pi * generator.nextUnit()
            return InkDot(xMM: 0.6 + Double(k % 3) + generator.nextUnit() * 0.1, yMM: 0.6 + Double(k / 3) + generator.nextUnit() * 0.1,
                          sigmaMM: sigma, amount: 2 * Double.pi * sigma * sigma * (1 + 7 * generator.nextUnit()),
                          absorbance: LinearRGB(1, 1.05, 1.1), layer: .dermal,
                          elongation: 1 + 0.3 * generator.nextUnit(), axis: SIMD2(cos(angle), sin(angle)))
        }
        let view = MapView(widthMM: 3.2, heightMM: 2.2, pixelsPerMM: scale)
        let renderer = MapRenderer(view: view, skin: skin, veil: veil, dots: dots)
        let width = view.widthPixels, height = view.heightPixels
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        bytes.withUnsafeMutableBytes { renderer.renderRows(0..<height, into: $0, rowStride: width * 3) }
        let shapes = dots.map { $0.quadraticForm(pixelsPerMM: scale) }
        var worst = 0, inked = 0
        SRGBTransfer.encodeTable.withUnsafeBufferPointer { table in
            for row in 0..<height {
                for column in 0..<width {
                    var sum = SIMD3<Double>.zero
                    let n = 48
                    // Only dots within 6 σ matter to the reference (depth below 10⁻⁷).
                    let near = dots.indices.filter {
                        let dx = Double(column) + 0.5 - dots[$0].xMM * scale, dy = Double(row) + 0.5 - dots[$0].yMM * scale
                        return (dx * dx + dy * dy).squareRoot() < 6 * 1.15 * sigmaPixels + 1
                    }
                    guard !near.isEmpty else { continue }
                    for sy in 0..<n {
                        for sx in 0..<n {
                            let x = Double(column) + (Double(sx) + 0.5) / Double(n), y = Double(row) + (Double(sy) + 0.5) / Double(n)
                            var depth = SIMD3<Double>.zero
                            for k in near {
                                let dot = dots[k], q = shapes[k]
                                let dx = x - dot.xMM * scale, dy = y - dot.yMM * scale
                                let g = exp(-(Double(q.x) * dx * dx + 2 * Double(q.y) * dx * dy + Double(q.z) * dy * dy))
                                depth += SIMD3<Double>(dot.peakDepth) * g
                            }
                            // Dermal depths are kernel losses, scaled by 1 / (1 − V) (MapRenderer).
                            let v = SIMD3<Double>(veil)
                            depth /= 1 - v
                            sum += v + (1 - v) * SIMD3(exp(-depth.x), exp(-depth.y), exp(-depth.z))
                        }
                    }
                    let reference = LinearRGB(sum / Double(n * n)) * skin
                    guard reference.y < 0.999 * skin.y else { continue }
                    inked += 1
                    for channel in 0..<3 {
                        let expected = Int(SRGBTransfer.encode(reference[channel], table: table))
                        worst = max(worst, abs(Int(bytes[3 * (row * width + column) + channel]) - expected))
                    }
                }
            }
        }
        #expect(inked > 12)
        #expect(worst <= 1, "worst \(worst) levels over \(inked) inked pixels")
    }

    @Test("wide components drawn from the coarse field match their Gaussians at the pixel centres", arguments: [5.0, 10, 23])
    func diffuseFieldAccuracy(scale: Double) {
        var generator = Xoshiro256StarStar(seed: 21)
        let veil = LinearRGB(0.1, 0.2, 0.3)
        // Halos of transport, redness-like surface fields, some reaching in from outside the view.
        let dots = (0..<40).map { k -> InkDot in
            let sigma = DiffuseField.minimumSigmaMM * (1 + 5 * generator.nextUnit())
            return InkDot(xMM: -3 + 16 * generator.nextUnit(), yMM: -3 + 14 * generator.nextUnit(), sigmaMM: sigma, amount: 1,
                          absorbance: LinearRGB(0.05, 0.04, 0.03) * Float(1 + generator.nextUnit()), layer: k % 4 == 0 ? .surface : .dermal)
        }
        let view = MapView(originXMM: 0.3, originYMM: -0.2, widthMM: 10, heightMM: 8, pixelsPerMM: scale)
        let pixels = render(MapRenderer(view: view, skin: skin, veil: veil, dots: dots))
        var worst: Float = 0
        for row in stride(from: 0, to: view.heightPixels, by: 3) {
            for column in stride(from: 0, to: view.widthPixels, by: 3) {
                let x = view.originXMM + (Double(column) + 0.5) / scale, y = view.originYMM + (Double(row) + 0.5) / scale
                var dermal = SIMD3<Double>.zero, surface = SIMD3<Double>.zero
                for dot in dots {
                    let r2 = (x - dot.xMM) * (x - dot.xMM) + (y - dot.yMM) * (y - dot.yMM)
                    let depth = SIMD3<Double>(dot.peakDepth) * exp(-r2 / (2 * dot.sigmaMM * dot.sigmaMM))
                    if dot.layer == .dermal { dermal += depth } else { surface += depth }
                }
                let v = SIMD3<Double>(veil)
                let d = dermal / (1 - v)
                let t = (v + (1 - v) * SIMD3(exp(-d.x), exp(-d.y), exp(-d.z))) * SIMD3(exp(-surface.x), exp(-surface.y), exp(-surface.z))
                let expected = LinearRGB(Float(t.x), Float(t.y), Float(t.z)) * skin
                let error = (pixels[row * view.widthPixels + column] - expected) / expected
                worst = max(worst, abs(error.x), abs(error.y), abs(error.z))
            }
        }
        // 8-bit quantisation is up to 0.4 % of a channel here; the field's sampling adds little.
        #expect(worst < 0.008, "worst relative error \(worst)")
    }
}

@Suite("Cubature rules for the pixel square")
struct QuadratureRuleTests {
    /// The rule's sum of w · xᵃ · yᵇ over its nodes, against ∫∫ xᵃ yᵇ = 1 / ((a + 1)(b + 1)).
    func error(_ rule: QuadratureRule, _ a: Int, _ b: Int) -> Double {
        var sum = 0.0
        for group in 0..<rule.groups {
            for lane in 0..<4 {
                let x = Double(rule.offsetX[group][lane]), y = Double(rule.offsetY[group][lane])
                sum += Double(rule.weight[group][lane]) * pow(x, Double(a)) * pow(y, Double(b))
            }
        }
        return abs(sum - 1 / Double((a + 1) * (b + 1)))
    }

    /// Each rule integrates exactly (to Float rounding) every monomial up to its total degree,
    /// and not the next degree: the nodes and weights are the published ones, in the square.
    @Test(arguments: [(2, 5), (3, 7)])
    func exactToItsDegree(ruleIndex: Int, degree: Int) {
        let rule = ScaleSampling.rules[ruleIndex]
        for a in 0...degree { for b in 0...(degree - a) { #expect(error(rule, a, b) < 1e-6, "x^\(a) y^\(b)") } }
        let next = (0...(degree + 1)).map { error(rule, $0, degree + 1 - $0) }.max() ?? 0
        #expect(next > 1e-5, "exact beyond degree \(degree) too: not the rule it claims to be")
    }

    /// n × n Gauss–Legendre nodes integrate xᵃ yᵇ exactly for a, b up to 2n − 1; 2 × 2 not x⁴.
    @Test func gaussLegendreIsExactPerAxisToDegreeTwoNMinusOne() {
        for n in [2, 6, 16] {
            let rule = QuadratureRule(nodesPerSide: n)
            for a in 0..<(2 * n) { for b in 0..<(2 * n) { #expect(error(rule, a, b) < 1e-6, "n \(n), x^\(a) y^\(b)") } }
        }
        #expect(error(QuadratureRule(nodesPerSide: 2), 4, 0) > 1e-3)
    }

    /// Finer rules for narrower cores, every rule's weights summing to one.
    @Test func finerRulesForNarrowerCores() {
        var previous = 0
        for sigma in stride(from: 2.5, to: 0.09, by: -0.01) {
            let index = ScaleSampling.ruleIndex(sigmaPixels: sigma)
            #expect(index >= previous, "σ \(sigma)")
            previous = index
        }
        #expect(ScaleSampling.ruleIndex(sigmaPixels: 2) == 0 && ScaleSampling.ruleIndex(sigmaPixels: 1.99) == 1)
        #expect(ScaleSampling.ruleIndex(sigmaPixels: 0.6) == 2 && ScaleSampling.ruleIndex(sigmaPixels: 0.4) == 3)
        for rule in ScaleSampling.rules { #expect(abs(rule.weight.reduce(0) { $0 + Double($1.sum()) } - 1) < 1e-6) }
    }
}
