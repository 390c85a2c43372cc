import Foundation

/// How a pixel's mean transmission is sampled under a narrow Gaussian of σ pixels: the cheapest
/// of these cubature rules on the pixel square that keeps every pixel within an sRGB level.
/// - σ ≥ 2: one sample at the centre (a *wide* component);
/// - σ ≥ 0.75: 2 × 2 Gauss–Legendre nodes (one lane group);
/// - σ ≥ 0.5: Radon's 7-point rule, exact to total degree 5 (two groups);
/// - σ ≥ 0.3: Stroud's 12-point rule C2 7-1, exact to total degree 7 (three groups);
/// - below: n × n Gauss–Legendre nodes, n = ⌈1.5 / σ⌉ up to 16.
/// (A. H. Stroud, *Approximate Calculation of Multiple Integrals*, 1971; both rules have
/// positive weights and nodes inside the square.) Measured against a 96 × 96 midpoint
/// reference over random dot positions, shapes (elongation to 1.3) and peak optical depths
/// from 1 to 8, σ from 0.1 to 2 px, on skin of reflectance 0.6 (1,200 dots per σ band): the
/// worst pixel is 0.91 sRGB levels off, in the 2 × 2 band (σ 0.75–1), the mean 0.039 levels.
/// The 7- and 12-point rules replaced tensor rules of 9 and 16–25 nodes (n = ⌈1.5 / σ⌉): in
/// their bands the worst went from 0.20 to 0.48 (σ 0.5–0.75), 0.11 to 0.23 (0.375–0.5) and
/// 0.08 to 0.44 (0.3–0.375), still under the 2 × 2 band's, for a third fewer samples where
/// the demo's cores are (σ 0.4–0.75 px at 10 px/mm). The test `quadratureAccuracy` holds
/// every band to one level.
enum ScaleSampling {
    /// Components at least this wide (σ, pixels) whose optical depth never reaches
    /// `faintWideDepth` are drawn as wide ones, at pixel centres: against the pixel's mean the
    /// centre errs by about depth / (24 σ²), under 0.5 % of the transmission here, and their
    /// sums over an area are exact. The test `matchesReference` holds them to one level.
    static let faintWideSigmaPixels = 1.2, faintWideDepth = 0.3

    /// Which of `rules` a component of σ pixels needs; a larger index is a finer rule, so a
    /// pixel takes the largest its components ask for. 0 marks a wide component.
    static func ruleIndex(sigmaPixels σ: Double) -> Int {
        if σ >= 2 { return 0 }
        if σ >= 0.75 { return 1 }
        if σ >= 0.5 { return 2 }
        if σ >= 0.3 { return 3 }
        // 1.5 / σ > 5 here: n from 6.
        return 4 + min(16, Int((1.5 / σ).rounded(.up))) - 6
    }

    /// Where a narrow component's optical depth stays under this in a whole pixel, the 2 × 2
    /// rule samples it well enough. Measured as above, pixel by pixel over the footprints (σ
    /// 0.3–2 px, peaks 1–8, wide depth 0–1.5 under it, skin reflectance 0.05–0.7; 110,000
    /// pixels): where the bound below is under 0.5 the 2 × 2 rule's worst pixel was 0.52 sRGB
    /// levels off (0.59 for σ 0.3–0.5), no worse than the components' own rules (0.61, and
    /// 0.71). Those are 54–63 % of the pixels the cores reach; in the demo, 38 % fewer samples.
    static let faintDepth = 0.5

    /// The squared distance from a component's centre beyond which its depth in a pixel,
    /// bounded by its peak at the pixel's nearest point along its widest σ, is under
    /// `faintDepth`. Only for the 7- and 12-point bands: under a core narrower than 0.3 px a
    /// pixel's mean can hang on a sliver the 2 × 2 nodes miss (infinite: never faint).
    static func faintDistanceSquared(sigmaMajorPixels: Double, sigmaMinorPixels: Double, peakDepth: Double) -> Double {
        guard sigmaMinorPixels >= 0.3 else { return .infinity }
        guard peakDepth > faintDepth else { return 0 }
        return 2 * sigmaMajorPixels * sigmaMajorPixels * log(peakDepth / faintDepth)
    }

    /// Node offsets inside the pixel and weights, in lanes of four samples, padded with weight 0.
    static let rules: [QuadratureRule] = [QuadratureRule(nodesPerSide: 1), QuadratureRule(nodesPerSide: 2),
                                          .radon7, .stroud12] + (6...16).map { QuadratureRule(nodesPerSide: $0) }
}

/// A cubature rule over the unit square, four samples per lane group.
struct QuadratureRule: Sendable {
    let offsetX: [SIMD4<Float>], offsetY: [SIMD4<Float>], weight: [SIMD4<Float>]
    var groups: Int { weight.count }

    /// Nodes (x, y) in [0, 1]² with weights summing to 1.
    init(nodes: [(x: Double, y: Double, weight: Double)]) {
        let groups = (nodes.count + 3) / 4
        var x = [SIMD4<Float>](repeating: SIMD4(repeating: 0.5), count: groups), y = x
        var w = [SIMD4<Float>](repeating: .zero, count: groups)
        for (k, node) in nodes.enumerated() {
            x[k / 4][k % 4] = Float(node.x)
            y[k / 4][k % 4] = Float(node.y)
            w[k / 4][k % 4] = Float(node.weight)
        }
        offsetX = x
        offsetY = y
        weight = w
    }

    /// n × n Gauss–Legendre nodes.
    init(nodesPerSide n: Int) {
        let (nodes, weights) = QuadratureRule.gaussLegendre(n)
        self.init(nodes: (0..<n * n).map { k in (nodes[k % n], nodes[k / n], weights[k % n] * weights[k / n]) })
    }

    /// A rule given on [−1, 1]² (weights summing to 1), moved to the unit square.
    init(centredNodes nodes: [(x: Double, y: Double, weight: Double)]) {
        self.init(nodes: nodes.map { ((1 + $0.x) / 2, (1 + $0.y) / 2, $0.weight) })
    }

    /// Radon's 7-point rule, degree 5: the centre, two points on the y axis, four at (±√⅗, ±√⅓).
    static let radon7: QuadratureRule = {
        let r = (14.0 / 15).squareRoot(), s = (3.0 / 5).squareRoot(), t = (1.0 / 3).squareRoot()
        return QuadratureRule(centredNodes: [(0, 0, 2.0 / 7), (0, r, 5.0 / 63), (0, -r, 5.0 / 63),
                                             (s, t, 5.0 / 36), (s, -t, 5.0 / 36), (-s, t, 5.0 / 36), (-s, -t, 5.0 / 36)])
    }()

    /// Stroud's C2 7-1, degree 7: four points on the axes at r = √(6/7) and two rings of four on
    /// the diagonals.
    static let stroud12: QuadratureRule = {
        let root = 583.0.squareRoot()
        let r = (6.0 / 7).squareRoot(), s = ((114 - 3 * root) / 287).squareRoot(), t = ((114 + 3 * root) / 287).squareRoot()
        let axis = 49.0 / 810, inner = (178_981 + 2769 * root) / 1_888_920, outer = (178_981 - 2769 * root) / 1_888_920
        var nodes: [(x: Double, y: Double, weight: Double)] = [(r, 0, axis), (-r, 0, axis), (0, r, axis), (0, -r, axis)]
        for (d, w) in [(s, inner), (t, outer)] {
            nodes += [(d, d, w), (d, -d, w), (-d, d, w), (-d, -d, w)]
        }
        return QuadratureRule(centredNodes: nodes)
    }()

    /// Nodes in [0, 1] and weights summing to 1: roots of the Legendre polynomial Pₙ by Newton's
    /// method from the usual cosine guess.
    static func gaussLegendre(_ n: Int) -> ([Double], [Double]) {
        var nodes = [Double](repeating: 0, count: n), weights = nodes
        for k in 0..<n {
            var x = cos(Double.pi * (Double(k) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for m in 2...max(2, n) where n >= 2 {
                    let p2 = (Double(2 * m - 1) * x * p1 - Double(m - 1) * p0) / Double(m)
                    p0 = p1
                    p1 = p2
                }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-15 { break }
            }
            nodes[k] = (1 - x) / 2
            weights[k] = 1 / ((1 - x * x) * derivative * derivative)
        }
        return (nodes, weights)
    }
}
