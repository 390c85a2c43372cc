/// How hard ``PNGWriter`` compresses. The pixels are lossless and identical for every
/// preset; only file size and encoding time differ.
///
/// Chosen by measurement (`PNGCompressionTests.measurePresets`) on 2048 × 2048 RGB images
/// like the renderer's: smooth skin with fine noise of ±2 levels and 6000 soft dots 1–3 px
/// across; the same on a plain background; and a noise-free variant. On such images zlib's
/// RLE strategy beats every level of the default strategy in size *and* time: the noise
/// makes the short LZ77 matches that levels 1–9 search for cost more bits than they save,
/// while runs (of zeros after filtering, e.g. plain background) are all that pay. With RLE
/// zlib ignores the level (any level above 0 is the same), so the presets differ in how
/// many row filters libpng tries per row. Level 9 with the default strategy was 8 % larger
/// than `smallest` on renders and 10 × slower; it is 7 % smaller only on noise-free images
/// (use ``PNGEncoderSettings`` for that case).
public enum PNGCompression: String, Sendable, CaseIterable {
    /// Quick previews and parameter sweeps: RLE, the average filter only.
    case fast
    /// The default: RLE, average and Paeth filters; within 0.3 % of `smallest`.
    case balanced
    /// Final images and archives: RLE, all five filters, zlib memory level 9.
    case smallest

    /// The zlib and filter settings behind the preset.
    public var encoderSettings: PNGEncoderSettings {
        switch self {
        case .fast: PNGEncoderSettings(level: 1, strategy: .rle, filters: .average)
        case .balanced: PNGEncoderSettings(level: 1, strategy: .rle, filters: [.average, .paeth], memoryLevel: 9)
        case .smallest: PNGEncoderSettings(level: 1, strategy: .rle, filters: .all, memoryLevel: 9)
        }
    }
}
