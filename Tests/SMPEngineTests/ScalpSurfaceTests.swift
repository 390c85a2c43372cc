import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("The bare scalp surface: skin, pores, sheen, scars and stubble")
struct ScalpSurfaceTests {
    static func scene(_ extra: String) throws -> Scene {
        try Scene.load(yaml: "name: t\nseed: 11\n" + extra, file: "t.yaml")
    }

    static func view(_ xMM: Double, _ yMM: Double, _ widthMM: Double, _ heightMM: Double, _ pixelsPerMM: Double) -> MapView {
        MapView(originXMM: xMM, originYMM: yMM, widthMM: widthMM, heightMM: heightMM, pixelsPerMM: pixelsPerMM)
    }

    /// The map cell under a pixel's centre, nil outside the raster.
    static func cell(_ map: ScalpMap, _ view: MapView, column: Int, row: Int) -> Int? {
        let x = view.originXMM + (Double(column) + 0.5) / view.pixelsPerMM
        let y = view.originYMM + (Double(row) + 0.5) / view.pixelsPerMM
        let c = Int(((x - map.bounds.minXMM) / map.cellMM).rounded(.down)), r = Int(((y - map.bounds.minYMM) / map.cellMM).rounded(.down))
        guard (0..<map.columns).contains(c), (0..<map.rows).contains(r) else { return nil }
        return r * map.columns + c
    }

    static func luminance(_ c: LinearRGB) -> Float { 0.2126 * c.x + 0.7152 * c.y + 0.0722 * c.z }

    @Test("untreated hairless skin averages to the preset colour within 1 % per channel, over the whole bald scalp",
          arguments: ["I", "III", "VI"])
    func meanOverBaldScalp(type: String) throws {
        let scene = try Self.scene("skin: { fitzpatrick: \(type), texture: 1, shine: 1 }\nhairLoss: { pattern: norwood7 }\nexistingHair: { hairsPerCM2: 0 }")
        let map = ScalpMap(scene: scene)
        let view = MapView(originXMM: map.bounds.minXMM, originYMM: map.bounds.minYMM, widthMM: map.bounds.widthMM,
                           heightMM: map.bounds.heightMM, pixelsPerMM: 4)
        let surface = try ScalpSurface(scene: scene, map: map, view: view)
        var sum = SIMD3<Double>.zero, count = 0
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                guard let index = Self.cell(map, view, column: column, row: row), map.region[index] != nil else { continue }
                let p = surface.pixelMean(column: column, row: row)
                sum += SIMD3<Double>(Double(p.x), Double(p.y), Double(p.z))
                count += 1
            }
        }
        let mean = sum / Double(count), preset = scene.skin.color.linear
        for channel in 0..<3 {
            #expect(abs(mean[channel] / Double(preset[channel]) - 1) < 0.01, "channel \(channel): \(mean) vs \(preset)")
        }
    }

    @Test("and over a 100 × 100 mm patch of bald crown at the default shine", arguments: ["I", "III", "VI"])
    func meanOverPatch(type: String) throws {
        let scene = try Self.scene("skin: { fitzpatrick: \(type), texture: 1 }\nhairLoss: { pattern: norwood7 }\nexistingHair: { hairsPerCM2: 0 }")
        let map = ScalpMap(scene: scene)
        let view = Self.view(-50, -40, 100, 100, 10)
        let surface = try ScalpSurface(scene: scene, map: map, view: view)
        var sum = SIMD3<Double>.zero
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                let p = surface.pixelMean(column: column, row: row)
                sum += SIMD3<Double>(Double(p.x), Double(p.y), Double(p.z))
            }
        }
        let mean = sum / Double(view.widthPixels * view.heightPixels), preset = scene.skin.color.linear
        for channel in 0..<3 {
            #expect(abs(mean[channel] / Double(preset[channel]) - 1) < 0.01, "channel \(channel): \(mean) vs \(preset)")
        }
    }

    /// Relative standard deviation of the luminance of `pixelMean` over a bald patch.
    static func relativeDeviation(texture: Double, pixelsPerMM: Double) throws -> Double {
        let scene = try Self.scene("skin: { texture: \(texture), shine: 0 }\nhairLoss: { pattern: norwood7 }\nexistingHair: { hairsPerCM2: 0 }")
        let view = Self.view(-20, -10, 40, 30, pixelsPerMM)
        let surface = try ScalpSurface(scene: scene, map: ScalpMap(scene: scene), view: view)
        var sum = 0.0, squares = 0.0
        let n = Double(view.widthPixels * view.heightPixels)
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                let l = Double(Self.luminance(surface.pixelMean(column: column, row: row)))
                sum += l
                squares += l * l
            }
        }
        let mean = sum / n
        return max(0, squares / n - mean * mean).squareRoot() / mean
    }

    @Test("texture 0 is flat; texture 1 varies (pores and mottling)")
    func textureVaries() throws {
        #expect(try Self.relativeDeviation(texture: 0, pixelsPerMM: 10) < 1e-5)
        let strong = try Self.relativeDeviation(texture: 1, pixelsPerMM: 10)
        #expect(strong > 0.015, "relative std \(strong)")
        #expect(strong < 0.08, "relative std \(strong)")
    }

    /// Mean hair cover of `sample` over a patch, 4 × 4 stratified samples per pixel.
    static func meanCover(_ surface: ScalpSurface) -> Double {
        var sum = 0.0
        for row in 0..<surface.view.heightPixels {
            for column in 0..<surface.view.widthPixels {
                for s in 0..<16 {
                    let x = Float(column) + (Float(s % 4) + 0.5) / 4, y = Float(row) + (Float(s / 4) + 0.5) / 4
                    sum += Double(surface.sample(x: x, y: y).hairCover)
                }
            }
        }
        return sum / Double(16 * surface.view.widthPixels * surface.view.heightPixels)
    }

    @Test("full hair covers about density × shaft width × visible length; bald scalp none",
          arguments: [0.5, 1.0, 2.0])
    func hairCover(stubbleMM: Double) throws {
        let scene = try Self.scene("hairLoss: { pattern: none }\nexistingHair: { hairsPerCM2: 200, stubbleLengthMM: \(stubbleMM) }")
        let surface = try ScalpSurface(scene: scene, map: ScalpMap(scene: scene), view: Self.view(-10, 0, 20, 15, 20))
        // 200 hairs/cm² over the 3 cm² view: roots counted inside it.
        let rooted = surface.hair.records.filter { $0.rootX >= 0 && $0.rootX < 400 && $0.rootY >= 0 && $0.rootY < 300 }.count
        #expect(abs(Double(rooted) / 600 - 1) < 0.12, "\(rooted) hairs rooted in 3 cm²")
        // Visible length: the stubble length foreshortened by the hair's exit angle (its mean factor).
        let factor = HairStubble.visibleLengthFactor
        let expected = 200.0 / 100 * Double(HairStubble.shaftWidthMM) * stubbleMM * Double(factor.lowerBound + factor.upperBound) / 2
        let cover = Self.meanCover(surface)
        #expect(abs(cover / expected - 1) < 0.3, "cover \(cover), expected \(expected)")

        let bald = try Self.scene("hairLoss: { pattern: norwood7 }\nexistingHair: { hairsPerCM2: 200, stubbleLengthMM: \(stubbleMM) }")
        let baldSurface = try ScalpSurface(scene: bald, map: ScalpMap(scene: bald), view: Self.view(-10, 0, 20, 15, 20))
        #expect(Self.meanCover(baldSurface) == 0)
    }

    @Test("pixelMean agrees with the mean of sample over the pixel", arguments: [10.0, 40.0])
    func pixelMeanMatchesSamples(pixelsPerMM: Double) throws {
        // The crown's edge in a Norwood III vertex: bald skin, thinning and full hair.
        let scene = try Self.scene("skin: { texture: 1, shine: 1 }\nhairLoss: { pattern: norwood3vertex }\nexistingHair: { stubbleLengthMM: 1 }")
        let map = ScalpMap(scene: scene)
        // 300 × 160 pixels reaching 34 mm right of the whorl: across the crown's edge (28 mm).
        let widthMM = 300 / pixelsPerMM
        let view = Self.view(map.whorl.x + 34 - widthMM, map.whorl.y - 8, widthMM, 160 / pixelsPerMM, pixelsPerMM)
        let surface = try ScalpSurface(scene: scene, map: map, view: view)
        let side = 12
        let skinLuminance = Self.luminance(scene.skin.color.linear)
        var differences: [Float] = []
        var covered = 0
        var meanSum = SIMD3<Double>.zero, sampleSum = SIMD3<Double>.zero, worst: Float = 0, absolute: Float = 0
        let pixels = view.widthPixels * view.heightPixels
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                var sum = LinearRGB.zero
                for sy in 0..<side {
                    for sx in 0..<side {
                        let s = surface.sample(x: Float(column) + (Float(sx) + 0.5) / Float(side), y: Float(row) + (Float(sy) + 0.5) / Float(side))
                        sum += s.reflectance
                    }
                }
                let averaged = sum / Float(side * side)
                if surface.sample(x: Float(column) + 0.5, y: Float(row) + 0.5).hairCover > 0 { covered += 1 }
                let mean = surface.pixelMean(column: column, row: row)
                // On the scale of the skin's luminance (the image's contrast), not of a dark pixel's.
                let difference = abs(Self.luminance(mean) - Self.luminance(averaged)) / skinLuminance
                worst = max(worst, difference)
                differences.append(difference)
                absolute += difference
                meanSum += SIMD3<Double>(Double(mean.x), Double(mean.y), Double(mean.z))
                sampleSum += SIMD3<Double>(Double(averaged.x), Double(averaged.y), Double(averaged.z))
            }
        }
        #expect(covered > pixels / 50, "\(covered) of \(pixels) pixels with hair")
        let areaDifference = (meanSum / sampleSum) - SIMD3<Double>(repeating: 1)
        #expect(max(abs(areaDifference.x), abs(areaDifference.y), abs(areaDifference.z)) < 0.005, "area means differ by \(areaDifference)")
        print("pixelMean vs samples at \(pixelsPerMM) px/mm: area \(areaDifference), mean |Δ| \(absolute / Float(pixels)), p99 \(differences.sorted()[differences.count * 99 / 100]), worst \(worst)")
        #expect(absolute / Float(pixels) < 0.01, "mean per-pixel difference \(absolute / Float(pixels))")
        // Where several hairs of one follicular unit cross the same pixel near their shared root,
        // pixelMean's union of per-hair coverages (as if independent) overestimates the covered
        // area: rare pixels differ by up to a quarter of the skin's luminance.
        let p99 = differences.sorted()[differences.count * 99 / 100]
        #expect(p99 < 0.08, "99th percentile \(p99)")
        #expect(worst < 0.3, "worst pixel \(worst)")
    }

    @Test("an area's mean does not depend on the scale: hairs thinner than a pixel neither vanish nor double")
    func scaleInvariant() throws {
        let scene = try Self.scene("skin: { texture: 1 }\nhairLoss: { pattern: norwood3vertex }\nexistingHair: { stubbleLengthMM: 1 }")
        let map = ScalpMap(scene: scene)
        var means: [Double] = []
        for pixelsPerMM in [5.0, 10, 20, 40] {
            // 20 × 15 mm across the crown's edge, shifted by a fraction of a pixel.
            let surface = try ScalpSurface(scene: scene, map: map, view: Self.view(map.whorl.x + 18.03, map.whorl.y - 7.61, 20, 15, pixelsPerMM))
            var sum = 0.0
            for row in 0..<surface.view.heightPixels {
                for column in 0..<surface.view.widthPixels { sum += Double(Self.luminance(surface.pixelMean(column: column, row: row))) }
            }
            means.append(sum / Double(surface.view.widthPixels * surface.view.heightPixels))
        }
        let spread = (means.max()! - means.min()!) / means[0]
        print("area means at 5, 10, 20, 40 px/mm: \(means)")
        #expect(spread < 0.005, "means at 5, 10, 20, 40 px/mm: \(means)")
    }

    /// A row term's colour; its fourth lane is scratch.
    static func rgb(_ v: SIMD4<Float>) -> LinearRGB { LinearRGB(v.x, v.y, v.z) }

    @Test("a row shaded at once is bit-identical to its pixels one by one, at three scales", arguments: [4.0, 10.0, 37.5])
    func rowsMatchPixels(pixelsPerMM: Double) throws {
        let scene = try Self.scene("skin: { texture: 1, shine: 1 }\nhairLoss: { pattern: norwood3vertex }\nexistingHair: { stubbleLengthMM: 1 }")
        let map = ScalpMap(scene: scene)
        // Across the edge of the hair, so rows have stubble, buried shafts and bare skin.
        let view = Self.view(map.whorl.x + 10, map.whorl.y - 8, 30, 16, pixelsPerMM)
        let surface = try ScalpSurface(scene: scene, map: map, view: view)
        let width = view.widthPixels
        let skin = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: width), hair = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: width)
        defer { skin.deallocate(); hair.deallocate() }
        var differences = 0, haired = 0
        for row in 0..<view.heightPixels {
            surface.shadeRow(row, skin: skin, hair: hair)
            for column in 0..<width {
                let terms = surface.pixelTerms(column: column, row: row)
                if terms.skin != Self.rgb(skin[column]) || terms.hair != Self.rgb(hair[column]) { differences += 1 }
                if terms.hair != .zero { haired += 1 }
            }
        }
        #expect(differences == 0)
        #expect(haired > width)
    }

    @Test("skin beyond the chart's edge is textured in both directions, not the edge cells stretched into stripes")
    func offChartSkinHasNoStripes() throws {
        let scene = try Self.scene("skin: { texture: 1, shine: 1 }\nhairLoss: { pattern: norwood7 }\nexistingHair: { hairsPerCM2: 0 }")
        let map = ScalpMap(scene: scene)
        // 40 × 30 mm entirely in front of the chart (the forehead of a hairline close-up).
        let view = Self.view(map.bounds.minXMM + map.bounds.widthMM / 2 - 20, map.bounds.minYMM - 45, 40, 30, 5)
        let surface = try ScalpSurface(scene: scene, map: map, view: view)
        let width = view.widthPixels, height = view.heightPixels
        // The skin's slowly varying part (pores, the same either way, left out).
        let luminance = (0..<height).map { row in
            (0..<width).map { Double(Self.luminance(surface.cellValue(x: Float($0) + 0.5, y: Float(row) + 0.5).0)) }
        }
        func deviation(_ values: [Double]) -> Double {
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        }
        let alongRows = (0..<height).map { deviation(luminance[$0]) }.reduce(0, +) / Double(height)
        let alongColumns = (0..<width).map { column in deviation((0..<height).map { luminance[$0][column] }) }.reduce(0, +) / Double(width)
        #expect(alongRows > 0)
        #expect(alongColumns > 0.5 * alongRows, "variation down columns \(alongColumns), across rows \(alongRows)")
    }

    @Test("the same scene gives bit-identical samples from two instances")
    func deterministic() throws {
        let scene = try Self.scene("skin: { texture: 1, shine: 1 }\nhairLoss: { pattern: norwood3vertex }\nexistingHair: { stubbleLengthMM: 1 }")
        let map = ScalpMap(scene: scene)
        let view = Self.view(map.whorl.x + 10, map.whorl.y - 8, 30, 16, 10)
        let a = try ScalpSurface(scene: scene, map: map, view: view)
        let b = try ScalpSurface(scene: scene, map: ScalpMap(scene: scene), view: view)
        var differences = 0, covered = 0
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                if a.pixelMean(column: column, row: row) != b.pixelMean(column: column, row: row) { differences += 1 }
                let x = Float(column) + 0.37, y = Float(row) + 0.61
                let s = a.sample(x: x, y: y)
                if s != b.sample(x: x, y: y) { differences += 1 }
                if s.hairCover > 0 { covered += 1 }
            }
        }
        #expect(differences == 0)
        #expect(covered > 100)
        // Another seed gives other hairs.
        var other = scene
        other.seed = 12
        let c = try ScalpSurface(scene: other, map: ScalpMap(scene: other), view: view)
        var changed = 0
        for row in 0..<view.heightPixels { for column in 0..<view.widthPixels where c.pixelMean(column: column, row: row) != a.pixelMean(column: column, row: row) { changed += 1 } }
        #expect(changed > view.widthPixels * view.heightPixels / 2)
    }

    @Test("scar tissue is paler and smoother than the skin around it", arguments: ["II", "VI"])
    func scarsArePaler(type: String) throws {
        let scene = try Self.scene("""
            skin: { fitzpatrick: \(type), texture: 1, shine: 0 }
            hairLoss: { pattern: none }
            existingHair: { hairsPerCM2: 0 }
            scars: [{ kind: strip, heightMM: 12, widthMM: 6, spanDegrees: 160, treatment: camouflage }]
            """)
        let map = ScalpMap(scene: scene)
        let view = Self.view(-40, 90, 80, 80, 10)
        let surface = try ScalpSurface(scene: scene, map: map, view: view)
        var scar: [Float] = [], skin: [Float] = []
        for row in 0..<view.heightPixels {
            for column in 0..<view.widthPixels {
                guard let index = Self.cell(map, view, column: column, row: row), map.region[index] != nil else { continue }
                let l = Self.luminance(surface.pixelMean(column: column, row: row))
                // Scar cells at least 1 mm inside the scar, so interpolation with the skin around
                // does not count; skin cells with no scar at all.
                let column = index % map.columns, row = index / map.columns
                var interior = true
                for dr in -2...2 { for dc in -2...2 {
                    let r = min(max(row + dr, 0), map.rows - 1), c = min(max(column + dc, 0), map.columns - 1)
                    if map.scarCoverage[r * map.columns + c] < 0.99 { interior = false }
                } }
                if interior { scar.append(l) } else if map.scarCoverage[index] == 0 { skin.append(l) }
            }
        }
        try #require(scar.count > 1000 && skin.count > 1000)
        func statistics(_ v: [Float]) -> (mean: Float, deviation: Float) {
            let mean = v.reduce(0, +) / Float(v.count)
            return (mean, (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(v.count)).squareRoot())
        }
        let (scarMean, scarDeviation) = statistics(scar), (skinMean, skinDeviation) = statistics(skin)
        #expect(scarMean > skinMean * 1.02, "scar \(scarMean), skin \(skinMean)")
        #expect(scarDeviation / scarMean < 0.6 * skinDeviation / skinMean, "scar \(scarDeviation / scarMean), skin \(skinDeviation / skinMean)")
    }
}
