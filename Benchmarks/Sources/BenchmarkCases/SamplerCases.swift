import PoissonDisk

/// The sampler's benchmark cases (issue 3), shared by SamplerBenchmarks and `smp-profile`, so
/// that a profile measures exactly what the benchmark times.
public enum SamplerCases {
    /// 1,000 cm², a square.
    public static let thousandCM2 = RectMM(minXMM: 0, minYMM: 0, widthMM: 316.23, heightMM: 316.23)
    /// About a whole scalp, 600 cm².
    public static let scalp = RectMM(minXMM: 0, minYMM: 0, widthMM: 244.95, heightMM: 244.95)

    /// Uniform 100 dots/cm² over 1,000 cm² (about 100,000 dots).
    public static func uniform(method: PoissonDiskMethod = .search) throws -> PoissonDiskRequest {
        PoissonDiskRequest(bounds: thousandCM2, density: try .uniform(100, over: thousandCM2), seed: 1, method: method)
    }

    /// Density rising 0 → 100 across 1,000 cm², with a 10 mm hole every 50 mm (a mask).
    public static func ramp(method: PoissonDiskMethod = .search) throws -> PoissonDiskRequest {
        let bounds = thousandCM2
        let raster = try DensityRaster(covering: bounds, cellSizeMM: 0.5) { x, y in
            let dx = x.truncatingRemainder(dividingBy: 50) - 25, dy = y.truncatingRemainder(dividingBy: 50) - 25
            return dx * dx + dy * dy < 100 ? 0 : 100 * x / bounds.widthMM
        }
        return PoissonDiskRequest(bounds: bounds, density: raster, seed: 1, method: method)
    }

    /// Three sessions layered to a cumulative 20, 40 and 60 dots/cm² over 600 cm² (with
    /// `.tiled`, all three on the pattern of the last session's peak, as a plan would set it).
    public static func threeSessions(method: PoissonDiskMethod = .search) throws -> [PoissonDot] {
        var dots: [PoissonDot] = []
        for (index, target) in [20.0, 40, 60].enumerated() {
            let request = PoissonDiskRequest(bounds: scalp, density: try .uniform(target, over: scalp), seed: 1, layer: index + 1,
                                             method: method, patternPeakDotsPerCM2: method == .tiled ? 60 : nil)
            dots += try PoissonDiskSampler.sample(request, existing: dots)
        }
        return dots
    }
}
