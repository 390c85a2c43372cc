import Foundation
import ImageText
import PoissonDisk

/// `distance.png`: a healed patch at 1:1 (what a macro photo shows) beside the same patch as an
/// eye sees it from 30 cm, 1 m and 2 m, each shown at the close-up's size so that the loss of
/// detail, not the shrinking, is what differs: dotty in macro, a shadow at conversation
/// distance.
///
/// The eye: the achromatic contrast sensitivity function of Mannos & Sakrison (IEEE Trans. Inf.
/// Theory 20(4), 1974), A(f) = 2.6 (0.0192 + 0.114 f) e^(−(0.114 f)^1.1), f in cycles per degree,
/// normalised to 1 at its peak (about 8 cycles/degree) and held at 1 below it: the band-pass
/// fall at low frequencies is the eye discounting slow shading, which would take the mean tone
/// away, and a patch's mean tone is what is seen at any distance. Applied in the frequency
/// domain (a cosine transform, so the patch's edges mirror instead of wrapping) to each linear
/// RGB channel alike (chromatic sensitivity falls off sooner still, so this errs towards
/// showing more). A frequency of k cycles per mm on the scalp is k · D · π/180 cycles per
/// degree at distance D mm. The DC term passes unchanged: the mean tone is preserved.
public struct ViewingDistance: Sendable {
    /// One panel and what it measures.
    public struct Panel: Codable, Sendable, Equatable {
        /// nil: the 1:1 close-up.
        public var distanceMM: Double?
        /// Local contrast: the RMS of linear luminance about its mean over the 2 mm around
        /// each pixel, over the panel's mean. The dots' texture, without the slow mottling of
        /// the skin (`PanelPixels.localContrast`).
        public var contrast: Double
        /// Mean linear luminance of the panel.
        public var meanLuminance: Double
    }

    public static let distancesMM: [Double] = [300, 1000, 2000]

    public var window: MapView
    public var panels: [Panel]
    public var image: TimelineImage<ScaledPanel>
    /// The strip's panels with their labels, close-up first.
    public var labelledPanels: [LabelledPanel] = []

    /// The strip for `rendering`'s scene: the healed result in the timeline's window.
    public static func render(_ rendering: SceneRendering, preview: ScenePreview, view: MapView, font: Font)
        throws -> ViewingDistance {
        let scene = rendering.scene, dots = preview.dots
        let window = rendering.timelineView(map: preview.map, dots: dots, view: view)
        let surface = preview.surface(view: window)
        let healed = (scene.sessions.last?.day ?? 0) + TreatmentTime.healedAfterDays
        let closeUp = PanelPixels(rendering.renderer(view: window, dots: dots, day: healed, surface: surface))
        let seen = distancesMM.map { closeUp.seen(fromMM: $0, pixelsPerMM: window.pixelsPerMM) }
        let all = [closeUp] + seen
        let panels = zip([nil] + distancesMM.map { Optional($0) }, all).map { distance, pixels in
            Panel(distanceMM: distance, contrast: pixels.localContrast(radiusPixels: Int(window.pixelsPerMM.rounded())),
                  meanLuminance: pixels.meanLinearLuminance)
        }
        let labels = panels.map { panel in
            let name = panel.distanceMM.map { $0 < 1000 ? String(format: "%.0f cm", $0 / 10) : String(format: "%.0f m", $0 / 1000) }
            return (name.map { "seen from \($0)" } ?? "1:1 close-up") + String(format: " · local contrast %.1f %%", 100 * panel.contrast)
        }
        let side = Int(window.widthMM.rounded())
        let title = "\(scene.name) · simulation · healed, \(side) × \(side) mm, as an eye sees it (Mannos–Sakrison 1974 contrast sensitivity)"
        let image = try TimelineImage(title: title, panels: zip(labels, all).map {
                                          (label: $0, image: ScaledPanel(pixels: $1, pixelsPerMM: window.pixelsPerMM)) }, font: font,
                                      pixelSize: SceneRendering.timelineTextPixels(pixelsPerMM: window.pixelsPerMM), scaleBarMM: 5)
        return ViewingDistance(window: window, panels: panels, image: image,
                               labelledPanels: zip(labels, all).map { LabelledPanel(labelLines: [$0], pixels: $1) })
    }
}
