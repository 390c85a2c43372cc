import Foundation

/// The designed frontal hairline on the scalp chart: where SMP starts at the front, and how
/// its density ramps up behind the edge.
///
/// In the chart (front at negative y) the edge is y = edge(x): a centre point `heightAboveBrowMM`
/// up the forehead from the brow, a front curve to the two frontotemporal corners at ±`cornerWidthMM`
/// that sit `cornerRecessionMM` further back, then the temporal hairline running back steeply.
/// The front curve is y = c + R·((1 − k)·t² + k·t⁶) with t = |x|/w: k = `cornerAngularity`,
/// 0 a round arch, 1 a flat front with squarer corners. Irregularity moves the edge back and
/// forth along x with seeded value noise (features of about 6 mm and 2 mm), as hand-drawn
/// natural hairlines do; the density ramps from 0 at the edge to full `softnessMM` behind it.
public struct Hairline: Sendable, Equatable {
    public enum Style: String, Sendable, CaseIterable {
        /// Wide, irregular ramp: reads as a natural, slightly diffuse front.
        case soft
        /// A moderate ramp and some irregularity.
        case natural
        /// A crisp, straight edge (a "lined-up" look).
        case sharp

        var defaultSoftnessMM: Double {
            switch self {
            case .soft: 12
            case .natural: 6
            case .sharp: 1
            }
        }

        var defaultIrregularityMM: Double {
            switch self {
            case .soft: 2.5
            case .natural: 1.5
            case .sharp: 0
            }
        }
    }

    public var heightAboveBrowMM: Double
    public var cornerWidthMM: Double
    public var cornerRecessionMM: Double
    public var cornerAngularity: Double
    public var softnessMM: Double
    public var irregularityMM: Double
    public var style: Style
    /// How far back the temporal hairline runs per mm outward past a corner.
    public var templeSlope: Double

    public init(heightAboveBrowMM: Double, cornerWidthMM: Double = 45, cornerRecessionMM: Double = 15,
                cornerAngularity: Double = 0.3, style: Style = .natural, softnessMM: Double? = nil,
                irregularityMM: Double? = nil, templeSlope: Double = 0.6) {
        self.heightAboveBrowMM = heightAboveBrowMM
        self.cornerWidthMM = cornerWidthMM
        self.cornerRecessionMM = cornerRecessionMM
        self.cornerAngularity = cornerAngularity
        self.style = style
        self.softnessMM = softnessMM ?? style.defaultSoftnessMM
        self.irregularityMM = irregularityMM ?? style.defaultIrregularityMM
        self.templeSlope = templeSlope
    }
}
