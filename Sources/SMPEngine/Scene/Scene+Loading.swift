import Foundation

extension Scene {
    /// Reads a scene file. Throws `SceneError.unreadable` when the file cannot be read and
    /// `SceneError.invalid` with every problem found when its content is wrong.
    public static func load(contentsOf url: URL) throws -> Scene {
        let text: String
        do {
            let data = try Data(contentsOf: url)
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw SceneError.unreadable(file: url.path, reason: "not UTF-8 text")
            }
            text = decoded
        } catch let error as SceneError {
            throw error
        } catch {
            throw SceneError.unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        return try load(yaml: text, file: url.path)
    }

    /// Decodes and validates a scene from YAML text; `file` names it in error messages.
    public static func load(yaml text: String, file: String) throws -> Scene {
        let reader = SceneReader()
        guard let root = reader.root(of: text) else { throw SceneError.invalid(file: file, issues: reader.issues) }
        let scene = Scene(root)
        if reader.issues.isEmpty { scene.checkConsistency(root) }
        guard reader.issues.isEmpty else { throw SceneError.invalid(file: file, issues: reader.issues) }
        return scene
    }

    init(_ root: SceneObject) {
        name = root.string("name", default: nil, pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                           allowed: "1–64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names the output folder)")
        seed = root.seed("seed", default: 1)
        notes = root.string("notes", default: "")

        let canvasObject = root.object("canvas")
        canvas = Canvas(widthMM: canvasObject.number("widthMM", default: 120, in: 1...2000, unit: "mm"),
                        heightMM: canvasObject.number("heightMM", default: 90, in: 1...2000, unit: "mm"))
        canvasObject.finish()

        let skinObject = root.object("skin")
        // Monk Skin Tone 5 (Google, 2022; DOMAIN.md): a mid-light tone.
        skin = Skin(color: skinObject.color("color", default: SRGBColor(hex: "#d7bd96")!))
        skinObject.finish()

        let treatmentObject = root.object("treatment")
        let areaObject = treatmentObject.object("circle")
        treatment = Treatment(
            centerXMM: areaObject.number("centerXMM", default: canvas.widthMM / 2, in: -2000...4000, unit: "mm"),
            centerYMM: areaObject.number("centerYMM", default: canvas.heightMM / 2, in: -2000...4000, unit: "mm"),
            radiusMM: areaObject.number("radiusMM", default: 30, in: 0...2000, unit: "mm"),
            // Healed SMP reads as close-shaven hair at roughly FU density, ~60–100 FU/cm²
            // (DOMAIN.md, "The scalp"); 60 is a common finished density.
            dotsPerCM2: treatmentObject.number("dotsPerCM2", default: 60, in: 0...400, unit: "dots/cm²"),
            // Healed dots are 100–150 µm across (DOMAIN.md, "SMP practice").
            dotDiameterMM: treatmentObject.number("dotDiameterMM", default: 0.12, in: 0.02...2, unit: "mm"))
        areaObject.finish()
        treatmentObject.finish()

        let pigmentObject = root.object("pigment")
        pigment = Pigment(color: pigmentObject.color("color", default: SRGBColor(hex: "#262626")!))
        pigmentObject.finish()

        let renderObject = root.object("render")
        render = RenderSettings(pixelsPerMM: renderObject.number("pixelsPerMM", default: 10, in: 1...200, unit: "px/mm"))
        renderObject.finish()
        root.finish()
    }

    /// Rules across keys, checked once each key is valid on its own.
    func checkConsistency(_ root: SceneObject) {
        let pixels = canvas.widthMM * render.pixelsPerMM * canvas.heightMM * render.pixelsPerMM
        if pixels > 1_000_000_000 {
            root.reader.report(root.mark, "render.pixelsPerMM", String(
                format: "%.0f × %.0f mm at %g px/mm is %.0f megapixels; allowed: at most 1000 (lower pixelsPerMM or the canvas)",
                canvas.widthMM, canvas.heightMM, render.pixelsPerMM, pixels / 1e6))
        }
    }
}
