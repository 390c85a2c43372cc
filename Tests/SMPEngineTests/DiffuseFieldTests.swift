import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("Diffuse field")
struct DiffuseFieldTests {
    /// Wide components of both layers, of every level's width, scattered over and past a view
    /// (some reach it only from outside), in an order that mixes the levels.
    func components(count: Int, over view: MapView) -> [InkDot] {
        var random = SplitMix64(seed: 24)
        return (0..<count).map { k in
            InkDot(xMM: view.originXMM - 20 + Double.random(in: 0...(view.widthMM + 40), using: &random),
                   yMM: view.originYMM - 20 + Double.random(in: 0...(view.heightMM + 40), using: &random),
                   sigmaMM: DiffuseField.minimumSigmaMM * Double.random(in: 1...14, using: &random),
                   amount: Double.random(in: 0.001...0.05, using: &random), absorbance: LinearRGB(3, 2.5, 2),
                   layer: k % 3 == 0 ? .surface : .dermal)
        }
    }

    @Test("the field has the same bits for any thread count, with a base field added or not")
    func sameBitsForAnyThreadCount() {
        // Tall enough for several strips on the finest level.
        let view = MapView(originXMM: -13.7, originYMM: 4.2, widthMM: 31, heightMM: 53, pixelsPerMM: 3.5)
        let all = components(count: 300, over: view)
        let scale = SIMD4<Float>(1.2, 1.3, 1.4, 0)
        let base = DiffuseField(components: Array(all.prefix(50)), view: view, dermalScale: scale)
        let rest = Array(all.dropFirst(50))
        let one = DiffuseField(components: rest, view: view, dermalScale: scale, adding: base, threads: 1)
        #expect(one.dermal.contains { $0 != .zero } && one.surface.contains { $0 != .zero })
        for threads in [2, 5] {
            let many = DiffuseField(components: rest, view: view, dermalScale: scale, adding: base, threads: threads)
            #expect(many.dermal == one.dermal, "dermal field with \(threads) threads")
            #expect(many.surface == one.surface, "surface field with \(threads) threads")
        }
        let alone = DiffuseField(components: rest, view: view, dermalScale: scale, threads: 1)
        #expect(DiffuseField(components: rest, view: view, dermalScale: scale, threads: 5).dermal == alone.dermal)
    }

    @Test("each component's samples sum to its optical depth times its area, split over strips or not")
    func componentsKeepTheirInk() {
        let view = MapView(originXMM: 0, originYMM: 0, widthMM: 120, heightMM: 120, pixelsPerMM: 2)
        // A wide component in the middle, crossing strips of the finest level.
        let dot = InkDot(xMM: 60, yMM: 61.3, sigmaMM: 1.1, amount: 0.02, absorbance: LinearRGB(1, 1, 1), layer: .dermal)
        let field = DiffuseField(components: [dot], view: view, dermalScale: SIMD4(repeating: 1), threads: 2)
        let cellArea = Double(field.cellMM * field.cellMM)
        let sum = field.dermal.reduce(0.0) { $0 + Double($1.x) } * cellArea
        // amount · absorbance: the integral of the Gaussian's optical depth; cut at 3.5 σ.
        #expect(abs(sum - 0.02) < 0.02 * 0.005)
    }

    /// A treated area's transport halos: thousands of components of three kernel widths, each
    /// widened a little by its own ink cloud, with redness on the surface; dense enough that
    /// the field blurs them rather than splatting each.
    func treatedArea(count: Int, over view: MapView) -> [InkDot] {
        var random = SplitMix64(seed: 21)
        return (0..<count).map { k in
            let kernel = [0.9, 2.0, 4.5][k % 3], cloud = Double.random(in: 0.05...0.4, using: &random)
            return InkDot(xMM: view.originXMM - 5 + Double.random(in: 0...(view.widthMM + 10), using: &random),
                          yMM: view.originYMM - 5 + Double.random(in: 0...(view.heightMM + 10), using: &random),
                          sigmaMM: (kernel * kernel + cloud * cloud).squareRoot(), amount: Double.random(in: 0.001...0.01, using: &random),
                          absorbance: LinearRGB(3, 2.5, 2), layer: k % 7 == 0 ? .surface : .dermal)
        }
    }

    @Test("blurring a level's components together gives their splats' field, the same bits on any thread count")
    func blurMatchesSplats() {
        let view = MapView(originXMM: 2.5, originYMM: -7.1, widthMM: 60, heightMM: 45, pixelsPerMM: 4)
        let dots = treatedArea(count: 6000, over: view)
        let scale = SIMD4<Float>(1.2, 1.3, 1.4, 0)
        let splatted = DiffuseField(components: dots, view: view, dermalScale: scale, threads: 2, blurs: false)
        let blurred = DiffuseField(components: dots, view: view, dermalScale: scale, threads: 1)
        #expect(DiffuseField(components: dots, view: view, dermalScale: scale, threads: 3).dermal == blurred.dermal)
        #expect(DiffuseField(components: dots, view: view, dermalScale: scale, threads: 3).surface == blurred.surface)
        for (name, exact, fast) in [("dermal", splatted.dermal, blurred.dermal), ("surface", splatted.surface, blurred.surface)] {
            let peak = exact.map { $0.max() }.max() ?? 0
            let worst = zip(exact, fast).map { pair -> Float in let d = pair.0 - pair.1; return max(d.max(), -d.min()) }.max() ?? 0
            #expect(peak > 0.01, "\(name): a field to compare")
            // Each component's excess moments give under 0.5 % of its peak; summed over the
            // components overlapping a cell, the same share of the field.
            #expect(worst < 0.005 * peak, "\(name): worst difference \(worst) of a field up to \(peak)")
            #expect(worst > 0, "\(name): blurred, not splatted")
        }
        // What a patient sees: the same area's pixels at 10 px/mm, within one 8-bit level.
        let pixels = MapView(originXMM: 10, originYMM: 0, widthMM: 30, heightMM: 25, pixelsPerMM: 10)
        let skin = LinearRGB(0.45, 0.3, 0.22), veil = LinearRGB(0.1, 0.15, 0.2)
        let reference = MapRenderer(view: pixels, skin: skin, surface: nil, veil: veil, dots: dots, threads: 2, fieldBlurs: false)
        let fast = MapRenderer(view: pixels, skin: skin, veil: veil, dots: dots, threads: 2)
        let rowBytes = pixels.widthPixels * 3
        var (a, b) = ([UInt8](repeating: 0, count: rowBytes * pixels.heightPixels), [UInt8](repeating: 0, count: rowBytes * pixels.heightPixels))
        a.withUnsafeMutableBytes { reference.renderRows(0..<pixels.heightPixels, into: $0, rowStride: rowBytes) }
        b.withUnsafeMutableBytes { fast.renderRows(0..<pixels.heightPixels, into: $0, rowStride: rowBytes) }
        let levels = zip(a, b).map { abs(Int($0) - Int($1)) }
        #expect(levels.max() ?? 0 <= 1)
    }

    @Test("a day's components are the same list on any number of threads")
    func componentsOnThreads() throws {
        let scene = try Scene.load(yaml: String(contentsOf: PhotoDemoTests.scenes.appendingPathComponent("demo.yaml"), encoding: .utf8),
                                   file: "demo.yaml")
        var random = SplitMix64(seed: 7)
        let dots = (0..<(2 * PigmentModel.componentRunDots + 300)).map { _ in
            PoissonDot(xMM: Double.random(in: 0...200, using: &random), yMM: Double.random(in: 0...200, using: &random), spacingMM: 1,
                       layer: 1 + Int.random(in: 0..<scene.sessions.count, using: &random), diameterMM: 0.3, variationSeed: random.next())
        }
        let one = scene.pigment.components(of: dots, sessions: scene.sessions, atDay: 40, threads: 1)
        let many = scene.pigment.components(of: dots, sessions: scene.sessions, atDay: 40, threads: 3)
        #expect(one.count > dots.count)
        #expect(one.map(\.xMM) == many.map(\.xMM) && one.map(\.sigmaMM) == many.map(\.sigmaMM) && one.map(\.amount) == many.map(\.amount))
    }
}
