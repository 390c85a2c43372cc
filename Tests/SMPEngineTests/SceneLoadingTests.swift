import Foundation
import Testing
@testable import SMPEngine

@Suite("Scene files")
struct SceneLoadingTests {
    static let valid = """
        name: close-up
        seed: 42
        canvas: { widthMM: 40, heightMM: 30 }
        skin: { color: "#a07e56" }
        treatment:
          circle: { centerXMM: 20, centerYMM: 15, radiusMM: 10 }
          dotsPerCM2: 80
          dotDiameterMM: 0.15
        pigment: { color: "#303030" }
        render: { pixelsPerMM: 20 }
        """

    @Test("a valid scene decodes every key with its units")
    func decodesValid() throws {
        let scene = try Scene.load(yaml: Self.valid, file: "close-up.yaml")
        #expect(scene.name == "close-up")
        #expect(scene.seed == 42)
        #expect(scene.canvas == .init(widthMM: 40, heightMM: 30))
        #expect(scene.skin.color == SRGBColor(hex: "#a07e56"))
        #expect(scene.treatment == .init(centerXMM: 20, centerYMM: 15, radiusMM: 10, dotsPerCM2: 80, dotDiameterMM: 0.15))
        #expect(scene.render.pixelsPerMM == 20)
    }

    @Test("the shipped demo scene is valid")
    func demoIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scenes/demo.yaml")
        let scene = try Scene.load(contentsOf: url)
        #expect(scene.name == "demo")
    }

    @Test("every problem is reported at once, with line, column and key path")
    func reportsAllProblems() {
        let text = """
            name: demo
            canvas:
              widthMM: -5
              heigthMM: 30
            treatment:
              dotsPerCM2: .nan
              dotDiameterMM: lots
            render: { pixelsPerMM: 1e300 }
            """
        do {
            _ = try Scene.load(yaml: text, file: "bad.yaml")
            Issue.record("an invalid scene was accepted")
        } catch let error as SceneError {
            let issues = error.issues
            #expect(issues.count == 5, "\(issues)")
            let byPath = Dictionary(issues.map { ($0.keyPath, $0) }, uniquingKeysWith: { a, _ in a })
            #expect(byPath["canvas.widthMM"]?.line == 3)
            #expect(byPath["canvas.widthMM"]?.message.contains("allowed: 1 to 2000 mm") == true)
            #expect(byPath["canvas.heigthMM"]?.message.contains("did you mean `heightMM`") == true)
            #expect(byPath["treatment.dotsPerCM2"]?.message.contains("not a finite number") == true)
            #expect(byPath["treatment.dotDiameterMM"]?.message.contains("not a number") == true)
            #expect(byPath["render.pixelsPerMM"]?.message.contains("out of range") == true)
            #expect(error.description.contains("bad.yaml:3:"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("empty, non-YAML and non-mapping files are rejected with a reason",
          arguments: ["", "name: [unclosed", "- just\n- a list", "just a sentence"])
    func rejectsNonScenes(text: String) {
        #expect(throws: SceneError.self) { try Scene.load(yaml: text, file: "x.yaml") }
    }

    @Test("a missing name is required; a bad name names the rule")
    func nameRules() {
        for text in ["seed: 1", "name: ../../etc"] {
            do {
                _ = try Scene.load(yaml: text, file: "x.yaml")
                Issue.record("accepted \(text)")
            } catch let error as SceneError {
                #expect(error.issues.first?.keyPath == "name")
            } catch {
                Issue.record("unexpected error \(error)")
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
}
