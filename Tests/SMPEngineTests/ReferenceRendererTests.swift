import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

/// The fast map renderer against a plain one: every component of the pigment model evaluated
/// as the Gaussian it is, at 16 × 16 points per pixel, through the equation `MapRenderer`
/// documents, T = exp(−D_surface) · (V + (1 − V) · exp(−L / (1 − V))). Slow and obviously right;
/// the fast one lists narrow components per pixel, splats wide ones at pixel centres, sums the
/// widest on a coarse grid and renders in bands.
@Suite("Fast renderer against the plain reference")
struct ReferenceRendererTests {
    static let skin = SRGBColor(hex: "#d7bd96")!.linear

    /// Twelve dots over 4 × 3 mm, a third of them blown out, placed by one session.
    static func dots() -> [PoissonDot] {
        var generator = Xoshiro256StarStar(seed: 41)
        return (0..<12).map { k in
            PoissonDot(xMM: 0.4 + 3.2 * generator.nextUnit(), yMM: 0.4 + 2.2 * generator.nextUnit(), spacingMM: 1, layer: 1,
                       diameterMM: k % 2 == 0 ? 0.25 : 0.2, variationSeed: generator.next())
        }
    }

    /// The plain reference, linear light, one pixel.
    static func reference(_ components: [InkDot], veil: LinearRGB, view: MapView, column: Int, row: Int) -> SIMD3<Double> {
        let n = 16, scale = view.pixelsPerMM
        let v = SIMD3<Double>(Double(veil.x), Double(veil.y), Double(veil.z))
        var sum = SIMD3<Double>.zero
        for sy in 0..<n {
            for sx in 0..<n {
                let x = view.originXMM + (Double(column) + (Double(sx) + 0.5) / Double(n)) / scale
                let y = view.originYMM + (Double(row) + (Double(sy) + 0.5) / Double(n)) / scale
                var dermal = SIMD3<Double>.zero, surface = SIMD3<Double>.zero
                for c in components {
                    let major = c.sigmaMM * c.elongation.squareRoot(), minor = c.sigmaMM / c.elongation.squareRoot()
                    let dx = x - c.xMM, dy = y - c.yMM
                    // Past 7 σ a component's depth is below 10⁻¹⁰ of its peak.
                    guard dx * dx + dy * dy < 49 * major * major else { continue }
                    let along = dx * c.axis.x + dy * c.axis.y, across = -dx * c.axis.y + dy * c.axis.x
                    let g = exp(-(along * along) / (2 * major * major) - (across * across) / (2 * minor * minor))
                    let depth = SIMD3<Double>(Double(c.peakDepth.x), Double(c.peakDepth.y), Double(c.peakDepth.z)) * g
                    if c.layer == .dermal { dermal += depth } else { surface += depth }
                }
                let l = dermal / (1 - v)
                let underVeil: SIMD3<Double> = v + (1 - v) * SIMD3(exp(-l.x), exp(-l.y), exp(-l.z))
                let onTop = SIMD3<Double>(exp(-surface.x), exp(-surface.y), exp(-surface.z))
                sum += onTop * underVeil
            }
        }
        return sum / Double(n * n)
    }

    @Test("fresh, crusted, healed, faded and blown-out dots match the reference within one sRGB level",
          arguments: [(0.0, 10.0), (5.0, 10.0), (42.0, 10.0), (1826.25, 10.0), (42.0, 23.0), (0.0, 5.0)])
    func matchesReference(day: Double, scale: Double) {
        var model = PigmentModel()
        model.blowoutFraction = 0.3
        let session = Scene.defaultSessions[0]
        let components = model.components(of: Self.dots(), sessions: [session], atDay: day)
        let veil = model.veil(sessions: [session])
        let view = MapView(widthMM: 4, heightMM: 3, pixelsPerMM: scale)
        let renderer = MapRenderer(view: view, skin: Self.skin, veil: veil, dots: components)
        let width = view.widthPixels, height = view.heightPixels
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        bytes.withUnsafeMutableBytes { renderer.renderRows(0..<height, into: $0, rowStride: width * 3) }
        var worst = 0
        SRGBTransfer.encodeTable.withUnsafeBufferPointer { table in
            for row in stride(from: 0, to: height, by: 3) {
                for column in stride(from: 0, to: width, by: 3) {
                    let t = Self.reference(components, veil: veil, view: view, column: column, row: row)
                    let expected = LinearRGB(Float(t.x), Float(t.y), Float(t.z)) * Self.skin
                    for channel in 0..<3 {
                        let level = Int(SRGBTransfer.encode(expected[channel], table: table))
                        worst = max(worst, abs(level - Int(bytes[3 * (row * width + column) + channel])))
                    }
                }
            }
        }
        #expect(worst <= 1, "worst \(worst) sRGB levels on day \(day) at \(scale) px/mm")
    }

    @Test("any split of the rows into bands gives the same bytes", arguments: [1, 3, 7, 8, 13])
    func bandSplits(band: Int) {
        let model = PigmentModel()
        let session = Scene.defaultSessions[0]
        let components = model.components(of: Self.dots(), sessions: [session], atDay: 2)
        let view = MapView(widthMM: 4, heightMM: 3, pixelsPerMM: 20)
        let renderer = MapRenderer(view: view, skin: Self.skin, veil: model.veil(sessions: [session]), dots: components)
        let width = view.widthPixels, height = view.heightPixels
        var whole = [UInt8](repeating: 0, count: width * height * 3), banded = whole
        whole.withUnsafeMutableBytes { renderer.renderRows(0..<height, into: $0, rowStride: width * 3) }
        banded.withUnsafeMutableBytes { buffer in
            for start in stride(from: 0, to: height, by: band) {
                let rows = start..<min(height, start + band)
                renderer.renderRows(rows, into: UnsafeMutableRawBufferPointer(rebasing: buffer[(start * width * 3)...]), rowStride: width * 3)
            }
        }
        #expect(whole == banded)
        #expect(Set(whole).count > 10)   // the dots are there
    }
}
