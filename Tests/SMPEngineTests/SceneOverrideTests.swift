import Foundation
import Testing
@testable import SMPEngine

@Suite("Scene overrides (--set)")
struct SceneOverrideTests {
    static let scene = """
        name: base
        seed: 5
        hairLoss: { pattern: norwood5 }
        design:
          dotsPerCM2: 100
        sessions:
          - { day: 0, densityFactor: 0.5, dilution: 0.5 }
          - { day: 14, densityFactor: 1, dilution: 0.3, needle: { diameterMM: 0.2 } }
        """

    func load(_ overrides: String...) throws -> Scene {
        try Scene.load(yaml: Self.scene, file: "base.yaml", overrides: overrides.map { try SceneOverride(parsing: $0) })
    }

    @Test("a scalar at the top level replaces the file's value")
    func scalar() throws {
        #expect(try load("seed=99").seed == 99)
        #expect(try load("name=renamed").name == "renamed")
    }

    @Test("a nested key replaces the file's value, and missing mappings are created")
    func nested() throws {
        #expect(try load("design.dotsPerCM2=60").design.dotsPerCM2 == 60)
        // `pigment` and `hairline` are not in the file at all.
        let scene = try load("pigment.sunExposure=2", "hairline.heightAboveBrowMM=80")
        #expect(scene.pigment.sunExposure == 2)
        #expect(scene.hairline.heightAboveBrowMM == 80)
        // A later --set of the same key wins.
        #expect(try load("design.dotsPerCM2=60", "design.dotsPerCM2=70").design.dotsPerCM2 == 70)
    }

    @Test("a list element is addressed by its 0-based index, keeping its other keys; the next index adds one")
    func listElement() throws {
        let scene = try load("sessions[1].needle.diameterMM=0.3", "sessions[0].dilution=0.6")
        #expect(scene.sessions[1].needle.diameterMM == 0.3)
        #expect(scene.sessions[0].dilution == 0.6)
        #expect(scene.sessions[1].dilution == 0.3 && scene.sessions[1].day == 14)
        let added = try load("sessions[2]={ day: 30, densityFactor: 1.2 }")
        #expect(added.sessions.count == 3 && added.sessions[2].day == 30)
    }

    @Test("a session of the default plan (a scene without `sessions`) is overridden, the others kept")
    func defaultPlan() throws {
        let scene = try Scene.load(yaml: "name: plain", file: "plain.yaml", overrides: [try SceneOverride(parsing: "sessions[2].needle.diameterMM=0.3")])
        var expected = Scene.defaultSessions
        expected[2].needle.diameterMM = 0.3
        #expect(scene.sessions == expected)
        // Without overrides of sessions, the default plan is untouched.
        #expect(try Scene.load(yaml: "name: plain", file: "plain.yaml", overrides: [try SceneOverride(parsing: "seed=3")]).sessions == Scene.defaultSessions)
    }

    @Test("an index past the list's end is refused, naming the list and the allowed indices")
    func indexOutOfRange() throws {
        let error = #expect(throws: SceneError.self) { try load("sessions[5].dilution=0.2") }
        #expect(error?.issues.first?.keyPath == "sessions[5]")
        #expect(error?.issues.first?.message.contains("allowed indices: 0 to 2") == true)
    }

    /// The same key and value written into the scene text instead: the reader's issue must be
    /// the same but for the position (the command line has no line to point at).
    @Test("a bad key or value gives the same key path and message as in the file",
          arguments: [
            ("design.dotsPerCM2=500", "design:\n  dotsPerCM2: 100", "design:\n  dotsPerCM2: 500", true),
            ("design.dotsPerCM2=abc", "design:\n  dotsPerCM2: 100", "design:\n  dotsPerCM2: abc", true),
            ("design.dotsPerCM3=90", "design:\n  dotsPerCM2: 100", "design:\n  dotsPerCM2: 100\n  dotsPerCM3: 90", true),
            ("sessions[1].needle.diameterMM=5", "needle: { diameterMM: 0.2 }", "needle: { diameterMM: 5 }", true),
            // Reported at the session, which is in the file: that position stays.
            ("sessions[1].day=3", "day: 14,", "day: 3,", false),
          ])
    func sameMessageAsFile(override: String, original: String, replacement: String, positionless: Bool) throws {
        let edited = Self.scene.replacingOccurrences(of: original, with: replacement)
        #expect(edited != Self.scene)
        let fromFile = #expect(throws: SceneError.self) { try Scene.load(yaml: edited, file: "base.yaml") }
        let fromSet = #expect(throws: SceneError.self) { try load(override) }
        let fileIssues = fromFile?.issues.map { "\($0.keyPath): \($0.message)" }
        let setIssues = fromSet?.issues.map { "\($0.keyPath): \($0.message)" }
        #expect(fileIssues != nil && !(fileIssues ?? []).isEmpty)
        #expect(setIssues == fileIssues)
        // The file's issue has its position; the override's has none, rather than a wrong one.
        #expect(fromFile?.issues.first?.line ?? 0 > 0)
        if positionless { #expect(fromSet?.issues.allSatisfy { $0.line == 0 } == true) }
    }

    @Test("malformed --set is refused with what is allowed",
          arguments: ["nothing", "=3", " =3", "design..dotsPerCM2=1", "sessions[x].day=1", "sessions[-1].day=1", "[0]=1",
                      "design.dotsPerCM2=[1,"])
    func malformed(argument: String) {
        let error = #expect(throws: SceneOverrideError.self) { try SceneOverride(parsing: argument) }
        #expect(error?.description.hasPrefix("--set \(argument):") == true)
    }

    @Test("the value is everything after the first `=`, and parses as YAML")
    func valueAfterFirstEquals() throws {
        let override = try SceneOverride(parsing: "notes=a=b")
        #expect(override.keyPath == "notes" && override.valueText == "a=b")
        #expect(try load("notes=a=b").notes == "a=b")
        #expect(override.components == [.key("notes")])
        #expect(try SceneOverride(parsing: "sessions[1][0].x=1").components == [.key("sessions"), .index(1), .index(0), .key("x")])
    }

    @Test("the hashed text names the overrides, so an overridden scene hashes differently")
    func annotated() throws {
        let overrides = [try SceneOverride(parsing: "design.dotsPerCM2=60")]
        let text = SceneOverride.annotated(Self.scene, with: overrides)
        #expect(text.hasPrefix(Self.scene) && text.hasSuffix("# --set design.dotsPerCM2=60\n"))
        #expect(SceneOverride.annotated(Self.scene, with: []) == Self.scene)
        let scene = try load()
        #expect(SceneRendering(scene: scene, sceneText: text).sceneHash != SceneRendering(scene: scene, sceneText: Self.scene).sceneHash)
        // The annotated text is still a valid scene with the file's values (the notes are comments).
        #expect(try Scene.load(yaml: text, file: "base.yaml").design.dotsPerCM2 == 100)
    }
}
