/// Everything one sampling run needs, in one value (after tph_poisson's arguments struct):
/// the domain, the target density field, how even the pattern is, the seed, and what the new
/// dots are labelled with.
public struct PoissonDiskRequest: Sendable {
    /// Dots are placed inside this rectangle only.
    public var bounds: RectMM
    /// Target density. With earlier layers passed in, this is the *cumulative* target: the
    /// sampler adds only what is missing.
    public var density: DensityRaster
    /// 0 = natural (irregular, like follicles), 1 = as even as this sampler gets (ρ ≥ 0.8).
    /// Changes the pattern, not the density: the calibration absorbs it.
    public var regularity: Double
    public var seed: UInt64
    /// The layer number given to the new dots (the treatment session).
    public var layer: Int
    /// The needle impression diameter given to the new dots.
    public var diameterMM: Double
    /// Candidates tried around an active dot before it is retired (Bridson's k).
    public var attemptsPerDot: Int
    /// Refuses requests whose spatial grid would exceed this many cells (16 bytes each).
    public var maximumGridCells: Int
    /// Multiplies the spacing of a layer laid over earlier dots; nil takes the measured
    /// `PoissonDiskCalibration.layerSpacingFactor`. For calibration runs of `.search`.
    public var layerSpacingFactor: Double?
    /// How the dots are found (`PoissonDiskMethod`).
    public var method: PoissonDiskMethod
    /// `.tiled`: the density at which the whole tile is used, in dots per cm²; nil takes the
    /// raster's peak. Sessions layered on each other nest exactly when they share it (and the
    /// seed and regularity): give every session the highest cumulative target of the plan.
    public var patternPeakDotsPerCM2: Double?

    public static let defaultRegularity = 0.35
    /// Six: with candidates walking the circle in even steps, more mostly retry where the
    /// sweep fills anyway, and cost more than that sweep; fewer than five lower ρ at
    /// regularity 1 towards 0.80 (Benchmarks/NOTES.md, "Search sampler").
    public static let defaultAttemptsPerDot = 6

    public init(bounds: RectMM, density: DensityRaster, regularity: Double = PoissonDiskRequest.defaultRegularity,
                seed: UInt64, layer: Int = 1, diameterMM: Double = 0.25,
                attemptsPerDot: Int = PoissonDiskRequest.defaultAttemptsPerDot,
                maximumGridCells: Int = 64 << 20, layerSpacingFactor: Double? = nil,
                method: PoissonDiskMethod = .search, patternPeakDotsPerCM2: Double? = nil) {
        self.bounds = bounds
        self.density = density
        self.regularity = regularity
        self.seed = seed
        self.layer = layer
        self.diameterMM = diameterMM
        self.attemptsPerDot = attemptsPerDot
        self.maximumGridCells = maximumGridCells
        self.layerSpacingFactor = layerSpacingFactor
        self.method = method
        self.patternPeakDotsPerCM2 = patternPeakDotsPerCM2
    }
}

/// The two ways the sampler can place dots. Both keep the invariant exactly and pass the same
/// quality tests (density, ramp, empty circle, ρ, isotropy); they differ in speed and in what
/// they accept as earlier layers. The treatment plan (`DotPlacement`) uses `.tiled`, much
/// faster (Benchmarks/NOTES.md); a request that names no method gets `.search`, which takes any earlier dots and is
/// what the calibration table and the stubble's follicles were measured and tuned with.
public enum PoissonDiskMethod: String, Sendable, CaseIterable {
    /// Dots picked by rank from a precomputed progressive tile (`TiledSampler`): no search, a
    /// little arithmetic per dot. Earlier layers must come from the same seed,
    /// regularity and pattern peak; any other earlier dots make the run fall back to `.search`.
    case tiled
    /// Bridson-style growth with neighbour search (`SamplerState`): fills around any earlier
    /// dots, whatever made them.
    case search
}

/// Variable-density Poisson-disk sampling in millimetres, layered.
///
/// Contract: every new dot i gets a spacing sᵢ from the target density at its position, and
/// any two dots i, j — new or from an earlier layer — are at least min(sᵢ, sⱼ) apart.
///
/// Two methods (`PoissonDiskMethod`). `.tiled` (`TiledSampler`, `ProgressiveTile`) picks
/// dots by rank from a precomputed progressive tile: the density is exact by construction, the
/// invariant holds by each tile point's gap, and the tile's fill makes it maximal up to its
/// candidates' spacing. `.search` is described below: its fill is maximal up to the final
/// sweep's tries per grid cell, and its spacing comes from `PoissonDiskCalibration`.
///
/// `.search` algorithm: Bridson's active-list growth ("Fast Poisson disk sampling in arbitrary
/// dimensions", SIGGRAPH 2007 sketch) with candidates drawn from an annulus [s, (1+w)·s] around
/// the active dot, w narrowing with regularity (w → 0 is the "annulus edge" variant, denser and
/// more even), and per-dot spacing jitter for a natural look. A background grid of cell size
/// s_min/√2 holds at most one dot per cell, so a candidate is checked against the few cells
/// within its own spacing (the min rule means nothing farther can conflict). A row-major sweep
/// seeds growth in every region the active list has not reached (holes in a mask, disconnected
/// areas) and fills the last gaps. Growth and sweep work through the grid in strips of a few
/// rows (up to a moderate regularity), so what a run touches stays in cache
/// (`SamplerState.run`). Earlier layers' dots are put in the grid first and grow the new layer
/// from where they stand, so new dots fall between old ones.
///
/// Why growth and not plain dart throwing cell by cell: darts row by row, then the sweep, were
/// faster, but a fill in a fixed order leans the pattern: up to 14 % more neighbour pairs in
/// some directions than in others, against 2 % here (the test `isotropic`). Cells in a random
/// order were as even as growth, and slower (figures in Benchmarks/NOTES.md).
///
/// Every dot also marks, in a coverage mask of 8 × 8 subcells per grid cell, the subcells its
/// exclusion disc holds whole (`CoverageMask`; from a precomputed table, `DiscMarkTable`, for
/// all but the largest discs). Most candidates, and most cells the sweep visits, are settled
/// by that mask in a few instructions; the exact checks above run only for the rest, so the
/// mask changes speed, not the guarantees.
///
/// Where the target is below 1/64 of the field's peak the spacing stops growing and dots are
/// thinned at random instead (kept in the grid as blockers, not returned), which keeps the
/// density right down to zero without searching ever wider neighbourhoods.
public enum PoissonDiskSampler {
    /// Spacing grows at most this factor above the peak's; below that density, thinning.
    public static let spacingRangeLimit: Float = 8

    /// Samples new dots for `request`, around and between `existing` dots (earlier layers).
    /// Returns only the new dots, in the order they were placed. `.tiled` shares its copies
    /// out over `threads` threads (the same dots for any count); `.search` uses one.
    public static func sample(_ request: PoissonDiskRequest, existing: [PoissonDot] = [], threads: Int = 1) throws -> [PoissonDot] {
        try validate(request)
        if request.method == .tiled {
            try SamplerState.checkGridSize(request, existing: existing)
            if let dots = TiledSampler.sample(request, existing: existing, threads: threads) { return dots }
        }
        var state = try SamplerState(request: request, existing: existing)
        state.run()
        // The grid, the mask and the scratch go before the dots are copied out, so the copy
        // can take over memory the process already has: fewer page faults and a lower peak.
        state.deallocateSearchStructures()
        defer { state.dots.deallocate() }
        return state.newDots()
    }

    static func validate(_ request: PoissonDiskRequest) throws {
        let bounds = request.bounds
        guard [bounds.minXMM, bounds.minYMM, bounds.widthMM, bounds.heightMM].allSatisfy(\.isFinite),
              bounds.widthMM > 0, bounds.heightMM > 0 else {
            throw PoissonDiskError.invalidBounds(
                "\(bounds.widthMM) × \(bounds.heightMM) mm at (\(bounds.minXMM), \(bounds.minYMM)); allowed: finite, width and height > 0")
        }
        guard request.regularity.isFinite, (0...1).contains(request.regularity) else {
            throw PoissonDiskError.invalidParameter("regularity \(request.regularity); allowed: 0 (natural) to 1 (even)")
        }
        guard (1...1000).contains(request.attemptsPerDot) else {
            throw PoissonDiskError.invalidParameter("attemptsPerDot \(request.attemptsPerDot); allowed: 1 to 1000")
        }
        if let patternPeak = request.patternPeakDotsPerCM2 {
            guard patternPeak.isFinite, patternPeak >= request.density.maximumDotsPerCM2, patternPeak > 0 else {
                throw PoissonDiskError.invalidParameter(
                    "patternPeakDotsPerCM2 \(patternPeak); allowed: finite, > 0 and at least the raster's peak, \(request.density.maximumDotsPerCM2)")
            }
        }
        guard request.diameterMM.isFinite, request.diameterMM > 0 else {
            throw PoissonDiskError.invalidParameter("diameterMM \(request.diameterMM); allowed: a finite diameter > 0")
        }
    }
}
