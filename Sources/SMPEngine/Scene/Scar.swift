import Foundation

/// A scar on the scalp and what the plan does with it. Scar tissue is paler and holds pigment
/// less evenly (DOMAIN.md); `camouflage` puts dots into it like the skin around, `avoid`
/// leaves it bare.
public struct Scar: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A follicular-unit-transplant donor strip: a band across the back of the head at
        /// `heightMM` above the ear line, `widthMM` wide, spanning `spanDegrees` of the head's
        /// circumference centred on the back (DOMAIN.md: "a few mm wide").
        case strip(heightMM: Double, widthMM: Double, spanDegrees: Double)
        /// Follicular-unit-extraction scars: `count` pale dots of `diameterMM` scattered over
        /// the donor band (back and sides) between `lowMM` and `highMM` above the ear line.
        case fue(count: Int, diameterMM: Double, lowMM: Double, highMM: Double)
        /// Any other scar: a polyline on the chart (mm) with a width.
        case linear(points: [SIMD2<Double>], widthMM: Double)
    }

    public enum Treatment: String, Sendable, CaseIterable {
        case camouflage
        case avoid
    }

    public var kind: Kind
    public var treatment: Treatment

    public init(kind: Kind, treatment: Treatment) {
        self.kind = kind
        self.treatment = treatment
    }
}
