import Testing
@testable import SMPEngine

@Suite("Treatment times (--at, render.at)")
struct TreatmentTimeTests {
    let plan = Scene.defaultSessions   // days 0, 14, 28

    static let forms: [(String, Double)] = [
        ("day:10", 10), ("session:1", 0), ("session:2", 14), ("session:2+7d", 21), ("session:3+2w", 42),
        ("healed", 70), ("1y", 393.25), ("5y", 1854.25), ("6m", 210.64), ("10d", 38),
    ]

    @Test("each form parses to the right day", arguments: forms)
    func parses(text: String, day: Double) throws {
        let time = try #require(TreatmentTime(text))
        #expect(abs((time.day(in: plan) ?? -1) - day) < 1e-9)
    }

    @Test("malformed or impossible times are refused", arguments: ["", "day:", "day:-3", "session:0", "session:x", "5", "5q", "tomorrow", "session:1+-2d"])
    func refuses(text: String) {
        #expect(TreatmentTime(text) == nil)
    }

    @Test("a session the plan does not have has no day")
    func missingSession() throws {
        #expect(try #require(TreatmentTime("session:4")).day(in: plan) == nil)
    }

    @Test("labels name files", arguments: [("5y", "5y"), ("session:2", "session-2"), ("day:10", "day-10"), ("healed", "healed")])
    func labels(text: String, label: String) throws {
        #expect(try #require(TreatmentTime(text)).description == label)
    }

    @Test("render.at and render.after are checked against the plan")
    func sceneKeys() throws {
        let scene = try Scene.load(yaml: "name: t\nrender: { after: \"session:2\", at: [\"session:1\", \"5y\"] }", file: "t.yaml")
        #expect(scene.render.after == .afterSession(2, plusDays: 0))
        #expect(scene.render.at == [.afterSession(1, plusDays: 0), .afterLastSession(days: 5 * 365.25)])
        do {
            _ = try Scene.load(yaml: "name: t\nrender: { at: [\"session:7\", \"soon\"] }", file: "t.yaml")
            Issue.record("accepted a seventh session of three")
        } catch let error as SceneError {
            #expect(error.issues.map(\.keyPath) == ["render.at[0]", "render.at[1]"])
            #expect(error.issues[0].message.contains("sessions 1 to 3"))
        }
    }

    @Test("render.outputs names outputs the scene has, or the groups sessions and at")
    func outputs() throws {
        let scene = try Scene.load(yaml: "name: t\nrender: { at: [\"5y\"], outputs: [after, session-3, at-5y, at] }", file: "t.yaml")
        #expect(scene.render.outputs == ["after", "session-3", "at-5y", "at"])
        let names = SceneRendering(scene: scene, sceneText: "").images(after: .healed).map(\.name)
        #expect(names == ["after", "session-3", "at-5y"])
        do {
            _ = try Scene.load(yaml: "name: t\nrender: { outputs: [after, session-4, thumbnail] }", file: "t.yaml")
            Issue.record("accepted unknown outputs")
        } catch let error as SceneError {
            #expect(error.issues.map(\.keyPath) == ["render.outputs[1]", "render.outputs[2]"])
        }
    }
}
