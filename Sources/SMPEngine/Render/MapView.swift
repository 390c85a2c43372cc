/// A flat view of the scalp chart at true scale: which millimetres of the chart become which
/// pixels. The only place millimetres turn into pixels.
public struct MapView: Sendable, Equatable {
    public var originXMM: Double
    public var originYMM: Double
    public var widthMM: Double
    public var heightMM: Double
    public var pixelsPerMM: Double

    public init(originXMM: Double = 0, originYMM: Double = 0, widthMM: Double, heightMM: Double, pixelsPerMM: Double) {
        self.originXMM = originXMM
        self.originYMM = originYMM
        self.widthMM = widthMM
        self.heightMM = heightMM
        self.pixelsPerMM = pixelsPerMM
    }

    public var widthPixels: Int { max(1, Int((widthMM * pixelsPerMM).rounded())) }
    public var heightPixels: Int { max(1, Int((heightMM * pixelsPerMM).rounded())) }
}
