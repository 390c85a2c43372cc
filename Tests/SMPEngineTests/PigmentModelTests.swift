import Foundation
import PNGIO
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("Pigment over time")
struct PigmentModelTests {
    let session = Scene.defaultSessions[0]
    let dot = PoissonDot(xMM: 0, yMM: 0, spacingMM: 1, layer: 1, diameterMM: 0.25, variationSeed: 12345)

    func cloud(_ model: PigmentModel, day: Double) throws -> InkCloud {
        try #require(model.cloud(of: dot, session: session, ageDays: day))
    }

    @Test("spread alone conserves ink: the cloud keeps its ink while σ grows, and takes more light")
    func spreadConservesInk() throws {
        var model = PigmentModel()
        model.fadeHalfLifeYears = 1e12   // no fading and no drift: only spread changes
        model.hueShiftYears = 1e12
        let early = try cloud(model, day: 60), late = try cloud(model, day: 10 * 365.25)
        #expect(late.sigmaMM > early.sigmaMM * 1.3)
        #expect(abs(late.inkMG / early.inkMG - 1) < 1e-9)
        // The same ink over a wider area: less dense, so less of it shades itself.
        #expect(late.peakOpticalDepth.y < early.peakOpticalDepth.y && late.absorbingAreaMM2.y > early.absorbingAreaMM2.y)
    }

    @Test("fading alone follows the half-life law exactly", arguments: [0.0, 1, 3])
    func fadingHalfLife(sun: Double) throws {
        var model = PigmentModel()
        model.spreadPer5Years = 0
        model.sunExposure = sun
        let halfLifeDays = model.fadeHalfLifeYears * 365.25 / (1 + sun)
        let start = try cloud(model, day: 100)
        for years in [1.0, 5, 12] {
            let later = try cloud(model, day: 100 + years * 365.25)
            #expect(abs(later.inkMG / start.inkMG - pow(2, -years * 365.25 / halfLifeDays)) < 1e-12)
            #expect(later.sigmaMM == start.sigmaMM)
            #expect(later.absorbingAreaMM2.y < start.absorbingAreaMM2.y)
        }
    }

    @Test("redness is gone by the day the model says, and present before it")
    func rednessEnds() {
        let model = PigmentModel()
        let red = { (day: Double) in model.components(of: dot, session: session, ageDays: day).contains { $0.absorbance == PigmentModel.rednessSpectrum } }
        #expect(red(0) && red(1) && red(model.rednessDays - 0.1))
        #expect(!red(model.rednessDays) && !red(model.rednessDays + 1) && !red(400))
    }

    @Test("retained ink never grows, spread never shrinks, surface ink is shed by day 10")
    func monotonic() {
        let model = PigmentModel()
        var previous = (ink: Double.infinity, spread: 0.0)
        for step in 0...400 {
            let day = Double(step) * Double(step) * 0.15   // denser early, out to ~66 years
            let now = (ink: model.retainedInkFraction(ageDays: day), spread: model.spreadFactor(ageDays: day))
            #expect(now.ink <= previous.ink && now.spread >= previous.spread, "day \(day)")
            previous = now
        }
        #expect(model.surfaceInkFactor(ageDays: 10) == 0)
        #expect(model.surfaceInkFactor(ageDays: 5) > 0)
    }

    @Test("healing takes ink away: the cloud and the surface ink together hold under 70 % of day one's")
    func healedLighter() throws {
        let model = PigmentModel()
        func ink(_ day: Double) throws -> Double {
            let surface = model.components(of: dot, session: session, ageDays: day).filter { $0.layer == .surface && $0.absorbance != PigmentModel.rednessSpectrum }
            return try cloud(model, day: day).inkMG + surface.reduce(0) { $0 + $1.amount }
        }
        #expect(try ink(TreatmentTime.healedAfterDays) < 0.7 * ink(0))
    }

    @Test("the blowout fraction is honoured over 10,000 dots", arguments: [(0.02, 0.35), (0.05, 0.35), (0.02, 0.5)])
    func blowout(fraction: Double, depth: Double) {
        var model = PigmentModel()
        model.blowoutFraction = fraction
        var session = self.session
        session.depthMM = depth
        var seeds = SplitMix64(seed: 99)
        var blown = 0
        let n = 10_000
        for _ in 0..<n {
            let dot = PoissonDot(xMM: 0, yMM: 0, spacingMM: 1, layer: 1, diameterMM: 0.25, variationSeed: seeds.next())
            let cloud = model.cloud(of: dot, session: session, ageDays: 100)!
            // A blown-out cloud is blowoutSpread × wider than the widest normal one (size ±12 %).
            if cloud.sigmaMM > model.inkCloudDiameterRatio * 0.25 / 2.354_82 * 1.12 * model.spreadFactor(ageDays: 100) * 1.01 { blown += 1 }
        }
        let p = model.blowoutProbability(depthMM: depth)
        let tolerance = 4 * (p * (1 - p) / Double(n)).squareRoot()   // 4 standard deviations
        #expect(abs(Double(blown) / Double(n) - p) < tolerance, "\(blown) of \(n), expected \(p)")
        if depth > 0.35 { #expect(p > fraction) }
    }

    // MARK: Measured on the PNGs

    static let oneSession = """
        name: ageing
        seed: 11
        hairLoss: { pattern: norwood7 }
        design: { dotsPerCM2: 60 }
        sessions: [{ day: 0, densityFactor: 1, dilution: 0.3 }]
        render: { pixelsPerMM: 40, crop: { xMM: -10, yMM: -20, widthMM: 20, heightMM: 15 } }
        """

    struct Measured { var darkness: Double; var widthMM: Double; var coreAreaMM2: Double }

    /// Mean luminance darkness of the crop against bare skin, and the median RMS radius of the
    /// dots' darkness, read from after.png rendered at `time`.
    func measure(_ time: String, _ scene: Scene, dots: [PoissonDot]) throws -> Measured {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smp-ageing-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try SceneRendering(scene: scene, sceneText: Self.oneSession, threads: 2).render(into: folder, after: TreatmentTime(time))
        let image = try PNGReader.read(url: folder.appendingPathComponent("after.png"))
        let skin = scene.skin.color.linear
        let skinY = 0.2126 * skin.x + 0.7152 * skin.y + 0.0722 * skin.z
        func luminance(_ x: Int, _ y: Int) -> Float {
            let p = image.pixel(x: min(max(x, 0), image.width - 1), y: min(max(y, 0), image.height - 1))
            return 0.2126 * SRGBTransfer.decode(p.x) + 0.7152 * SRGBTransfer.decode(p.y) + 0.0722 * SRGBTransfer.decode(p.z)
        }
        var total = 0.0, all: [Float] = []
        for y in 0..<image.height {
            for x in 0..<image.width {
                total += Double(1 - luminance(x, y) / skinY)
                all.append(luminance(x, y))
            }
        }
        all.sort()
        let median = all[all.count / 2]
        // Width: the darkness-weighted RMS radius around each dot within 0.2 mm, the dot itself
        // (dots are ≥ 1 mm apart here; the subsurface halo is nearly flat at this scale). Unlike
        // a half-maximum width it does not shrink when fading takes a saturated core off its
        // plateau, so it follows the spread of the ink.
        var radii: [Double] = [], cores: [Double] = []
        let scale = 40.0, window = Int(0.2 * scale)
        for dot in dots {
            let cx = (dot.xMM + 10) * scale, cy = (dot.yMM + 20) * scale
            guard cx > 20, cy > 20, cx < Double(image.width) - 20, cy < Double(image.height) - 20 else { continue }
            var weight = 0.0, moment = 0.0
            for dy in -window...window {
                for dx in -window...window {
                    let x = Int(cx) + dx, y = Int(cy) + dy
                    let rx = (Double(x) + 0.5 - cx) / scale, ry = (Double(y) + 0.5 - cy) / scale
                    let r2 = rx * rx + ry * ry
                    guard r2 <= 0.2 * 0.2 else { continue }
                    let darkness = max(0, Double(1 - luminance(x, y) / skinY))
                    weight += darkness
                    moment += darkness * r2
                }
            }
            if weight > 0 { radii.append((moment / weight).squareRoot()) }
            // The dot as an eye picks it out: the area around it at least 15 % darker than the
            // area's typical (median) tone, which the skin's transport darkens as a whole.
            var core = 0
            for dy in -2 * window...2 * window {
                for dx in -2 * window...2 * window where 1 - luminance(Int(cx) + dx, Int(cy) + dy) / median > 0.15 { core += 1 }
            }
            cores.append(Double(core) / (scale * scale))
        }
        radii.sort()
        cores.sort()
        return Measured(darkness: total / Double(image.width * image.height), widthMM: radii[radii.count / 2],
                        coreAreaMM2: cores[cores.count / 2])
    }

    @Test("over time the treated area lightens and the dots widen once healed (measured on the PNGs)")
    func ageingOnImages() throws {
        let scene = try Scene.load(yaml: Self.oneSession, file: "ageing.yaml")
        let dots = try DotPlacement.dots(for: scene, on: ScalpMap(scene: scene))
        let fresh = try measure("session:1", scene, dots: dots)
        let healed = try measure("healed", scene, dots: dots)
        let fiveYears = try measure("5y", scene, dots: dots)
        #expect(fresh.darkness > healed.darkness && healed.darkness > fiveYears.darkness, "\(fresh) \(healed) \(fiveYears)")
        #expect(fiveYears.widthMM > healed.widthMM, "\(healed) \(fiveYears)")
        // DOMAIN.md: fresh impressions look darker and larger than the healed dots they become
        // (the healed dot's ink is seen through skin, which spreads its shadow but lowers it).
        #expect(fresh.coreAreaMM2 > 1.5 * healed.coreAreaMM2 && healed.coreAreaMM2 > 0, "\(fresh) \(healed)")
    }
}
