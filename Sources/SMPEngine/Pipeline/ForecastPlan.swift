import PoissonDisk

/// The years after a plan: its touch-ups as sessions of their own, and the hair loss reached
/// each year (`HairLossPattern.advanced`). The plan's own dots are the render's, unchanged;
/// each touch-up adds its dots between them, on the scalp as it is by then, so a touch-up
/// after the pattern advanced can reach the newly bald scalp.
public struct ForecastPlan: Sendable {
    /// The scene with the touch-ups appended to its sessions (dots name their session by
    /// `layer`, so the pigment model ages each touch-up's ink from its own day).
    public let scene: Scene
    /// How many of `scene.sessions` are the plan's own.
    public let planSessions: Int
    /// The plan's last session, days after its first.
    public let lastPlanDay: Double

    public init(_ scene: Scene) {
        var extended = scene
        planSessions = scene.sessions.count
        let last = scene.sessions.last ?? Session(day: 0, densityFactor: 1, regionFactors: [:],
                                                  needle: Needle(diameterMM: 0.25, configuration: .threePoint),
                                                  ink: SRGBColor(red: 0x14, green: 0x14, blue: 0x14), dilution: 0.3)
        lastPlanDay = last.day
        var previous = last
        for touchUp in scene.forecast.touchUps {
            var session = last
            session.day = last.day + touchUp.afterYears * 365.25
            session.densityFactor = max(touchUp.densityFactor, previous.densityFactor)
            session.dilution = touchUp.dilution ?? last.dilution
            // The last session's needles per region stay; a touch-up's own dilution is for every region.
            if touchUp.dilution != nil {
                session.regionOverrides = session.regionOverrides.mapValues { Session.RegionOverride(needle: $0.needle) }
                    .filter { $0.value.needle != nil }
            }
            // Regions it does not treat keep the density they had (the target is cumulative);
            // the ones it treats keep the plan's shape (a lighter crown stays lighter).
            var factors: [ScalpRegion: Double] = [:]
            for region in ScalpRegion.allCases {
                let had = previous.densityFactor * (previous.regionFactors[region] ?? 1)
                let treated = touchUp.regions.isEmpty || touchUp.regions.contains(region)
                let planShape = last.regionFactors[region] ?? 1
                factors[region] = treated ? max(planShape, had / max(session.densityFactor, 1e-9))
                    : had / max(session.densityFactor, 1e-9)
            }
            session.regionFactors = factors
            extended.sessions.append(session)
            previous = session
        }
        self.scene = extended
    }

    /// Days after the plan's first session of a moment `years` after its last.
    public func day(afterYears years: Double) -> Double { lastPlanDay + years * 365.25 }

    /// Years after the plan's last session of the moment on `day`.
    public func years(atDay day: Double) -> Double { (day - lastPlanDay) / 365.25 }

    /// The scene as it stands `years` after the plan: hair loss advanced that far.
    public func scene(afterYears years: Double) -> Scene {
        var scene = self.scene
        scene.hairLoss = scene.hairLoss.advanced(byYears: years)
        return scene
    }

    /// The scalp `years` on: `planMap` itself while the hair loss has not moved (no
    /// progression), a new map of the advanced pattern otherwise.
    public func map(afterYears years: Double, planMap: ScalpMap) -> ScalpMap {
        let stage = scene(afterYears: years)
        return stage.hairLoss == scene.hairLoss ? planMap : ScalpMap(scene: stage)
    }

    /// The textured skin and stubble of `view` at each of `years` on: the preview's while the
    /// hair loss has not moved, the advanced pattern's hair otherwise; built once per pattern
    /// (each places the view's hair, and every year of a plan without progression is the same).
    public func surfaces(afterYears years: [Double], preview: ScenePreview, view: MapView) throws -> [ScalpSurface] {
        var built: [(pattern: HairLossPattern, surface: ScalpSurface)] = []
        return try years.map { year in
            let stage = scene(afterYears: year)
            if let known = built.first(where: { $0.pattern == stage.hairLoss }) { return known.surface }
            let surface = stage.hairLoss == scene.hairLoss ? preview.surface(view: view)
                : try ScalpSurface(scene: stage, map: ScalpMap(scene: stage), view: view)
            built.append((stage.hairLoss, surface))
            return surface
        }
    }

    /// The plan's dots (`planDots`, from `DotPlacement`) and each touch-up's, placed on the
    /// scalp as it is on the touch-up's day between every dot before it. The touch-ups use the
    /// search sampler, which takes any earlier dots (the plan's tiled pattern nests only with
    /// layers of its own peak density). Last, each touch-up's re-inked impressions
    /// (`reinkedDots`).
    public func dots(planDots: [PoissonDot], planMap: ScalpMap) throws -> [PoissonDot] {
        var dots = planDots
        var reinked: [PoissonDot] = []
        // The day each impression last received ink.
        var inkedDay = planDots.map { scene.sessions[$0.layer - 1].day }
        for index in planSessions..<scene.sessions.count {
            reinked += reinkedDots(of: dots, inkedDay: &inkedDay, session: index, map: planMap)
            let session = scene.sessions[index]
            let map = self.map(afterYears: years(atDay: session.day), planMap: planMap)
            let request = PoissonDiskRequest(
                bounds: map.bounds, density: try map.density(after: session, design: scene.design),
                regularity: scene.design.regularity,
                seed: SplitMix64.derive(SplitMix64.derive(scene.seed, stream: RandomStream.touchUps.rawValue), stream: UInt64(index)),
                layer: index + 1, diameterMM: session.needle.impressionDiameterMM)
            let first = dots.count
            dots += try PoissonDiskSampler.sample(request, existing: dots)
            DotPlacement.label(&dots[first...], session: session, map: map)
            inkedDay += [Double](repeating: session.day, count: dots.count - first)
        }
        return dots + reinked
    }

    /// The fresh deposits touch-up `index` (of `scene.sessions`) puts into the impressions
    /// already there: `reink` of the dots in its regions, chosen by each dot's own draw, each a
    /// dot of the touch-up (its `layer`, its needle in the dot's region) at the old dot's place,
    /// with a variation of its own. The faded ink under it stays, so the new deposit tops the
    /// impression up to a full one: its `inkFactor` is the share that faded since the impression
    /// was last inked (`inkedDay`, updated), at the scene's typical fading. The pigment model
    /// draws both, the old ink still fading and spreading from its day, the new from the touch-up's.
    /// A touch-up's regions are the scalp's: a scar's or patch's dot is in the region `map` puts
    /// it in (hair loss going on moves no region).
    func reinkedDots(of dots: [PoissonDot], inkedDay: inout [Double], session index: Int, map: ScalpMap) -> [PoissonDot] {
        let touchUp = scene.forecast.touchUps[index - planSessions]
        guard touchUp.reink > 0 else { return [] }
        let day = scene.sessions[index].day
        let needles = scene.sessions[index].resolvedByZone.map(\.needle.impressionDiameterMM)
        let stream = SplitMix64.derive(SplitMix64.derive(scene.seed, stream: RandomStream.reinking.rawValue), stream: UInt64(index))
        var result: [PoissonDot] = []
        for (position, dot) in dots.enumerated() {
            if !touchUp.regions.isEmpty {
                let region = PlanRegion(zone: dot.zone).flatMap { $0.scalpRegion ?? map.region(atXMM: dot.xMM, yMM: dot.yMM) }
                guard let region, touchUp.regions.contains(region) else { continue }
            }
            var draw = SplitMix64(seed: SplitMix64.derive(dot.variationSeed, stream: stream))
            guard Double(draw.next() >> 11) * 0x1p-53 < touchUp.reink else { continue }
            var fresh = dot
            fresh.layer = index + 1
            fresh.diameterMM = needles[Int(dot.zone) < needles.count ? Int(dot.zone) : 0]
            fresh.variationSeed = draw.next()
            let kept = scene.pigment.retainedInkFraction(ageDays: day - inkedDay[position]) / scene.pigment.retainedAfterHealing
            fresh.inkFactor = Float(max(0, 1 - kept))
            inkedDay[position] = day
            result.append(fresh)
        }
        return result
    }

    /// Bald scalp the plan leaves untreated `years` on: cells of the advanced map with less than
    /// half their hair where the sessions done by then target under half of what the design
    /// would there now, by region, cm². `planMap` is the plan's own scalp.
    public func untreatedBaldCM2(afterYears years: Double, planMap: ScalpMap) throws -> [ScalpRegion: Double] {
        let now = map(afterYears: years, planMap: planMap)
        let full = Session(day: 0, densityFactor: 1, regionFactors: scene.sessions.last?.regionFactors ?? [:],
                           needle: Needle(diameterMM: 0.25, configuration: .threePoint), ink: SRGBColor(red: 0, green: 0, blue: 0),
                           dilution: 0)
        let needed = try now.density(after: full, design: scene.design)
        var have: [DensityRaster] = []
        for (index, session) in scene.sessions.enumerated() where session.day <= day(afterYears: years) {
            let map = index < planSessions ? planMap : self.map(afterYears: self.years(atDay: session.day), planMap: planMap)
            have.append(try map.density(after: session, design: scene.design))
        }
        var areas: [ScalpRegion: Double] = [:]
        let cellCM2 = now.cellMM * now.cellMM / 100
        for row in 0..<now.rows {
            for column in 0..<now.columns {
                let index = row * now.columns + column
                guard let region = now.region[index], now.hairFraction[index] < 0.5 else { continue }
                let x = now.bounds.minXMM + (Double(column) + 0.5) * now.cellMM, y = now.bounds.minYMM + (Double(row) + 0.5) * now.cellMM
                let target = needed.density(xMM: x, yMM: y)
                guard target > 0.5 * scene.design.dotsPerCM2 * 0.5 else { continue }
                let reached = have.map { $0.density(xMM: x, yMM: y) }.max() ?? 0
                if reached < 0.5 * target { areas[region, default: 0] += cellCM2 }
            }
        }
        return areas
    }
}
