/// How hard ``PNGWriter`` compresses. The pixels are lossless and identical for every
/// preset; only file size and encoding time differ.
///
/// Chosen by measurement (`PNGCompressionTests.measurePresets`, release build) on 2048 × 2048
/// RGB images: render-like (smooth skin, fine noise of ±2 levels, 6000 soft dots 1–3 px
/// across), the same on a plain background, a noise-free variant, and flat chart-like
/// graphics. On renders zlib's RLE strategy beats every level of the default strategy in
/// size *and* time: the noise makes the short LZ77 matches that levels 1–9 search for cost
/// more bits than they save, and runs (zeros after filtering, e.g. plain background) are the
/// matches that pay. Level 9 (default or filtered strategy, all filters) was 4–11 % larger
/// than `smallest` on renders and 13–16 × slower; levels 6–9 win, by 7–12 %, only on
/// noise-free or flat content: choose them with ``PNGEncoderSettings`` for that.
///
/// With RLE zlib ignores the level (any level above 0 is the same), so `balanced` and
/// `smallest` differ in which row filters each row tries. Trying all five was never smaller
/// than average + Paeth, and slower. The sizes and times behind these choices are in
/// Benchmarks/NOTES.md.
public enum PNGCompression: String, Sendable, CaseIterable {
    /// ISA-L's level 1 (igzip) with the up filter: `smp render`'s default. On renders, about
    /// twice zlib's RLE speed for files within half a per cent of its size, and much smaller
    /// where an image repeats itself (the side-by-side comparison). Smooth pieces (renders at
    /// high px/mm, where ISA-L was up to 8.5 % larger) go to zlib's RLE
    /// (``PNGEncoderSettings/smoothPiecesByZlibRLE``); Benchmarks/NOTES.md has the figures. Needs ``PNGWriter/Encoder/parallel(threads:)``, as libpng's stream is zlib's.
    case fast
    /// RLE trying the up and average filters: 4 % smaller than RLE with the up filter alone on
    /// the synthetic render-like images above for 16 % more time; on real renders up to 2.4 %.
    /// On noise-free or flat images (charts, masks) it can be larger than `fast`; use
    /// `smallest` for those.
    case balanced
    /// Final images, and any content: RLE trying the average and Paeth filters, the smallest
    /// files measured on every kind of image among settings that are fast on renders.
    case smallest

    /// The zlib and filter settings behind the preset.
    public var encoderSettings: PNGEncoderSettings {
        switch self {
        case .fast: PNGEncoderSettings(library: .isal, level: 1, filters: .up, smoothPiecesByZlibRLE: true)
        case .balanced: PNGEncoderSettings(level: 1, strategy: .rle, filters: [.up, .average], memoryLevel: 9)
        case .smallest: PNGEncoderSettings(level: 1, strategy: .rle, filters: [.average, .paeth], memoryLevel: 9)
        }
    }
}
