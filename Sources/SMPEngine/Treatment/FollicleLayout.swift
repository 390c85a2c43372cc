import PoissonDisk

/// Where the client's existing hair grows: its follicular units (FUs) over the whole map, so
/// that a crop or a head view shows the same hairs as the full chart. Placed here, beside the
/// dots, because hair and pigment share the scalp: the renderer draws the hairs, it does not
/// decide where they are.
public enum FollicleLayout {
    /// FU sizes 1/2/3/4 hairs = 28/53/18/1 % (DOMAIN.md, Tsai 2002 / OAE 2017): mean 1.92 hairs
    /// per FU, which converts hairs/cm² into FU/cm² so the hair density comes out right.
    static let hairsPerFU = 1.92
    /// Natural hairline and margins: hair density fades in over this many mm from the scalp's
    /// edge (our estimate of a natural hairline's transition zone).
    static let edgeSoftnessMM = 2.0

    /// The FUs at hairFraction × hairsPerCM2 / 1.92 FU/cm², faded in at the scalp's edge, from
    /// the `existingHair` stream of `seed` (the scene's). Empty for a scalp without hair; a
    /// sampler error is thrown, not drawn as a head without hair.
    public static func units(for hair: Scene.ExistingHair, seed: UInt64, on map: ScalpMap) throws -> [PoissonDot] {
        let hairsPerCM2 = hair.hairsPerCM2
        guard hairsPerCM2 > 0 else { return [] }
        let scalp = map.region.map { $0 == nil ? Float(0) : 1 }
        let edge = ScalpMap.boxBlur(scalp, columns: map.columns, rows: map.rows, radius: Int((edgeSoftnessMM / map.cellMM).rounded()))
        var density = [Float](repeating: 0, count: map.columns * map.rows)
        for index in density.indices {
            // Only inside the scalp, rising from half at its edge to full 2 mm in.
            // (The blurred mask is 1/2 at the edge and 1 at the blur radius inside.)
            let fade = scalp[index] * edge[index]
            density[index] = Float(hairsPerCM2 / hairsPerFU) * map.hairFraction[index] * fade
        }
        guard density.contains(where: { $0 > 0 }) else { return [] }
        let raster = try DensityRaster(originXMM: map.bounds.minXMM, originYMM: map.bounds.minYMM, cellSizeMM: map.cellMM,
                                       columns: map.columns, rows: map.rows, dotsPerCM2: density)
        // Regularity 0: follicles are irregular (DOMAIN.md, natural hair).
        let request = PoissonDiskRequest(bounds: map.bounds, density: raster, regularity: 0,
                                         seed: SplitMix64.derive(seed, stream: RandomStream.existingHair.rawValue), diameterMM: 0.1)
        return try PoissonDiskSampler.sample(request)
    }
}
