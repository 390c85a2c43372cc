import Foundation
import ImageText
import PoissonDisk

/// One `--vary key.path=a,b,c`: a scene key and the values a sweep tries for it, each set like
/// a `--set` (`SceneOverride`), so each is checked as if it were in the file.
public struct SweepVariation: Sendable, Equatable {
    public let keyPath: String
    /// The values as given, YAML text each.
    public let values: [String]

    /// Parses `key.path=a,b,c`: the values are split at commas (a value cannot contain one).
    public init(parsing argument: String) throws(SweepError) {
        guard let equals = argument.firstIndex(of: "=") else {
            throw .badVariation(argument, reason: "no `=`; allowed: key.path=a,b,c, like design.dotsPerCM2=60,90,120")
        }
        keyPath = String(argument[..<equals])
        values = argument[argument.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if let empty = values.firstIndex(of: "") {
            throw .badVariation(argument, reason: "value \(empty + 1) is empty; allowed: values separated by commas, like 60,90,120")
        }
        if Set(values).count != values.count { throw .badVariation(argument, reason: "a value is given twice; give each once") }
        for value in values {
            do {
                _ = try SceneOverride(keyPath: keyPath, value: value)
            } catch {
                throw .badVariation(argument, reason: error.description)
            }
        }
    }

    func override(_ index: Int) -> SceneOverride {
        // `init` parsed every value with this key path.
        try! SceneOverride(keyPath: keyPath, value: values[index])
    }
}

/// Why a sweep cannot start: the command line asks for something it cannot do (usage, exit 64).
public enum SweepError: Error, Sendable, Equatable, CustomStringConvertible {
    case badVariation(String, reason: String)
    case noVariation
    case repeatedKeyPath(String)
    case tooManyPanels(count: Int, maximum: Int)

    public var description: String {
        switch self {
        case let .badVariation(argument, reason): "--vary \(argument): \(reason)"
        case .noVariation: "name at least one --vary key.path=a,b,c"
        case let .repeatedKeyPath(keyPath): "--vary \(keyPath) is given twice; give each key path once, with all its values"
        case let .tooManyPanels(count, maximum):
            "the --vary values make \(count) combinations; a sweep renders at most \(maximum) panels: vary fewer keys or fewer values"
        }
    }
}

/// A sweep: the same scene rendered once per combination of the variations' values, each the
/// after image of one window of the chart, measured (dot density, darkening) and laid out on a
/// labelled contact sheet (`ContactSheet`), so a designer compares variants side by side.
public struct SceneSweep: Sendable {
    /// Six by six: as many panels as stay readable on one screen at 10 px/mm.
    public static let maximumPanels = 36

    /// The scene file's text and name (for messages), and the `--set` overrides under every panel.
    public var sceneText: String
    public var file: String
    public var overrides: [SceneOverride]
    public var variations: [SweepVariation]

    /// Checks the variations' count and key paths, before any scene is read.
    public init(sceneText: String, file: String, overrides: [SceneOverride] = [], variations: [SweepVariation]) throws(SweepError) {
        try Self.check(variations)
        self.sceneText = sceneText
        self.file = file
        self.overrides = overrides
        self.variations = variations
    }

    /// The checks of `init`, for a command line to run before it reads anything.
    public static func check(_ variations: [SweepVariation]) throws(SweepError) {
        guard !variations.isEmpty else { throw .noVariation }
        var seen = Set<String>()
        for variation in variations where !seen.insert(variation.keyPath).inserted { throw .repeatedKeyPath(variation.keyPath) }
        // Counted with overflow checked: 40 variations of 10 values are refused, not wrapped.
        var count = 1
        for variation in variations {
            let (product, overflow) = count.multipliedReportingOverflow(by: variation.values.count)
            count = overflow ? .max : product
        }
        guard count <= maximumPanels else { throw .tooManyPanels(count: count, maximum: maximumPanels) }
    }

    /// The combinations, as an index into each variation's values: the first variation varies
    /// fastest (the sheet's columns), then the second (its rows), then the others.
    public var combinations: [[Int]] {
        var result: [[Int]] = [[]]
        for variation in variations {
            result = variation.values.indices.flatMap { value in result.map { $0 + [value] } }
        }
        // Built with the last variation outermost: reorder so the first varies fastest.
        return result.sorted { lhs, rhs in
            for k in variations.indices.reversed() where lhs[k] != rhs[k] { return lhs[k] < rhs[k] }
            return false
        }
    }

    /// The sheet's columns: the first variation's values.
    public var columns: Int { variations[0].values.count }

    /// The scene with `--set` only, and each combination's scene, all read (and checked) before
    /// any work: a bad value stops the sweep with the file's own message.
    public func scenes() throws -> (base: Scene, panels: [Scene]) {
        let base = try Scene.load(yaml: sceneText, file: file, overrides: overrides)
        let panels = try combinations.map { combination in
            try Scene.load(yaml: sceneText, file: file, overrides: overrides + panelOverrides(combination))
        }
        return (base, panels)
    }

    func panelOverrides(_ combination: [Int]) -> [SceneOverride] {
        zip(variations, combination).map { $0.override($1) }
    }

    /// One rendered panel: its values, what was measured in it, and its pixels.
    public struct Panel: Sendable {
        /// (key path, value) per variation, in the variations' order.
        public var values: [(keyPath: String, value: String)]
        public var dotCount: Int
        /// Dots of the sessions done by the panel's moment, per cm² of the panel.
        public var dotsPerCM2: Double
        /// 1 − (mean linear luminance after) / (mean linear luminance before), over the panel.
        public var darkening: Double
        public var after: PanelPixels
    }

    /// Renders every combination's after image of `window` (nil: a `timelinePanelMM` square
    /// where the base scene's last session treated most fully, `timelineView`), or with
    /// `headView` that view of the head (`ViewSheet.panelPixels` on a side; the window is then
    /// only where the density is counted), at `moment` (nil: each scene's `render.after`).
    /// Panels are rendered `threads` at a time, each on one thread, so the pixels do not depend
    /// on the thread count. `limits` is checked per scene before any is rendered.
    public func render(window: MapView? = nil, headView: HeadViewName? = nil, moment: TreatmentTime? = nil, threads: Int,
                       limits: RenderLimits = RenderLimits())
        throws -> (window: MapView, moment: TreatmentTime, panels: [Panel]) {
        let (base, scenes) = try scenes()
        for scene in [base] + scenes {
            try limits.check(RenderEstimate(sessions: scene.sessions.count, dots: 0, pixelsPerImage: 0, peakMemoryBytes: 0, bytesWritten: 0))
        }
        let shown = moment ?? base.render.after
        for scene in scenes where shown.day(in: scene.sessions) == nil {
            throw RenderRequestError.momentOutsidePlan(shown, scene: file, sessions: scene.sessions.count)
        }
        let chosen: MapView
        if let window {
            chosen = window
        } else {
            let rendering = SceneRendering(scene: base, sceneText: sceneText)
            let map = ScalpMap(scene: base)
            try limits.check(RenderEstimate(scene: base, map: map))
            chosen = rendering.timelineView(map: map, dots: try DotPlacement.dots(for: base, on: map), view: rendering.view(of: map))
        }
        let panelPixels = headView == nil ? chosen.widthPixels * chosen.heightPixels : ViewSheet.panelPixels * ViewSheet.panelPixels
        try limits.check(RenderEstimate(sessions: 0, dots: 0, pixelsPerImage: panelPixels * scenes.count,
                                        peakMemoryBytes: 0, bytesWritten: 0))
        let combinations = self.combinations
        let results = ParallelWork.map(count: scenes.count, threads: threads, stoppingAfter: \.isFailure) { index in
            Result {
                try panel(scene: scenes[index], combination: combinations[index], window: chosen, headView: headView, moment: shown,
                          limits: limits)
            }
        }
        // A panel not started after a failure counts as that failure.
        let failure = results.first { $0?.isFailure == true } ?? nil
        return (chosen, shown, try results.map { try ($0 ?? failure ?? .failure(CancellationError())).get() })
    }

    func panel(scene: Scene, combination: [Int], window: MapView, headView: HeadViewName?, moment: TreatmentTime,
               limits: RenderLimits) throws -> Panel {
        let map = ScalpMap(scene: scene)
        try limits.check(RenderEstimate(scene: scene, map: map))
        let preview = try ScenePreview(scene: scene, map: map)
        let dots = preview.dots
        // One thread per panel: the panels themselves run in parallel.
        let rendering = SceneRendering(scene: scene, sceneText: sceneText, threads: 1)
        // `render` checked that the moment is in every scene's plan.
        let day = moment.day(in: scene.sessions) ?? 0
        let before: PanelPixels, after: PanelPixels
        if let headView {
            (before, after) = try rendering.headViewPair(headView, preview: preview, day: day, pixels: ViewSheet.panelPixels)
        } else {
            let surface = preview.surface(view: window)
            before = PanelPixels(rendering.renderer(view: window, dots: dots, day: nil, surface: surface))
            after = PanelPixels(rendering.renderer(view: window, dots: dots, day: day, surface: surface))
        }
        let done = scene.sessions.filter { $0.day <= day }.count
        let inside = dots.filter {
            $0.layer <= done && $0.xMM >= window.originXMM && $0.xMM < window.originXMM + window.widthMM
                && $0.yMM >= window.originYMM && $0.yMM < window.originYMM + window.heightMM
        }
        let areaCM2 = window.widthMM * window.heightMM / 100
        return Panel(values: zip(variations, combination).map { ($0.keyPath, $0.values[$1]) }, dotCount: inside.count,
                     dotsPerCM2: Double(inside.count) / areaCM2,
                     darkening: 1 - after.meanLinearLuminance / max(before.meanLinearLuminance, .leastNormalMagnitude), after: after)
    }
}
