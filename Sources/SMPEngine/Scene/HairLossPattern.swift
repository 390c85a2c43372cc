import Foundation

/// Where hair has gone, as shapes on the scalp chart: a frontal recession behind the designed
/// hairline, a bald crown, a bald top above the remaining horseshoe fringe, diffuse thinning,
/// and round alopecia areata patches. `hairFraction` is 1 where the scalp has its full hair
/// and 0 where it is bald.
///
/// The presets follow the Norwood–Hamilton and Ludwig scales as DOMAIN.md describes them: the
/// temples recede first (2–3), the crown opens (3-vertex), front and crown grow and the bridge
/// thins (4–5) and goes (6), leaving the horseshoe over the ears and the back (7); Ludwig
/// thins the crown and mid-scalp diffusely and keeps the frontal hairline. The millimetres
/// are our estimates of typical cases, to be tuned per client in the scene file.
public struct HairLossPattern: Sendable, Equatable {
    public enum Preset: String, Sendable, CaseIterable {
        case none
        case norwood2, norwood3, norwood3Vertex = "norwood3vertex", norwood4, norwood5, norwood6, norwood7
        case ludwig1, ludwig2, ludwig3
        case diffuse
        case areata
    }

    /// Bald depth behind the designed hairline at the midline and at the corners (M-shape).
    public var frontalDepthMidMM: Double
    public var frontalDepthCornerMM: Double
    /// Bald circle around the crown whorl (0: none).
    public var crownRadiusMM: Double
    /// The top of the remaining horseshoe above the ear line, at the sides and at the back
    /// (nil: no top loss). Above it the scalp is bald.
    public var fringeHeightSidesMM: Double?
    public var fringeHeightBackMM: Double?
    /// Hair left in the thinning zone (1: no thinning).
    public var thinningRemaining: Double
    public var thinningZone: ThinningZone
    /// Alopecia areata patches: centre on the chart (mm) and radius.
    public var patches: [Patch]
    /// Width over which a bald area's edge blends into hair.
    public var edgeMM: Double
    /// How far a bald area's edge wanders in and out of its ideal shape, mm: nature draws no
    /// circles. Our estimate: recession lines, crowns and areata patches show bays and
    /// promontories of a few mm over a few cm (`ScalpMap.edgeWander`).
    public var irregularityMM: Double = 5

    public enum ThinningZone: String, Sendable, CaseIterable {
        case none
        /// Crown and mid-scalp behind the first 15 mm of the hairline, above the sides (Ludwig).
        case crownAndMidScalp
        /// The whole scalp.
        case everywhere
    }

    public struct Patch: Sendable, Equatable {
        public var xMM: Double
        public var yMM: Double
        public var radiusMM: Double
    }

    public init(frontalDepthMidMM: Double = 0, frontalDepthCornerMM: Double = 0, crownRadiusMM: Double = 0,
                fringeHeightSidesMM: Double? = nil, fringeHeightBackMM: Double? = nil,
                thinningRemaining: Double = 1, thinningZone: ThinningZone = .none,
                patches: [Patch] = [], edgeMM: Double = 8) {
        self.frontalDepthMidMM = frontalDepthMidMM
        self.frontalDepthCornerMM = frontalDepthCornerMM
        self.crownRadiusMM = crownRadiusMM
        self.fringeHeightSidesMM = fringeHeightSidesMM
        self.fringeHeightBackMM = fringeHeightBackMM
        self.thinningRemaining = thinningRemaining
        self.thinningZone = thinningZone
        self.patches = patches
        self.edgeMM = edgeMM
    }

    /// The preset's shapes (estimates; see the type's doc).
    public static func preset(_ preset: Preset) -> HairLossPattern {
        switch preset {
        case .none: HairLossPattern()
        case .norwood2: HairLossPattern(frontalDepthMidMM: 3, frontalDepthCornerMM: 15)
        case .norwood3: HairLossPattern(frontalDepthMidMM: 10, frontalDepthCornerMM: 30)
        case .norwood3Vertex: HairLossPattern(frontalDepthMidMM: 10, frontalDepthCornerMM: 30, crownRadiusMM: 28)
        case .norwood4: HairLossPattern(frontalDepthMidMM: 30, frontalDepthCornerMM: 45, crownRadiusMM: 38)
        case .norwood5: HairLossPattern(frontalDepthMidMM: 55, frontalDepthCornerMM: 65, crownRadiusMM: 52,
                                        thinningRemaining: 0.5, thinningZone: .crownAndMidScalp)
        // 6 and 7: the whole top is bald down to the horseshoe; the fringe height says it all.
        case .norwood6: HairLossPattern(fringeHeightSidesMM: 65, fringeHeightBackMM: 50)
        case .norwood7: HairLossPattern(fringeHeightSidesMM: 48, fringeHeightBackMM: 28)
        case .ludwig1: HairLossPattern(thinningRemaining: 0.7, thinningZone: .crownAndMidScalp, edgeMM: 20)
        case .ludwig2: HairLossPattern(thinningRemaining: 0.45, thinningZone: .crownAndMidScalp, edgeMM: 20)
        case .ludwig3: HairLossPattern(thinningRemaining: 0.2, thinningZone: .crownAndMidScalp, edgeMM: 20)
        case .diffuse: HairLossPattern(thinningRemaining: 0.6, thinningZone: .everywhere, edgeMM: 20)
        case .areata: HairLossPattern(patches: [Patch(xMM: -35, yMM: -20, radiusMM: 14), Patch(xMM: 30, yMM: 40, radiusMM: 20),
                                                Patch(xMM: -10, yMM: 95, radiusMM: 11)], edgeMM: 3)
        }
    }
}
