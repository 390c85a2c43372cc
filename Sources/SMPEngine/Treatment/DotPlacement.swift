import PoissonDisk

/// Places the scene's dots: builds the target density field over the canvas and samples it.
public enum DotPlacement {
    /// The density raster's cell: fine enough that a mask edge is sharp at SMP spacings.
    static let rasterCellMM = 0.25

    /// The scene's target density over its canvas, dots per cm²: the treatment circle.
    public static func densityField(for scene: Scene) throws -> DensityRaster {
        let treatment = scene.treatment
        let bounds = RectMM(minXMM: 0, minYMM: 0, widthMM: scene.canvas.widthMM, heightMM: scene.canvas.heightMM)
        return try DensityRaster(covering: bounds, cellSizeMM: rasterCellMM) { x, y in
            let dx = x - treatment.centerXMM, dy = y - treatment.centerYMM
            return dx * dx + dy * dy <= treatment.radiusMM * treatment.radiusMM ? treatment.dotsPerCM2 : 0
        }
    }

    /// The dots of the scene, the same for the same scene and seed.
    public static func dots(for scene: Scene) throws -> [PoissonDot] {
        let bounds = RectMM(minXMM: 0, minYMM: 0, widthMM: scene.canvas.widthMM, heightMM: scene.canvas.heightMM)
        let request = PoissonDiskRequest(bounds: bounds, density: try densityField(for: scene),
                                         seed: SplitMix64.derive(scene.seed, stream: RandomStream.sampling.rawValue),
                                         layer: 1, diameterMM: scene.treatment.dotDiameterMM)
        return try PoissonDiskSampler.sample(request)
    }
}

/// One seeded generator per purpose, all derived from the scene seed (DESIGN.md): changing
/// how one purpose draws never shifts another's numbers.
public enum RandomStream: UInt64, Sendable {
    case sampling = 1
    case skinTexture = 2
    case blowout = 3
}
