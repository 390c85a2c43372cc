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
/// With RLE zlib ignores the level (any level above 0 is the same), so the presets differ in
/// which row filters libpng tries per row. Trying all five was never smaller than average +
/// Paeth, and slower.
///
/// Measured on a 2048 × 2048 render (CPU time of the encoding thread): `fast` 5.27 MB in
/// 122 ms, `balanced` 5.06 MB in 142 ms, `smallest` 5.06 MB in 192 ms (raw: 12.6 MB).
public enum PNGCompression: String, Sendable, CaseIterable {
    /// RLE with the up filter, the cheapest to compute; `smp render`'s default, where its
    /// files are about as small as `balanced`'s for a fifth less encoding time. The demo
    /// scene's seven images (3610 × 2640 and the density map; measured 2026-12-03, one thread)
    /// against `balanced`: −0.1 % (before.png, comparison.png) to +2.4 % (the session images,
    /// whose smooth red halos the average filter suits), 54.1 MB against 53.5 MB in all (+1.1 %);
    /// before.png encoded in 0.36 s against 0.45–0.54 s, after.png in 0.46 s against 0.54–0.57 s.
    case fast
    /// RLE trying the up and average filters: 4 % smaller than `fast` on the synthetic
    /// render-like images above for 16 % more time; on real renders up to 2.4 % (see `fast`).
    /// On noise-free or flat images (charts, masks) it can be larger than `fast`; use
    /// `smallest` for those.
    case balanced
    /// Final images, and any content: RLE trying the average and Paeth filters, the smallest
    /// files measured on every kind of image among settings that are fast on renders.
    case smallest

    /// The zlib and filter settings behind the preset.
    public var encoderSettings: PNGEncoderSettings {
        switch self {
        case .fast: PNGEncoderSettings(level: 1, strategy: .rle, filters: .up, memoryLevel: 9)
        case .balanced: PNGEncoderSettings(level: 1, strategy: .rle, filters: [.up, .average], memoryLevel: 9)
        case .smallest: PNGEncoderSettings(level: 1, strategy: .rle, filters: [.average, .paeth], memoryLevel: 9)
        }
    }
}
