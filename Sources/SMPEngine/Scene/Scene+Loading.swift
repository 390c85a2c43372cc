import Foundation

extension Scene {
    /// Reads a scene file. Throws `SceneError.unreadable` when the file cannot be read and
    /// `SceneError.invalid` with every problem found when its content is wrong.
    public static func load(contentsOf url: URL) throws -> Scene {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SceneError.unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return try load(yaml: SceneText.decode(data, file: url.path), file: url.path)
    }

    /// Decodes and validates a scene from YAML text; `file` names it in error messages.
    public static func load(yaml text: String, file: String) throws -> Scene {
        let reader = SceneReader()
        guard let root = reader.root(of: text) else { throw reader.error(file: file) ?? SceneError.invalid(file: file, issues: []) }
        let scene = Scene(root)
        if let error = reader.error(file: file) { throw error }
        return scene
    }

    init(_ root: SceneObject) {
        name = root.string("name", default: nil, pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                           allowed: "1–64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names the output folder)")
        seed = root.seed("seed", default: 1)
        notes = root.string("notes", default: "")
        head = Scene.readHead(root.object("head"))
        photo = Scene.readPhoto(root)
        if let circumference = photo?.headCircumferenceMM { head = HeadShape.fromCircumference(circumference, like: head) }
        skin = Scene.readSkin(root.object("skin"))
        (hairLoss, hairLossPreset) = Scene.readHairLoss(root.object("hairLoss"))
        hairline = Scene.readHairline(root.object("hairline"), head: head)
        existingHair = Scene.readExistingHair(root.object("existingHair"))
        scars = root.list("scars").map(Scene.readScar)
        design = Scene.readDesign(root.object("design"))
        sessions = Scene.readSessions(root, hasScars: !scars.isEmpty, hasPatches: !hairLoss.patches.isEmpty)
        pigment = Scene.readPigment(root.object("pigment"))
        ageing = Scene.readAgeing(root.object("ageing"))
        forecast = Scene.readForecast(root.object("forecast"), touchUps: root.list("touchUps"))
        sessionRate = Scene.readSessionRate(root.object("sessionRate"))
        render = Scene.readRender(root.object("render"), sessions: sessions)
        root.finish()
    }

    static func readHead(_ object: SceneObject) -> HeadShape {
        defer { object.finish() }
        let sex = object.string("sex", default: "man", pattern: "^(man|woman)$", allowed: "man or woman")
        let base = sex == "woman" ? HeadShape.adultWoman : HeadShape.adultMan
        // ANSUR II: circumference 570 ± 18 mm; length 196 ± 9, breadth 152 ± 6, tragion to
        // top 130 ± 7 mm. The ranges cover the smallest to the largest adult heads.
        let circumference = object.optionalNumber("circumferenceMM", in: 400...700, unit: "mm")
        let length = object.optionalNumber("lengthMM", in: 150...250, unit: "mm")
        let breadth = object.optionalNumber("breadthMM", in: 120...200, unit: "mm")
        let height = object.optionalNumber("earToTopMM", in: 100...170, unit: "mm")
        if let circumference {
            if length != nil || breadth != nil || height != nil {
                object.reader.report(object.mark, object.keyPath, "give circumferenceMM or lengthMM/breadthMM/earToTopMM, not both")
            }
            return HeadShape.fromCircumference(circumference, like: base)
        }
        let earToTop = height ?? base.earToTopMM
        return HeadShape(frontToBackMM: (length ?? 2 * base.frontToBackMM) / 2, sideToSideMM: (breadth ?? 2 * base.sideToSideMM) / 2,
                         earToTopMM: earToTop, browHeightMM: base.browHeightMM * earToTop / base.earToTopMM)
    }

    static func readSkin(_ object: SceneObject) -> Skin {
        defer { object.finish() }
        var color = SkinTone.monk[4]
        var source = "Monk 5 (default)"
        let given = ["fitzpatrick", "monk", "color"].filter(object.has)
        if given.count > 1 {
            object.reader.report(object.mark, object.keyPath, "give one of fitzpatrick, monk or color, not \(given.joined(separator: " and "))")
        }
        if object.has("fitzpatrick") {
            let type = object.choice("fitzpatrick", default: SkinTone.Fitzpatrick.III)
            color = SkinTone.monk[type.monkTone - 1]
            source = "Fitzpatrick \(type.rawValue) (Monk \(type.monkTone))"
        }
        if object.has("monk") {
            let tone = object.integer("monk", default: 5, in: 1...10)
            color = SkinTone.monk[tone - 1]
            source = "Monk \(tone)"
        }
        if object.has("color") {
            color = object.color("color", default: color)
            source = "explicit \(color)"
        }
        return Skin(color: color, source: source,
                    texture: object.number("texture", default: 0.5, in: 0...1),
                    shine: object.number("shine", default: 0.2, in: 0...1))
    }

    static func readHairLoss(_ object: SceneObject) -> (HairLossPattern, HairLossPattern.Preset?) {
        defer { object.finish() }
        let preset = object.choice("pattern", default: HairLossPattern.Preset.norwood5)
        var pattern = HairLossPattern.preset(preset)
        var changed = false
        func override(_ key: String, _ value: inout Double, _ range: ClosedRange<Double>, _ unit: String = "mm") {
            guard let given = object.optionalNumber(key, in: range, unit: unit) else { return }
            value = given
            changed = true
        }
        override("frontalDepthMidMM", &pattern.frontalDepthMidMM, 0...250)
        override("frontalDepthCornerMM", &pattern.frontalDepthCornerMM, 0...250)
        override("crownRadiusMM", &pattern.crownRadiusMM, 0...150)
        override("thinningRemaining", &pattern.thinningRemaining, 0...1, "")
        override("edgeMM", &pattern.edgeMM, 0.5...50)
        override("irregularityMM", &pattern.irregularityMM, 0...30)
        let sides = object.optionalNumber("fringeHeightSidesMM", in: -60...140, unit: "mm")
        let back = object.optionalNumber("fringeHeightBackMM", in: -60...140, unit: "mm")
        if sides != nil || back != nil {
            pattern.fringeHeightSidesMM = sides ?? pattern.fringeHeightSidesMM ?? 60
            pattern.fringeHeightBackMM = back ?? pattern.fringeHeightBackMM ?? 40
            changed = true
        }
        if object.has("thinningZone") {
            pattern.thinningZone = object.choice("thinningZone", default: pattern.thinningZone)
            changed = true
        }
        if object.has("patches") {
            pattern.patches = object.list("patches").map { patch in
                defer { patch.finish() }
                return HairLossPattern.Patch(xMM: patch.number("xMM", default: nil, in: -300...300, unit: "mm"),
                                             yMM: patch.number("yMM", default: nil, in: -300...300, unit: "mm"),
                                             radiusMM: patch.number("radiusMM", default: nil, in: 1...150, unit: "mm"))
            }
            changed = true
        }
        if object.has("progression") {
            let given = object.object("progression")
            pattern.progression = HairLossPattern.Progression(
                to: given.choice("to", default: HairLossPattern.Preset.norwood6),
                afterYears: given.number("afterYears", default: nil, in: 0.5...40, unit: "years"))
            if !given.has("to") { given.reader.report(given.mark, given.path("to"), "required: the preset hair loss reaches, like norwood6") }
            given.finish()
        } else {
            _ = object.node("progression")
        }
        return (pattern, changed ? nil : preset)
    }

    static func readHairline(_ object: SceneObject, head: HeadShape) -> Hairline {
        defer { object.finish() }
        let style = object.choice("style", default: Hairline.Style.natural)
        // Natural trichion 61 ± 3 mm (men) above the glabella; designed SMP hairlines sit
        // higher, most often 70–90 mm (DOMAIN.md, "The scalp").
        let height = object.number("heightAboveBrowMM", default: 72, in: 40...130, unit: "mm")
        let softness = object.optionalNumber("softnessMM", in: 0.5...40, unit: "mm")
        let irregularity = object.optionalNumber("irregularityMM", in: 0...10, unit: "mm")
        return Hairline(heightAboveBrowMM: height,
                        cornerWidthMM: object.number("cornerWidthMM", default: 45, in: 20...80, unit: "mm"),
                        cornerRecessionMM: object.number("cornerRecessionMM", default: 15, in: 0...60, unit: "mm"),
                        cornerAngularity: object.number("cornerAngularity", default: 0.3, in: 0...1),
                        style: style, softnessMM: softness, irregularityMM: irregularity,
                        templeSlope: object.number("templeSlope", default: 0.6, in: 0...3))
    }

    static func readExistingHair(_ object: SceneObject) -> ExistingHair {
        defer { object.finish() }
        // Terminal hair 175–300 hairs/cm², mean 223 (DOMAIN.md); shaved for SMP to stubble.
        let hairsPerCM2 = object.number("hairsPerCM2", default: 200, in: 0...400, unit: "hairs/cm²")
        let color = object.color("color", default: SRGBColor(hex: "#2b2420")!)
        let stubble = object.number("stubbleLengthMM", default: 0.5, in: 0...10, unit: "mm")
        // Worn length: waist-long hair is about 700 mm.
        let length = object.number("lengthMM", default: stubble, in: 0...1000, unit: "mm")
        if length < stubble, let node = object.node("lengthMM") {
            object.reader.report(node.mark, object.path("lengthMM"),
                                 "\(SceneObject.format(length, "mm")) is shorter than the stubble (stubbleLengthMM \(SceneObject.format(stubble, "mm"))); allowed: from the stubble's length to 1000 mm")
        }
        return ExistingHair(hairsPerCM2: hairsPerCM2, color: color, stubbleLengthMM: stubble, lengthMM: max(length, stubble),
                            smpBlend: object.number("smpBlend", default: 0.3, in: 0...1),
                            shaftShadowDepthMM: object.number("shaftShadowDepthMM", default: 0.3, in: 0...1.5, unit: "mm"))
    }

    static func readScar(_ object: SceneObject) -> Scar {
        defer { object.finish() }
        let treatment = object.choice("treatment", default: Scar.Treatment.camouflage)
        let kind = object.string("kind", default: nil, pattern: "^(strip|fue|linear)$", allowed: "strip, fue or linear")
        switch kind {
        case "fue":
            return Scar(kind: .fue(count: object.integer("count", default: 300, in: 1...5000),
                                   diameterMM: object.number("diameterMM", default: 1, in: 0.3...5, unit: "mm"),
                                   lowMM: object.number("lowMM", default: -20, in: -60...140, unit: "mm"),
                                   highMM: object.number("highMM", default: 40, in: -60...140, unit: "mm")),
                        treatment: treatment)
        case "linear":
            var points: [SIMD2<Double>] = []
            if let node = object.node("pointsMM"), case let .sequence(sequence) = node {
                for (index, element) in sequence.enumerated() {
                    let pair = element.array().compactMap { $0.float }
                    guard pair.count == 2, pair.allSatisfy(\.isFinite) else {
                        object.reader.report(element.mark, "\(object.path("pointsMM"))[\(index)]", "expected [xMM, yMM], two numbers")
                        continue
                    }
                    points.append(SIMD2(pair[0], pair[1]))
                }
            }
            if points.count < 2 {
                object.reader.report(object.mark, object.path("pointsMM"), "required: at least two points [xMM, yMM] on the chart")
            }
            return Scar(kind: .linear(points: points, widthMM: object.number("widthMM", default: 2, in: 0.2...30, unit: "mm")),
                        treatment: treatment)
        default:
            return Scar(kind: .strip(heightMM: object.number("heightMM", default: 15, in: -60...120, unit: "mm"),
                                     widthMM: object.number("widthMM", default: 3, in: 0.5...30, unit: "mm"),
                                     spanDegrees: object.number("spanDegrees", default: 150, in: 10...300, unit: "°")),
                        treatment: treatment)
        }
    }

    static func readDesign(_ object: SceneObject) -> Design {
        defer { object.finish() }
        // Dots about 1 mm apart, like follicular units on a shaved scalp (DOMAIN.md): ~80–110
        // dots/cm² finished; 80 is a common full density.
        // Microdots about 1 mm apart, like follicular units on a shaved scalp (DOMAIN.md, Rassman
        // et al. 2015): about 100 per cm² for a Poisson-disk pattern of that spacing.
        return Design(dotsPerCM2: object.number("dotsPerCM2", default: 100, in: 1...200, unit: "dots/cm²"),
                      regularity: object.number("regularity", default: 0.35, in: 0...1))
    }

    /// The default plan (DOMAIN.md, "SMP practice"): three sessions 14 days apart; a sparse,
    /// lighter foundation, then fill; 0.25 mm single needles, carbon black diluted to greys.
    public static let defaultSessions: [Session] = [
        Session(day: 0, densityFactor: 0.4, regionFactors: [:], needle: Needle(diameterMM: 0.25, configuration: .single),
                ink: SRGBColor(hex: "#141414")!, dilution: 0.5),
        Session(day: 14, densityFactor: 0.75, regionFactors: [:], needle: Needle(diameterMM: 0.25, configuration: .single),
                ink: SRGBColor(hex: "#141414")!, dilution: 0.35),
        Session(day: 28, densityFactor: 1, regionFactors: [:], needle: Needle(diameterMM: 0.20, configuration: .single),
                ink: SRGBColor(hex: "#141414")!, dilution: 0.3),
    ]

    /// `hasScars` and `hasPatches`: whether the scene has scars and alopecia patches for a
    /// session's `regionOverrides` to name.
    static func readSessions(_ root: SceneObject, hasScars: Bool, hasPatches: Bool) -> [Session] {
        guard root.has("sessions") else {
            _ = root.node("sessions")
            return defaultSessions
        }
        let objects = root.list("sessions")
        if objects.isEmpty { root.reader.report(root.mark, "sessions", "required: at least one session (or leave `sessions` out for the default plan)") }
        var sessions: [Session] = []
        for (index, object) in objects.enumerated() {
            let defaults = defaultSessions[min(index, defaultSessions.count - 1)]
            let needleObject = object.object("needle")
            let needle = Needle(diameterMM: needleObject.number("diameterMM", default: defaults.needle.diameterMM, in: 0.1...1, unit: "mm"),
                                configuration: needleObject.choice("configuration", default: defaults.needle.configuration))
            needleObject.finish()
            var regionFactors: [ScalpRegion: Double] = [:]
            let regions = object.object("regionFactors")
            for region in ScalpRegion.allCases {
                regionFactors[region] = regions.optionalNumber(region.rawValue, in: 0...3)
            }
            regions.finish()
            let overrides = readRegionOverrides(object.object("regionOverrides"), needle: needle, hasScars: hasScars, hasPatches: hasPatches)
            var session = Session(
                day: object.number("day", default: index == 0 ? 0 : nil, in: 0...36500, unit: "days"),
                densityFactor: object.number("densityFactor", default: defaults.densityFactor, in: 0...2),
                regionFactors: regionFactors, needle: needle,
                ink: object.color("ink", default: defaults.ink),
                dilution: object.number("dilution", default: defaults.dilution, in: 0...0.95),
                depthMM: object.number("depthMM", default: defaults.depthMM, in: 0.1...1.5, unit: "mm"))
            session.regionOverrides = overrides
            object.finish()
            if let previous = sessions.last {
                // Sessions at least 7 days apart, commonly 10–14 (DOMAIN.md).
                if session.day < previous.day + 7 {
                    root.reader.report(object.mark, "sessions[\(index)].day",
                                       "day \(Int(session.day)) is less than 7 days after session \(index) (day \(Int(previous.day))); allowed: at least 7 days apart")
                }
                if session.densityFactor < previous.densityFactor {
                    root.reader.report(object.mark, "sessions[\(index)].densityFactor",
                                       "\(session.densityFactor) is below the previous session's \(previous.densityFactor); the target is cumulative and cannot fall")
                }
            }
            sessions.append(session)
        }
        return sessions
    }

    /// A session's `regionOverrides:`: per region (`frontalHairline`, `temples`, `midScalp`,
    /// `crown`, `sidesAndBack`, as `regionFactors`, and `scars` and `alopeciaPatches`,
    /// `PlanRegion`) a `needle` (its missing keys the session's `needle`) and a `dilution`, in
    /// the session's ranges. Scars or patches the scene does not have are refused: the
    /// override would silently do nothing.
    static func readRegionOverrides(_ object: SceneObject, needle sessionNeedle: Needle,
                                    hasScars: Bool, hasPatches: Bool) -> [PlanRegion: Session.RegionOverride] {
        defer { object.finish() }
        var overrides: [PlanRegion: Session.RegionOverride] = [:]
        for region in PlanRegion.allCases {
            // Asked for even when missing, so that a misspelt region is named with the known ones.
            guard object.has(region.rawValue) else { _ = object.node(region.rawValue); continue }
            let given = object.object(region.rawValue)
            defer { given.finish() }
            if region == .scars && !hasScars {
                given.reader.report(given.mark, given.keyPath, "the scene has no scars: list them under `scars`, or leave `scars` out here")
            }
            if region == .alopeciaPatches && !hasPatches {
                given.reader.report(given.mark, given.keyPath,
                                    "the scene has no alopecia patches: give `hairLoss.patches` (or `pattern: areata`), or leave `alopeciaPatches` out here")
            }
            var override = Session.RegionOverride()
            if given.has("needle") {
                let needle = given.object("needle")
                override.needle = Needle(diameterMM: needle.number("diameterMM", default: sessionNeedle.diameterMM, in: 0.1...1, unit: "mm"),
                                         configuration: needle.choice("configuration", default: sessionNeedle.configuration))
                needle.finish()
            } else {
                _ = given.node("needle")
            }
            override.dilution = given.optionalNumber("dilution", in: 0...0.95)
            if override.needle == nil && override.dilution == nil {
                given.reader.report(given.mark, given.keyPath, "empty: give a needle, a dilution or both for \(region.rawValue), or leave the region out")
            }
            overrides[region] = override
        }
        return overrides
    }

    static func readPigment(_ object: SceneObject) -> PigmentModel {
        defer { object.finish() }
        var model = PigmentModel()
        model.retainedAfterHealing = object.number("retainedAfterHealing", default: model.retainedAfterHealing, in: 0.05...1)
        model.inkCloudDiameterRatio = object.number("inkCloudDiameterRatio", default: model.inkCloudDiameterRatio, in: 0.2...3)
        model.inkLoadMgPerCM2 = object.number("inkLoadMgPerCM2", default: model.inkLoadMgPerCM2, in: 0.1...20, unit: "mg/cm²")
        model.inkGranuleRadiusUM = object.number("inkGranuleRadiusUM", default: model.inkGranuleRadiusUM, in: 0.01...50, unit: "µm")
        model.inkMigrationMM = object.number("inkMigrationMM", default: model.inkMigrationMM, in: 0...1, unit: "mm")
        model.fadeHalfLifeYears = object.number("fadeHalfLifeYears", default: model.fadeHalfLifeYears, in: 0.5...100, unit: "years")
        model.sunExposure = object.number("sunExposure", default: model.sunExposure, in: 0...3)
        model.spreadPer5Years = object.number("spreadPer5Years", default: model.spreadPer5Years, in: 0...3)
        model.blowoutFraction = object.number("blowoutFraction", default: model.blowoutFraction, in: 0...0.5)
        model.blowoutSpread = object.number("blowoutSpread", default: model.blowoutSpread, in: 1...10)
        model.hueShiftYears = object.number("hueShiftYears", default: model.hueShiftYears, in: 0.1...100, unit: "years")
        model.rednessDays = object.number("rednessDays", default: model.rednessDays, in: 0.5...30, unit: "days")
        model.maximumElongation = object.number("maximumElongation", default: model.maximumElongation, in: 1...3)
        return model
    }

    static func readRender(_ object: SceneObject, sessions: [Session]) -> RenderSettings {
        defer { object.finish() }
        let pixelsPerMM = object.number("pixelsPerMM", default: 10, in: Scene.RenderSettings.pixelsPerMMRange, unit: "px/mm")
        var crop: Crop?
        if object.has("crop") {
            let c = object.object("crop")
            crop = Crop(xMM: c.number("xMM", default: nil, in: -400...400, unit: "mm"),
                        yMM: c.number("yMM", default: nil, in: -400...400, unit: "mm"),
                        widthMM: c.number("widthMM", default: nil, in: 1...800, unit: "mm"),
                        heightMM: c.number("heightMM", default: nil, in: 1...800, unit: "mm"))
            c.finish()
        } else {
            _ = object.node("crop")
        }
        let allowed = TreatmentTime.allowedForms + " (sessions 1 to \(sessions.count))"
        func parse(_ text: String) -> TreatmentTime? {
            TreatmentTime(text).flatMap { $0.day(in: sessions) == nil ? nil : $0 }
        }
        var after = TreatmentTime.healed
        if let node = object.node("after") {
            if let text = node.string, let time = parse(text) {
                after = time
            } else {
                object.reader.report(node.mark, object.path("after"), "`\(node.string ?? SceneReader.kind(of: node))` is not allowed; allowed: \(allowed)")
            }
        }
        let at = object.stringList("at", allowed: allowed, parse: parse) ?? []
        let names = OutputSelection.names(sessions: sessions.count, at: at)
        let outputs = object.stringList("outputs", allowed: OutputSelection.describe(names)) { names.contains($0) || OutputSelection.groups.contains($0) ? $0 : nil }
        var settings = RenderSettings(pixelsPerMM: pixelsPerMM, crop: crop, after: after, at: at, outputs: outputs)
        let viewNames = HeadViewName.allCases.map(\.rawValue).joined(separator: ", ")
        settings.views = object.stringList("views", allowed: viewNames) { HeadViewName(rawValue: $0) } ?? HeadViewName.defaults
        settings.viewPixels = object.integer("viewPixels", default: 1600, in: 64...8000)
        settings.viewDistanceMM = object.number("viewDistanceMM", default: 600, in: 300...3000, unit: "mm")
        return settings
    }
}
