import Dispatch
import Foundation
import ImageText
import PNGIO
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("Head views: the chart on a parametric head")
struct HeadViewRendererTests {
    /// A whole bald top treated in one session, skin without texture: dots stand out clearly.
    static func scene(hairlineMM: Double = 72, dotsPerCM2: Double = 100, densityFactor: Double = 1, viewPixels: Int = 600,
                      needle: String = "single") -> String {
        """
        name: head-test
        seed: 11
        skin: { fitzpatrick: III, texture: 0 }
        hairLoss: { pattern: norwood7 }
        hairline: { style: sharp, heightAboveBrowMM: \(hairlineMM) }
        design: { dotsPerCM2: \(dotsPerCM2) }
        sessions:
          - { day: 0, densityFactor: \(densityFactor), dilution: 0, needle: { diameterMM: 0.3, configuration: \(needle) } }
        render: { pixelsPerMM: 10, viewPixels: \(viewPixels) }
        """
    }

    @Test("a view too small for the scale bar goes without it: the bar's rows never run past the image's")
    func tinyViewWithoutScaleBar() throws {
        let text = Self.scene(viewPixels: 64)
        var rendering = SceneRendering(scene: try Scene.load(yaml: text, file: "head-test.yaml"), sceneText: text, threads: 1)
        let map = ScalpMap(scene: rendering.scene)
        let font = try Font.dejaVuSans()
        #expect(try rendering.headView(.front, map: map, texture: nil, font: font).overlay == nil)
        rendering.scene.render.viewPixels = 600
        let overlay = try #require(try rendering.headView(.front, map: map, texture: nil, font: font).overlay)
        #expect(overlay.width < 600)
    }

    /// Everything a view of `text` needs, the texture at `day` (nil: before).
    struct Setup {
        var rendering: SceneRendering
        var map: ScalpMap
        var dots: [PoissonDot]
        var surface: ScalpSurface

        init(_ text: String, threads: Int = 2) throws {
            let scene = try Scene.load(yaml: text, file: "head-test.yaml")
            rendering = SceneRendering(scene: scene, sceneText: text, threads: threads)
            map = ScalpMap(scene: scene)
            dots = try DotPlacement.dots(for: scene, on: map)
            let scale = rendering.texturePixelsPerMM(for: HeadViewName.allCases.map(rendering.camera))
            surface = try ScalpSurface(scene: scene, map: map, view: rendering.textureView(of: map, pixelsPerMM: scale))
        }

        var afterDay: Double { TreatmentTime.healed.day(in: rendering.scene.sessions)! }

        func view(_ name: HeadViewName, day: Double?) throws -> HeadViewRenderer {
            let texture = rendering.chartTexture(map: map, dots: dots, day: day, surface: surface)
            return try rendering.headView(name, map: map, texture: texture, skin: rendering.meanSkin(of: surface, map: map), font: nil)
        }
    }

    /// The view's RGB8 pixels, its rows rendered in bands of `band` on `threads` threads.
    static func pixels(_ view: HeadViewRenderer, band: Int = 16, threads: Int = 2) -> [UInt8] {
        let width = view.widthPixels, height = view.heightPixels
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        let bands = (height + band - 1) / band
        bytes.withUnsafeMutableBytes { buffer in
            let shared = UnsafeSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for b in stride(from: worker, to: bands, by: threads) {
                    let rows = (b * band)..<min(height, (b + 1) * band)
                    view.renderRows(rows, into: UnsafeMutableRawBufferPointer(rebasing: shared.value[(rows.lowerBound * width * 3)...]),
                                    rowStride: width * 3)
                }
            }
        }
        return bytes
    }

    static func luminance(_ bytes: [UInt8], width: Int, x: Int, y: Int) -> Double {
        let i = 3 * (y * width + x)
        return Double(SRGBTransfer.decode(bytes[i])) * 0.2126 + Double(SRGBTransfer.decode(bytes[i + 1])) * 0.7152
            + Double(SRGBTransfer.decode(bytes[i + 2])) * 0.0722
    }

    @Test("a view's bytes do not depend on the thread count or the band split, texture included")
    func reproducible() throws {
        let text = Self.scene(viewPixels: 240)
        let one = try Setup(text, threads: 1), three = try Setup(text, threads: 3)
        for name in [HeadViewName.front, .crown] {
            let a = Self.pixels(try one.view(name, day: one.afterDay), band: 16, threads: 1)
            let b = Self.pixels(try three.view(name, day: three.afterDay), band: 7, threads: 3)
            #expect(a == b, "\(name)")
        }
    }

    @Test("a view traced once and re-shaded with each moment's texture is the view drawn band by band")
    func tracedOnce() throws {
        let setup = try Setup(Self.scene(viewPixels: 160))
        for name in [HeadViewName.front, .top, .left] {
            let traced = try setup.view(name, day: nil).traced(threads: 3)
            for day in [nil, setup.afterDay] {
                let texture = setup.rendering.chartTexture(map: setup.map, dots: setup.dots, day: day, surface: setup.surface)
                let banded = try setup.view(name, day: day)
                #expect(Self.pixels(traced.with(texture: texture, skin: banded.skin), band: 5, threads: 2) == Self.pixels(banded), "\(name)")
            }
        }
    }

    @Test("the after view of an untreated plan is the before view, byte for byte, through the PNG files")
    func untreated() throws {
        let text = Self.scene(densityFactor: 0, viewPixels: 200)
        let scene = try Scene.load(yaml: text, file: "untreated.yaml")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-views-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try SceneRendering(scene: scene, sceneText: text, threads: 2)
            .render(into: folder, only: ["view-front-before", "view-front-after", "view-top-before", "view-top-after"])
        #expect(result.dotCount == 0)
        #expect(result.files.count == 4)
        for name in ["front", "top"] {
            let before = try PNGReader.read(url: folder.appendingPathComponent("view-\(name)-before.png"))
            let after = try PNGReader.read(url: folder.appendingPathComponent("view-\(name)-after.png"))
            #expect(before.width == 200 && before.pixels == after.pixels, "\(name)")
        }
    }

    @Test("the treated top of the head is darker in the after view than in the before view, the face is not")
    func treatedShows() throws {
        let setup = try Setup(Self.scene(viewPixels: 200))
        let before = Self.pixels(try setup.view(.top, day: nil)), after = Self.pixels(try setup.view(.top, day: setup.afterDay))
        let front = (Self.pixels(try setup.view(.front, day: nil)), Self.pixels(try setup.view(.front, day: setup.afterDay)))
        func mean(_ bytes: [UInt8], _ xs: Range<Int>, _ ys: Range<Int>) -> Double {
            var sum = 0.0
            for y in ys { for x in xs { sum += Self.luminance(bytes, width: 200, x: x, y: y) } }
            return sum / Double(xs.count * ys.count)
        }
        #expect(mean(after, 90..<110, 90..<110) < 0.92 * mean(before, 90..<110, 90..<110))
        // The nose and cheeks in the front view (below the eyes): plain skin either way.
        #expect(mean(front.0, 90..<110, 105..<115) == mean(front.1, 90..<110, 105..<115))
    }

    @Test("dots visible per cm² in a central patch of the top view are the map's dots per cm² there, within 5 %")
    func dotsPerCM2() throws {
        let setup = try Setup(Self.scene(dotsPerCM2: 25, viewPixels: 900, needle: "threePoint"))
        let view = try setup.view(.top, day: setup.afterDay)
        let bytes = Self.pixels(view)
        let width = view.widthPixels
        // The patch: 200 × 200 pixels at the centre (about 60 × 60 mm of the top of the head).
        let patch = (x: 350..<550, y: 350..<550)
        var visible = 0
        for y in patch.y {
            for x in patch.x {
                let here = Self.luminance(bytes, width: width, x: x, y: y)
                // A dot: the darkest pixel of its 5 × 5 neighbourhood (the first of equals), clearly
                // darker than the 9 × 9 around it.
                var isMinimum = true, sum = 0.0
                for dy in -4...4 {
                    for dx in -4...4 {
                        let other = Self.luminance(bytes, width: width, x: x + dx, y: y + dy)
                        sum += other
                        if abs(dx) <= 2 && abs(dy) <= 2 && (other < here || (other == here && (dy, dx) < (0, 0))) { isMinimum = false }
                    }
                }
                if isMinimum && here < 0.95 * sum / 81 { visible += 1 }
            }
        }
        // The map's dots in the same patch: each dot's surface point, projected by the camera.
        let head = HeadModel(shape: setup.rendering.scene.head)
        var placed = 0
        for dot in setup.dots {
            guard let point = head.cranium.point(chartX: dot.xMM, chartY: dot.yMM), let pixel = view.camera.project(point) else { continue }
            if patch.x.contains(Int(pixel.x.rounded(.down))) && patch.y.contains(Int(pixel.y.rounded(.down))) { placed += 1 }
        }
        // Both per cm² of the same surface patch: its area from the camera's rays on the vault.
        let area = Self.surfaceAreaCM2(camera: view.camera, head: head, patch: patch)
        let seen = Double(visible) / area, map = Double(placed) / area
        #expect(placed > 300, "too few dots to compare: \(placed)")
        #expect(abs(seen / map - 1) < 0.05, "visible \(seen) /cm², map \(map) /cm² (\(visible) vs \(placed) dots in \(area) cm²)")
        // And the map's own density there is the design's.
        #expect(abs(map / 25 - 1) < 0.1, "\(map) dots/cm² where the design asks 25")
    }

    /// The area of the cranium under the pixels of `patch`, cm²: each pixel's footprint on the
    /// vault (the rays through its corners met the surface 4 × 4 times), each hit refined by
    /// bisection on the vault's own equation |q / radii| = σ, independent of the view's marching
    /// and of the chart.
    static func surfaceAreaCM2(camera: HeadCamera, head: HeadModel, patch: (x: Range<Int>, y: Range<Int>)) -> Double {
        let radii = head.cranium.radii
        func outside(_ q: SIMD3<Double>) -> Bool {
            let v = q / radii, length = (v * v).sum().squareRoot()
            return length > Cranium.factor(v / length)
        }
        func hit(_ x: Double, _ y: Double) -> SIMD3<Double> {
            let d = camera.ray(x: x, y: y), o = camera.eye
            let near = head.intersect(origin: o, direction: d, edgeSlope: 0).hit?.distanceMM ?? camera.distanceMM
            var low = near - 3, high = near + 3
            precondition(outside(o + d * low) && !outside(o + d * high), "the ray at (\(x), \(y)) does not cross the vault near \(near) mm")
            for _ in 0..<60 {
                let middle = 0.5 * (low + high)
                if outside(o + d * middle) { low = middle } else { high = middle }
            }
            return o + d * (0.5 * (low + high))
        }
        var area = 0.0
        let step = 0.25
        for y in stride(from: Double(patch.y.lowerBound), to: Double(patch.y.upperBound), by: step) {
            for x in stride(from: Double(patch.x.lowerBound), to: Double(patch.x.upperBound), by: step) {
                let p = hit(x, y), u = hit(x + step, y) - p, v = hit(x, y + step) - p
                let cross = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
                area += (cross * cross).sum().squareRoot()
            }
        }
        return area / 100
    }

    @Test("the front view's hairline moves by the camera's projection of the chart's hairline: 60 vs 80 mm above the brow")
    func hairlineHeight() throws {
        var rows: [Double] = [], expected: [Double] = []
        for height in [60.0, 80.0] {
            let setup = try Setup(Self.scene(hairlineMM: height, viewPixels: 800))
            let view = try setup.view(.front, day: setup.afterDay)
            let bytes = Self.pixels(view)
            // Down the middle (mean of 9 columns): the treated scalp, then the hairline, then the
            // bare forehead. The hairline is where the luminance crosses halfway between the two.
            let profile = (0..<800).map { y in (396..<405).map { Self.luminance(bytes, width: 800, x: $0, y: y) }.reduce(0, +) / 9 }
            let head = HeadModel(shape: setup.rendering.scene.head)
            let chart = setup.map.chart
            // The chart's trichion, on the vault the view shows.
            let onChart = chart.chartPoint(polar: chart.frontPolar(arcAboveBrowMM: height), azimuth: -.pi / 2)
            let trichion = try #require(head.cranium.point(chartX: onChart.x, chartY: onChart.y))
            let projected = try #require(view.camera.project(trichion)).y
            let y0 = Int(projected)
            let treated = profile[(y0 - 40)..<(y0 - 15)].reduce(0, +) / 25
            let forehead = profile[(y0 + 15)..<(y0 + 40)].reduce(0, +) / 25
            #expect(forehead > treated * 1.04, "no visible hairline at \(height) mm: \(treated) vs \(forehead)")
            let half = 0.5 * (treated + forehead)
            let crossing = try #require(((y0 - 15)..<(y0 + 15)).first { profile[$0] < half && profile[$0 + 1] >= half })
            rows.append(Double(crossing) + (half - profile[crossing]) / (profile[crossing + 1] - profile[crossing]))
            expected.append(projected)
        }
        // The higher hairline is higher in the image, by what the camera makes of the 20 mm.
        #expect(expected[0] - expected[1] > 20)
        #expect(abs((rows[0] - rows[1]) - (expected[0] - expected[1])) < 1.5, "seen \(rows), projected \(expected)")
        for (seen, projected) in zip(rows, expected) { #expect(abs(seen - projected) < 4, "seen \(seen), projected \(projected)") }
    }

    @Test("which views a render writes: the scene's views by default, none for a close-up unless asked, any moment by name")
    func selection() throws {
        let base = Self.scene(viewPixels: 64)
        let rendering = SceneRendering(scene: try Scene.load(yaml: base, file: "a.yaml"), sceneText: base)
        let map = ScalpMap(scene: rendering.scene)
        func names(_ r: SceneRendering, _ selected: [String]?, views: [HeadViewName]? = nil) throws -> [String] {
            try r.viewJobs(ScenePreview(scene: r.scene, map: map, dots: [], follicularUnits: []), after: .healed, selected: selected, views: views).map(\.name)
        }
        #expect(try names(rendering, nil) == ["view-front-before", "view-top-before", "view-left-before", "view-crown-before",
                                              "view-front-after", "view-top-after", "view-left-after", "view-crown-after", "view-sheet"])
        #expect(try names(rendering, ["before", "after"]).isEmpty)
        #expect(try names(rendering, ["views"], views: [.back]) == ["view-back-before", "view-back-after", "view-sheet"])
        #expect(try names(rendering, ["view-sessions"], views: [.top, .back]) == ["view-top-session-1", "view-back-session-1",
                                                                                  "view-top-session-1-healed", "view-back-session-1-healed"])
        // A moment the scene's map outputs leave out is still there for the views.
        let mapOnly = base.replacingOccurrences(of: "viewPixels: 64", with: "viewPixels: 64, outputs: [before]")
        let limited = SceneRendering(scene: try Scene.load(yaml: mapOnly, file: "b.yaml"), sceneText: mapOnly)
        #expect(try names(limited, ["view-right-session-1-healed"]) == ["view-right-session-1-healed"])
        let close = base.replacingOccurrences(of: "viewPixels: 64", with: "viewPixels: 64, crop: { xMM: -10, yMM: -80, widthMM: 20, heightMM: 10 }")
        let closeUp = SceneRendering(scene: try Scene.load(yaml: close, file: "c.yaml"), sceneText: close)
        #expect(try names(closeUp, nil).isEmpty)
        #expect(try names(closeUp, nil, views: [.top]) == ["view-top-before", "view-top-after", "view-sheet"])
    }

    @Test("head views past a limit are refused before anything is drawn, naming the limit")
    func limits() throws {
        let text = Self.scene(viewPixels: 2000)
        var rendering = SceneRendering(scene: try Scene.load(yaml: text, file: "a.yaml"), sceneText: text)
        let map = ScalpMap(scene: rendering.scene)
        #expect(try rendering.viewJobs(ScenePreview(scene: rendering.scene, map: map, dots: [], follicularUnits: []), after: .healed, selected: ["views"], views: nil).count == 9)
        rendering.limits.pixelsPerImage = 3_000_000
        #expect(throws: RenderLimitError.self) {
            try rendering.viewJobs(ScenePreview(scene: rendering.scene, map: map, dots: [], follicularUnits: []), after: .healed, selected: ["view-top-after"], views: nil)
        }
        rendering.limits = RenderLimits()
        rendering.limits.peakMemoryBytes = 150 << 20
        #expect(throws: RenderLimitError.self) {
            try rendering.viewJobs(ScenePreview(scene: rendering.scene, map: map, dots: [], follicularUnits: []), after: .healed, selected: ["view-top-after"], views: nil)
        }
    }
}
