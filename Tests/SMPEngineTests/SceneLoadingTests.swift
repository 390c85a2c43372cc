import Foundation
import Testing
@testable import SMPEngine

@Suite("Scene files")
struct SceneLoadingTests {
    static let full = """
        name: full-plan
        seed: 42
        notes: every section given
        head: { sex: woman, lengthMM: 190, breadthMM: 146, earToTopMM: 126 }
        skin: { monk: 7, texture: 0.4, shine: 0.1 }
        hairLoss: { pattern: ludwig2 }
        hairline: { style: soft, heightAboveBrowMM: 58, cornerWidthMM: 40, cornerRecessionMM: 8 }
        existingHair: { hairsPerCM2: 180, color: "#3b2a20", stubbleLengthMM: 3, smpBlend: 0.5 }
        scars:
          - { kind: strip, heightMM: 12, widthMM: 4, treatment: camouflage }
          - { kind: linear, pointsMM: [[-20, 10], [0, 30]], widthMM: 2, treatment: avoid }
        design: { dotsPerCM2: 70, regularity: 0.2 }
        sessions:
          - { day: 0, densityFactor: 0.5, dilution: 0.6, needle: { diameterMM: 0.18, configuration: single } }
          - { day: 21, densityFactor: 1, regionFactors: { crown: 1.2 }, ink: "#202428" }
        render: { pixelsPerMM: 20, crop: { xMM: -20, yMM: -60, widthMM: 40, heightMM: 30 } }
        """

    @Test("a full scene decodes every section with its units")
    func decodesFull() throws {
        let scene = try Scene.load(yaml: Self.full, file: "full.yaml")
        #expect(scene.name == "full-plan" && scene.seed == 42)
        #expect(scene.head == HeadShape(frontToBackMM: 95, sideToSideMM: 73, earToTopMM: 126,
                                        browHeightMM: HeadShape.adultWoman.browHeightMM * 126 / HeadShape.adultWoman.earToTopMM))
        #expect(scene.skin.color == SkinTone.monk[6] && scene.skin.source == "Monk 7")
        #expect(scene.hairLossPreset == .ludwig2 && scene.hairLoss == HairLossPattern.preset(.ludwig2))
        #expect(scene.hairline.style == .soft && scene.hairline.softnessMM == 12 && scene.hairline.heightAboveBrowMM == 58)
        #expect(scene.existingHair.smpBlend == 0.5)
        #expect(scene.scars.count == 2 && scene.scars[1].treatment == .avoid)
        #expect(scene.design == .init(dotsPerCM2: 70, regularity: 0.2))
        #expect(scene.sessions.count == 2)
        #expect(scene.sessions[1].regionFactors == [.crown: 1.2])
        #expect(scene.sessions[0].needle == Needle(diameterMM: 0.18, configuration: .single))
        #expect(scene.render.crop == .init(xMM: -20, yMM: -60, widthMM: 40, heightMM: 30))
    }

    @Test("a name alone is a valid scene: every other key has a default")
    func defaults() throws {
        let scene = try Scene.load(yaml: "name: minimal", file: "m.yaml")
        #expect(scene.head == .adultMan)
        #expect(scene.hairLossPreset == .norwood5)
        #expect(scene.sessions == Scene.defaultSessions)
        #expect(scene.skin.color == SkinTone.monk[4])
    }

    @Test("every problem is reported at once, with line, column, key path and what is allowed")
    func reportsAllProblems() throws {
        let text = """
            name: demo
            head: { circumferenceMM: -5 }
            skin: { fitzpatrick: VII, texure: 0.3 }
            hairLoss: { pattern: norwod5 }
            hairline: { heightAboveBrowMM: .nan, style: lined }
            design: { dotsPerCM2: 1e300 }
            sessions:
              - { day: 0, densityFactor: 0.6 }
              - { day: 3, densityFactor: 0.4, needle: { diameterMM: lots } }
            render: { pixelsPerMM: [10] }
            colour: red
            """
        do {
            _ = try Scene.load(yaml: text, file: "bad.yaml")
            Issue.record("an invalid scene was accepted")
        } catch let error as SceneError {
            let byPath = Dictionary(error.issues.map { ($0.keyPath, $0) }, uniquingKeysWith: { a, _ in a })
            func message(_ path: String) -> String { byPath[path]?.message ?? "<no issue at \(path); issues: \(error.issues)>" }
            #expect(message("head.circumferenceMM").contains("allowed: 400 to 700 mm"))
            #expect(byPath["head.circumferenceMM"]?.line == 2)
            #expect(message("skin.fitzpatrick").contains("not one of I, II, III, IV, V, VI"))
            #expect(message("skin.texure").contains("did you mean `texture`"))
            #expect(message("hairLoss.pattern").contains("did you mean `norwood5`"))
            #expect(message("hairline.heightAboveBrowMM").contains("not a finite number"))
            #expect(message("hairline.style").contains("soft, natural, sharp"))
            #expect(message("design.dotsPerCM2").contains("out of range"))
            #expect(message("sessions[1].day").contains("at least 7 days apart"))
            #expect(message("sessions[1].densityFactor").contains("cannot fall"))
            #expect(message("sessions[1].needle.diameterMM").contains("not a number"))
            #expect(message("render.pixelsPerMM").contains("found a list"))
            #expect(message("colour").contains("unknown key"))
            #expect(error.issues.count == 12, "\(error.issues)")
            #expect(error.description.contains("bad.yaml:2:"))
        }
    }

    @Test("empty, non-YAML and non-mapping files are rejected with a reason",
          arguments: ["", "name: [unclosed", "- just\n- a list", "just a sentence", "\u{0}\u{1}binary"])
    func rejectsNonScenes(text: String) {
        do {
            _ = try Scene.load(yaml: text, file: "x.yaml")
            Issue.record("accepted \(text.debugDescription)")
        } catch let error as SceneError {
            #expect(!error.issues.isEmpty)
            #expect(error.description.hasPrefix("x.yaml"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("negative, huge and non-numeric values are refused, and a missing name is required",
          arguments: ["name: a\ndesign: { dotsPerCM2: -1 }", "name: a\nseed: -3", "name: a\nseed: 99999999999999999999999",
                      "name: a\ndesign: { regularity: 1.0e9999 }", "name: a\nsessions: []", "seed: 1", "name: ../../etc"])
    func refusesBadValues(text: String) {
        #expect(throws: SceneError.self) { try Scene.load(yaml: text, file: "x.yaml") }
    }

    @Test("existingHair.lengthMM: the stubble's length unless given, never shorter than the stubble")
    func hairLength() throws {
        let shaved = try Scene.load(yaml: "name: a\nexistingHair: { stubbleLengthMM: 3 }", file: "a.yaml")
        #expect(shaved.existingHair.lengthMM == 3)
        let long = try Scene.load(yaml: "name: a\nexistingHair: { stubbleLengthMM: 3, lengthMM: 250 }", file: "a.yaml")
        #expect(long.existingHair.lengthMM == 250 && long.existingHair.stubbleLengthMM == 3)
        for (text, expected) in [("lengthMM: 2, stubbleLengthMM: 3", "2 mm is shorter than the stubble"),
                                 ("lengthMM: 1200", "1200 mm is out of range"), ("lengthMM: long", "`long` is not a number")] {
            do {
                _ = try Scene.load(yaml: "name: a\nexistingHair: { \(text) }", file: "x.yaml")
                Issue.record("\(text) was accepted")
            } catch let error as SceneError {
                #expect(error.description.contains("existingHair.lengthMM"), "\(error.description)")
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
    }

    @Test("an unreadable file is its own error")
    func unreadable() {
        #expect(throws: SceneError.self) { try Scene.load(contentsOf: URL(fileURLWithPath: "/nonexistent/scene.yaml")) }
    }

    @Test("every shipped scene is valid")
    func shippedScenes() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scenes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 10, "\(files)")
        for file in files {
            do {
                _ = try Scene.load(contentsOf: folder.appendingPathComponent(file))
            } catch {
                Issue.record("\(file): \(error)")
            }
        }
    }

    @Test("colours are #rrggbb")
    func colors() {
        #expect(SRGBColor(hex: "#d7bd96") == SRGBColor(red: 0xD7, green: 0xBD, blue: 0x96))
        #expect(SRGBColor(hex: "d7bd96")?.description == "#d7bd96")
        #expect(SRGBColor(hex: "#d7bd9") == nil)
        #expect(SRGBColor(hex: "#gggggg") == nil)
    }

    @Test("a duplicated key gives its line and column and the one line it is on, not the whole file")
    func duplicatedKey() throws {
        let filler = String(repeating: "x", count: 200_000)
        let text = "name: a\nseed: 1\nnotes: \"\(filler)\"\nrender:\n  pixelsPerMM: 5\n  pixelsPerMM: 6\nname: b\n"
        for (yaml, line, column, key) in [(text, 5, 3, "pixelsPerMM"), (text.replacingOccurrences(of: "  pixelsPerMM: 6\n", with: ""), 1, 1, "name"), ("name: a\nrender:\n  pixelsPerMM: 5\n  pixelsPerMM: 6\n", 3, 3, "pixelsPerMM")] {
            do {
                _ = try Scene.load(yaml: yaml, file: "dup.yaml")
                Issue.record("a duplicated key was accepted")
            } catch let error as SceneError {
                #expect(error.issues.count == 1)
                #expect(error.issues.first?.line == line && error.issues.first?.column == column)
                #expect(error.description.contains("`\(key)` appears more than once"), "\(error)")
                #expect(error.description.count < 600, "the message holds \(error.description.count) characters")
            }
        }
    }

    @Test("a syntax error names its line and column and shows that line, shortened")
    func syntaxError() throws {
        let long = String(repeating: "y", count: 10_000)
        do {
            _ = try Scene.load(yaml: "name: a\nnotes: \(long)\nseed: [1\n", file: "bad.yaml")
            Issue.record("invalid YAML was accepted")
        } catch let error as SceneError {
            #expect(error.issues.first?.line ?? 0 > 0)
            #expect(error.description.contains("not valid YAML"))
            #expect(error.description.count < 600, "\(error)")
        }
    }

    @Test("a file with thousands of problems lists the first 50 and counts the rest")
    func manyProblems() throws {
        let count = 5_000
        let yaml = "name: many\nrender:\n  at: [" + Array(repeating: "bad", count: count).joined(separator: ", ") + "]\n"
        do {
            _ = try Scene.load(yaml: yaml, file: "many.yaml")
            Issue.record("a bad file was accepted")
        } catch let error as SceneError {
            let lines = error.description.split(separator: "\n")
            #expect(lines.first == "many.yaml: \(count) problems in the scene file:")
            #expect(lines.count == 1 + SceneError.listedIssues + 1)
            #expect(lines.last == "  and \(count - SceneError.listedIssues) more")
            #expect(error.issues.count == SceneReader.keptIssues)
        }
    }
}
