/// One client and one treatment plan, as a scene file describes it. Every quantity is
/// physical: millimetres, dots per cm², days. Load one with `Scene.load(yaml:file:)`.
public struct Scene: Sendable {
    public var name: String
    public var seed: UInt64
    public var notes: String
    /// The area of scalp drawn, in mm, with the origin at its top-left corner.
    public var canvas: Canvas
    public var skin: Skin
    public var treatment: Treatment
    public var pigment: Pigment
    public var render: RenderSettings

    /// The drawn rectangle of scalp surface.
    public struct Canvas: Sendable, Equatable {
        public var widthMM: Double
        public var heightMM: Double
    }

    public struct Skin: Sendable, Equatable {
        /// The skin's colour as a camera would record it (sRGB).
        public var color: SRGBColor
    }

    /// Where the dots go and how dense: one circular area of uniform density.
    public struct Treatment: Sendable, Equatable {
        public var centerXMM: Double
        public var centerYMM: Double
        public var radiusMM: Double
        public var dotsPerCM2: Double
        /// The visible, healed dot diameter.
        public var dotDiameterMM: Double
    }

    public struct Pigment: Sendable, Equatable {
        /// The colour the pigment gives where it fully covers the skin (sRGB).
        public var color: SRGBColor
    }

    public struct RenderSettings: Sendable, Equatable {
        public var pixelsPerMM: Double
    }
}
