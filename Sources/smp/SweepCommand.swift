import ArgumentParser
import Foundation
import PNGIO
import SMPEngine

/// `smp sweep`: one scene rendered once per combination of values, side by side on a labelled
/// contact sheet, with each variant's measured density and darkening.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Render a scene once per combination of values, on one labelled contact sheet.",
        discussion: """
            Writes sweep.png, the after image of one window of the chart per combination (the first \
            --vary along the columns, the others along the rows), each labelled with its values, and \
            sweep.json, listing the panels with their values, measured dots per cm² and darkening \
            (1 − mean linear luminance after / before). At most \(SceneSweep.maximumPanels) panels. The \
            window is --crop, or a 20 × 20 mm square where the last session treated most fully (as in \
            timeline.png). With --view, each panel is that view of the head instead (perspective, \
            not to scale; the density is still counted in the window). Each value is checked like the same value in the scene file.
            """)

    @Argument(help: "The scene file.")
    var scene: String

    @Option(name: .customLong("vary"), help: ArgumentHelp(
        "A key and the values to try, like design.dotsPerCM2=60,90,120 (repeatable; values separated by commas).",
        valueName: "key.path=a,b,c"))
    var variations: [String] = []

    @Option(name: .customLong("out"), help: "Output folder (default: Outputs/<scene name>-sweep).")
    var outputFolder: String?

    // `.unconditional`: a window left of the midline starts with a minus ("-5,-80,10,10").
    @Option(parsing: .unconditional, help: ArgumentHelp("The window on the chart, in mm: left, top, width, height (width and height 1 to 100).", valueName: "x,y,w,h"))
    var crop: String?

    @Option(name: .customLong("view"), help: ArgumentHelp(
        "Panels of this head view instead of the map window: \(HeadViewName.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "name"))
    var headView: String?

    @Option(help: "The moment the panels show: day:N, session:K, session:K+Nd, healed, 1y, 5y ... (default: the scene's render.after).")
    var at: String?

    @Option(parsing: .unconditional, help: "Panels rendered at once (the output is byte-identical for any count).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @OptionGroup(title: "Overrides") var overrides: OverrideOptions

    @OptionGroup(title: "Limits") var limits: LimitOptions

    /// The parsed --vary options; `validate` has checked them.
    var parsedVariations: [SweepVariation] { variations.compactMap { try? SweepVariation(parsing: $0) } }

    /// The --crop window's numbers, or nil when it is not given or not four numbers.
    var cropNumbers: [Double]? {
        guard let crop else { return nil }
        let numbers = crop.split(separator: ",", omittingEmptySubsequences: false).compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        return numbers.count == 4 && numbers.allSatisfy(\.isFinite) ? numbers : nil
    }

    // Everything a sweep can refuse on its command line is refused here, before the scene is
    // read: a sweep of 48 panels fails at once, not after rendering 36.
    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1 to 256, got \(threads)") }
        do {
            try SceneSweep.check(try variations.map { argument throws(SweepError) in try SweepVariation(parsing: argument) })
        } catch {
            throw ValidationError(error.description)
        }
        if let crop {
            guard let numbers = cropNumbers, (1...100).contains(numbers[2]), (1...100).contains(numbers[3]) else {
                throw ValidationError("--crop \(crop): allowed: four numbers in mm, x,y,width,height, width and height 1 to 100, like --crop 80,40,20,20")
            }
        }
        if let headView, HeadViewName(rawValue: headView) == nil {
            throw ValidationError("--view \(headView): allowed: \(HeadViewName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let at, TreatmentTime(at) == nil {
            throw ValidationError("--at \(at): allowed forms are \(TreatmentTime.allowedForms)")
        }
    }

    func run() throws {
        // Read and checked (with --set) for its messages and exit codes; each panel's scene is
        // read from the same text.
        let (base, _) = try loadScene(scene, overrides: overrides.overrides)
        let text = try SceneText.decode(readSceneFile(scene), file: scene)
        let sweep = try SceneSweep(sceneText: text, file: scene, overrides: overrides.overrides, variations: parsedVariations)
        let window = cropNumbers.map {
            MapView(originXMM: $0[0], originYMM: $0[1], widthMM: $0[2], heightMM: $0[3], pixelsPerMM: base.render.pixelsPerMM)
        }
        let folder = URL(fileURLWithPath: outputFolder ?? "Outputs/\(base.name)-sweep")
        let output = try sweep.write(into: folder, window: window, headView: headView.flatMap(HeadViewName.init), moment: at.flatMap(TreatmentTime.init), threads: threads,
                                     limits: limits.limits)
        guard !quiet else { return }
        var lines = ["\(base.name): \(output.report.panels.count) panels"]
        for panel in output.report.panels {
            let values = panel.values.map { "\($0.keyPath)=\($0.value)" }.joined(separator: " ")
            lines.append(String(format: "  %@: %.1f dots/cm², darkening %.3f", values, panel.dotsPerCM2, panel.darkening))
        }
        try StandardOutput.write(lines: lines + output.files.map { "wrote \($0.path)" })
    }
}
