import Foundation
import PoissonDisk
import Testing
@testable import SMPEngine

@Suite("Scars and alopecia patches as regions of the plan: their own needle, dilution, dots and density")
struct ScarRegionTests {
    /// A donor-strip scar in full hair (as `Scenes/strip-scar-camouflage.yaml`), the second
    /// session working the scar with a single fine needle and paler ink, the skin around it
    /// with a three-point grouping.
    static let strip = """
        name: strip-regions
        seed: 4404
        hairLoss: { pattern: none }
        existingHair: { hairsPerCM2: 220, smpBlend: 0.4 }
        scars:
          - { kind: strip, heightMM: 12, widthMM: 4, spanDegrees: 160, treatment: camouflage }
        design: { dotsPerCM2: 90 }
        sessions:
          - { day: 0, densityFactor: 0.6, dilution: 0.45 }
          - day: 21
            densityFactor: 1.0
            dilution: 0.35
            needle: { diameterMM: 0.25, configuration: threePoint }
            regionOverrides:
              scars: { needle: { diameterMM: 0.2, configuration: single }, dilution: 0.5 }
        """

    /// Alopecia areata patches (the preset's three) in full hair, the last session paler in them.
    static let areata = """
        name: patch-regions
        seed: 6606
        hairLoss: { pattern: areata }
        existingHair: { hairsPerCM2: 230, smpBlend: 0.3 }
        scars:
          - { kind: linear, pointsMM: [[-45, -30], [-25, -10]], widthMM: 3, treatment: camouflage }
        design: { dotsPerCM2: 110 }
        sessions:
          - { day: 0, densityFactor: 0.5 }
          - day: 14
            densityFactor: 1
            dilution: 0.3
            regionOverrides:
              alopeciaPatches: { dilution: 0.55 }
              scars: { needle: { diameterMM: 0.18 } }
        """

    @Test("a scar's dots get the scar's needle and dilution, in dots.csv and the plan table; the dots around keep the session's")
    func scarDots() throws {
        let scene = try Scene.load(yaml: Self.strip, file: "strip.yaml")
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let scarNeedle = Needle(diameterMM: 0.2, configuration: .single).impressionDiameterMM
        let sessionNeedle = Needle(diameterMM: 0.25, configuration: .threePoint).impressionDiameterMM
        var inScar = 0, around = 0
        for dot in dots where dot.layer == 2 {
            let region = map.planRegion(atXMM: dot.xMM, yMM: dot.yMM)
            #expect(dot.zone == (region?.zone ?? 0))
            if region == .scars {
                inScar += 1
                #expect(dot.diameterMM == scarNeedle)
            } else {
                around += 1
                #expect(dot.diameterMM == sessionNeedle, "\(region?.rawValue ?? "none") dot of \(dot.diameterMM) mm")
            }
        }
        #expect(inScar > 100 && around > 100, "\(inScar) dots in the scar, \(around) around it")
        // The first session sets nothing apart: its scar dots keep its needle.
        #expect(dots.filter { $0.layer == 1 && $0.zone == PlanRegion.scars.zone }.allSatisfy { $0.diameterMM == scene.sessions[0].needle.impressionDiameterMM })

        // dots.csv: the scar's second-session dots carry the fine needle's 0.2 mm.
        let csv = DotTable.text(dots, format: .csv).split(separator: "\n").dropFirst()
        let scarLines = zip(csv, dots).filter { $0.1.layer == 2 && $0.1.zone == PlanRegion.scars.zone }.map(\.0)
        #expect(!scarLines.isEmpty && scarLines.allSatisfy { $0.hasSuffix(",0.2000") }, "\(scarLines.prefix(2))")

        // The ink: a scar dot of session 2 carries (1 − 0.5) / (1 − 0.35) of the same dot around it.
        var dot = PoissonDot(xMM: 0, yMM: 0, spacingMM: 1, layer: 2, diameterMM: 0.3, variationSeed: 3)
        let model = scene.pigment
        let scarInk = try #require(model.cloud(of: dot, session: scene.sessions[1].resolved(in: PlanRegion.scars), ageDays: 60)).inkMG
        let skinInk = try #require(model.cloud(of: dot, session: scene.sessions[1].resolved(in: PlanRegion.sidesAndBack), ageDays: 60)).inkMG
        #expect(abs(scarInk / skinInk - 0.5 / 0.65) < 1e-9)
        dot.zone = PlanRegion.scars.zone
        let drawn = model.components(of: [dot], sessions: scene.sessions, atDay: 81)
        #expect(drawn.map(\.amount) == model.components(of: dot, session: scene.sessions[1].resolved(in: PlanRegion.scars), ageDays: 60).map(\.amount))

        // The plan table: the scar's tools, its density and its impressions.
        let report = try DensityReport(scene: scene, map: map, dots: dots)
        let rows = SessionPlanRow.rows(scene: scene, dots: dots, report: report)
        #expect(rows[0].regions == nil)
        let tools = try #require(rows[1].regions?["scars"])
        #expect(tools.text == "0.20 mm 1RL, dilution 0.50")
        let scarFigures = try #require(report.regions.first { $0.region == "scars" })
        #expect(rows[1].dotsPerCM2["scars"] == scarFigures.sessions[1].achievedDotsPerCM2)
        #expect(rows[1].impressionsPerRegion["scars"] == inScar && scarFigures.sessions[1].newDots == inScar)
        // The scar is treated to the design's density like bald scalp (scar tissue grows no hair).
        #expect(abs(scarFigures.sessions[1].achievedDotsPerCM2 / 90 - 1) < 0.2, "\(scarFigures.sessions[1].achievedDotsPerCM2) /cm² in the scar")
    }

    @Test("impressions per region add up to each session's total; the plan's regions share the scalp and its dots out")
    func impressionsAddUp() throws {
        let scene = try Scene.load(yaml: Self.areata, file: "areata.yaml")
        let map = ScalpMap(scene: scene)
        let dots = try DotPlacement.dots(for: scene, on: map)
        let report = try DensityReport(scene: scene, map: map, dots: dots)
        let rows = SessionPlanRow.rows(scene: scene, dots: dots, report: report)
        for row in rows {
            #expect(row.impressionsPerRegion.values.reduce(0, +) == row.impressions, "session \(row.session): \(row.impressionsPerRegion)")
            #expect(row.impressionsPerRegion["alopeciaPatches"] ?? 0 > 500 && row.impressionsPerRegion["scars"] ?? 0 > 20,
                    "session \(row.session): \(row.impressionsPerRegion)")
            // The report's new dots per region are the same counts.
            for region in report.regions {
                #expect(region.sessions[row.session - 1].newDots == row.impressionsPerRegion[region.region] ?? 0, "\(region.region)")
            }
        }
        #expect(abs(report.regions.map(\.areaCM2).reduce(0, +) - report.scalpAreaCM2) < 1e-6)
        #expect(report.regions.map { $0.sessions.last!.cumulativeDots }.reduce(0, +) == dots.count)
        #expect(Set(report.regions.map(\.region)).isSuperset(of: ["scars", "alopeciaPatches", "crown"]))
        // Each patch and the scar also on its own, within their regions.
        let features = try #require(report.features)
        #expect(features.map(\.region) == ["scar 1 (linear, camouflage)", "patch 1 (radius 14 mm)", "patch 2 (radius 20 mm)", "patch 3 (radius 11 mm)"])
        let patchArea = features.dropFirst().map(\.areaCM2).reduce(0, +)
        #expect(abs(patchArea - (report.regions.first { $0.region == "alopeciaPatches" }?.areaCM2 ?? 0)) < 1e-6)
        // A patch is about its circle (its edge wanders by a few mm): patch 2, r = 20 mm.
        #expect(abs(features[2].areaCM2 / (.pi * 4) - 1) < 0.35, "patch 2: \(features[2].areaCM2) cm²")
        // The patch dots' ink is the patches' dilution; the scar's needle its own.
        let last = scene.sessions[1]
        #expect(dots.filter { $0.layer == 2 && $0.zone == PlanRegion.scars.zone }.allSatisfy {
            $0.diameterMM == Needle(diameterMM: 0.18, configuration: last.needle.configuration).impressionDiameterMM
        })
        #expect(last.resolvedByZone[Int(PlanRegion.alopeciaPatches.zone)].dilution == 0.55)
        #expect(last.resolvedByZone[Int(PlanRegion.crown.zone)].dilution == 0.3)
    }

    @Test("a misspelt region, or scars and patches the scene does not have, fail naming the key path and the allowed regions")
    func validation() throws {
        func problems(_ scene: String) -> String {
            do {
                _ = try Scene.load(yaml: scene, file: "k.yaml")
                return ""
            } catch {
                return "\(error)"
            }
        }
        let misspelt = problems(Self.strip.replacingOccurrences(of: "      scars: {", with: "      scar: {"))
        #expect(misspelt.contains("sessions[1].regionOverrides.scar: unknown key; did you mean `scars`?"), "\(misspelt)")
        #expect(misspelt.contains("Known here: frontalHairline, temples, midScalp, crown, sidesAndBack, scars, alopeciaPatches"), "\(misspelt)")
        let noScars = problems("name: k\nhairLoss: { pattern: norwood3 }\nsessions:\n  - day: 0\n    regionOverrides: { scars: { dilution: 0.5 } }\n")
        #expect(noScars.contains("sessions[0].regionOverrides.scars: the scene has no scars"), "\(noScars)")
        let noPatches = problems("name: k\nhairLoss: { pattern: norwood3 }\nsessions:\n  - day: 0\n    regionOverrides: { alopeciaPatches: { dilution: 0.5 } }\n")
        #expect(noPatches.contains("sessions[0].regionOverrides.alopeciaPatches: the scene has no alopecia patches"), "\(noPatches)")
        let range = problems(Self.strip.replacingOccurrences(of: "dilution: 0.5 }", with: "dilution: 1.5 }"))
        #expect(range.contains("sessions[1].regionOverrides.scars.dilution: 1.5 is out of range; allowed: 0 to 0.95"), "\(range)")
        #expect(problems(Self.areata).isEmpty)
    }

    @Test("a plan without scars or patches labels its dots by the scalp's regions, as before")
    func anatomicalZonesKept() throws {
        let scene = try Scene.load(yaml: "name: plain\nseed: 3\nhairLoss: { pattern: norwood3 }\n", file: "plain.yaml")
        let map = ScalpMap(scene: scene)
        #expect(map.scarCount == 0 && map.patchCount == 0 && map.featureNumber.allSatisfy { $0 == 0 })
        for region in ScalpRegion.allCases { #expect(PlanRegion(region).zone == region.zone && PlanRegion(region).scalpRegion == region) }
        let dots = try DotPlacement.dots(for: scene, on: map)
        #expect(dots.allSatisfy { $0.zone == (map.region(atXMM: $0.xMM, yMM: $0.yMM)?.zone ?? 0) })
        let report = try DensityReport(scene: scene, map: map, dots: dots)
        #expect(report.features == nil && report.regions.allSatisfy { ScalpRegion(rawValue: $0.region) != nil })
    }
}
