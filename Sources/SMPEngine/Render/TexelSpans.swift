/// The texels of a chart texture that a view's filters read: per band of `bandRows` rows of
/// level 0, the runs of `tileColumns`-wide tiles holding every level-0 texel under any texel a
/// tap reads (a level-k texel is the mean of a 2ᵏ × 2ᵏ block of level 0, so its whole block
/// counts). A texture rendered only there (`ChartTexture(rendering:…reading:)`) gives those
/// views the same pixels as one rendered whole.
public struct TexelSpans: Sendable, Equatable {
    /// Rows per band: the bands `ChartTexture` renders.
    static let bandRows = 16
    /// Columns per tile: runs of tiles are what a band renders, each with its own set-up.
    static let tileColumns = 16
    /// Per band, the runs of level-0 columns to render, left to right.
    public let columns: [[Range<Int>]]
    /// The coarsest mip level the filters read (`ChartTexture.maximumLevel`).
    public let maximumLevel: Int

    /// The spans of `shape`'s texels that `filtered` reads for each footprint `footprints`
    /// hands to its argument (centre, edge across, edge down, mm).
    init(shape: ChartTexture, footprints: ((SIMD2<Double>, SIMD2<Double>, SIMD2<Double>) -> Void) -> Void) {
        maximumLevel = shape.maximumLevel
        let width = shape.widths[0], height = shape.heights[0]
        let bands = (height + Self.bandRows - 1) / Self.bandRows, tiles = (width + Self.tileColumns - 1) / Self.tileColumns
        var read = [Bool](repeating: false, count: bands * tiles)
        func mark(level: Int, u: Double, v: Double) {
            let (c0, c1, r0, r1, _, _) = shape.bilinearCorners(level: level, u: u, v: v)
            let endColumn = min((c1 + 1) << level, width), endRow = min((r1 + 1) << level, height)
            for band in ((r0 << level) / Self.bandRows)...((endRow - 1) / Self.bandRows) {
                for tile in ((c0 << level) / Self.tileColumns)...((endColumn - 1) / Self.tileColumns) { read[band * tiles + tile] = true }
            }
        }
        footprints { centre, across, down in
            _ = shape.forEachTap(centre: centre, edgeX: across, edgeY: down, maximumTaps: ChartTexture.maximumTaps) { l0, l1, t, u, v in
                mark(level: l0, u: u, v: v)
                if t > 0 { mark(level: l1, u: u, v: v) }
            }
        }
        columns = (0..<bands).map { band in
            var runs: [Range<Int>] = []
            var tile = 0
            while tile < tiles {
                guard read[band * tiles + tile] else { tile += 1; continue }
                let first = tile
                while tile < tiles && read[band * tiles + tile] { tile += 1 }
                runs.append((first * Self.tileColumns)..<min(width, tile * Self.tileColumns))
            }
            return runs
        }
    }

    /// Every texel of a `width` × `height` texture, its filter stopping at `maximumLevel`.
    init(wholeWidth width: Int, height: Int, maximumLevel: Int) {
        columns = Array(repeating: [0..<width], count: (height + Self.bandRows - 1) / Self.bandRows)
        self.maximumLevel = maximumLevel
    }

    /// The share of the texture's level-0 texels inside the spans.
    public func share(ofWidth width: Int, height: Int) -> Double {
        let texels = columns.indices.map { band in
            columns[band].map(\.count).reduce(0, +) * min(Self.bandRows, height - band * Self.bandRows)
        }
        return Double(texels.reduce(0, +)) / Double(max(1, width * height))
    }
}

extension HeadViewRenderer {
    /// The texels of a texture over `view` this view's traced rays read (`TexelSpans`) when its
    /// filter stops at mip level `maximumLevel`, nil before `traced`.
    public func texelSpans(on view: MapView, maximumLevel: Int) -> TexelSpans? {
        guard let raster else { return nil }
        return TexelSpans(shape: ChartTexture(shapeOf: view, maximumLevel: maximumLevel)) { visit in
            for band in raster.bands {
                for sample in band.samples where sample.scalpWeight > 0 { visit(sample.centre, sample.across, sample.down) }
            }
        }
    }
}
