import Foundation

/// The skull dome as a half-ellipsoid over the ear line, in millimetres: semi-axes
/// `frontToBackMM` (half the head length), `sideToSideMM` (half the breadth) and `earToTopMM`
/// (ear line to the top of the head). X runs to the patient's right, Y to the back, Z up,
/// origin at the centre of the ear-line plane.
///
/// Defaults are adult means from ANSUR II (US Army 2012; DOMAIN.md, "The scalp"): men head
/// length 200, breadth 154, tragion-to-top 131 mm; women from the pooled means and the British
/// length tables (length 188, breadth 148, tragion-to-top 128 mm, our estimate).
public struct HeadShape: Sendable, Equatable {
    public var frontToBackMM: Double
    public var sideToSideMM: Double
    public var earToTopMM: Double
    /// Height of the glabella (the brow midpoint) above the ear line. Estimate: the brow ridge
    /// sits about 25 mm above the ear canal in adult profiles.
    public var browHeightMM: Double

    public init(frontToBackMM: Double, sideToSideMM: Double, earToTopMM: Double, browHeightMM: Double = 25) {
        self.frontToBackMM = frontToBackMM
        self.sideToSideMM = sideToSideMM
        self.earToTopMM = earToTopMM
        self.browHeightMM = browHeightMM
    }

    public static let adultMan = HeadShape(frontToBackMM: 100, sideToSideMM: 77, earToTopMM: 131)
    public static let adultWoman = HeadShape(frontToBackMM: 94, sideToSideMM: 74, earToTopMM: 128)

    /// Head length and breadth from a circumference alone, scaled from the default of the
    /// same sex (the ellipse of the man's default has a 560 mm perimeter; ANSUR mean 574).
    public static func fromCircumference(_ circumferenceMM: Double, like base: HeadShape) -> HeadShape {
        let scale = circumferenceMM / base.circumferenceMM
        return HeadShape(frontToBackMM: base.frontToBackMM * scale, sideToSideMM: base.sideToSideMM * scale,
                         earToTopMM: base.earToTopMM * scale, browHeightMM: base.browHeightMM * scale)
    }

    /// The horizontal perimeter of the ellipse at the widest level (Ramanujan's approximation);
    /// what a tape measure around the head reads, less the brow ridge and occiput bulges.
    public var circumferenceMM: Double {
        let a = frontToBackMM, b = sideToSideMM
        let h = (a - b) * (a - b) / ((a + b) * (a + b))
        return Double.pi * (a + b) * (1 + 3 * h / (10 + (4 - 3 * h).squareRoot()))
    }
}
