/// An axis-aligned rectangle in millimetres: the sampling domain, or a region to measure.
public struct RectMM: Sendable, Hashable, Codable {
    public var minXMM: Double
    public var minYMM: Double
    public var widthMM: Double
    public var heightMM: Double

    public init(minXMM: Double, minYMM: Double, widthMM: Double, heightMM: Double) {
        self.minXMM = minXMM
        self.minYMM = minYMM
        self.widthMM = widthMM
        self.heightMM = heightMM
    }

    public var maxXMM: Double { minXMM + widthMM }
    public var maxYMM: Double { minYMM + heightMM }
    public var areaCM2: Double { widthMM * heightMM / 100 }

    public func contains(xMM: Double, yMM: Double) -> Bool {
        xMM >= minXMM && xMM < maxXMM && yMM >= minYMM && yMM < maxYMM
    }

    /// The rectangle shrunk by `marginMM` on every side (empty if the margin is too large).
    public func inset(byMM marginMM: Double) -> RectMM {
        RectMM(minXMM: minXMM + marginMM, minYMM: minYMM + marginMM,
               widthMM: max(0, widthMM - 2 * marginMM), heightMM: max(0, heightMM - 2 * marginMM))
    }
}
