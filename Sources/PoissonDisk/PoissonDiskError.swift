/// What can be wrong with a sampling request. Each case carries a sentence naming the value
/// and what is allowed.
public enum PoissonDiskError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidBounds(String)
    case invalidRaster(String)
    case invalidParameter(String)
    /// The domain would need more grid cells than the limit: the density is too high for the area.
    case tooLarge(String)
    /// Dots passed in as earlier layers break the spacing invariant among themselves.
    case existingDotsTooClose(String)

    public var description: String {
        switch self {
        case .invalidBounds(let detail): "invalid sampling bounds: \(detail)"
        case .invalidRaster(let detail): "invalid density raster: \(detail)"
        case .invalidParameter(let detail): "invalid sampler parameter: \(detail)"
        case .tooLarge(let detail): "sampling request too large: \(detail)"
        case .existingDotsTooClose(let detail): "earlier dots violate the spacing invariant: \(detail)"
        }
    }
}
