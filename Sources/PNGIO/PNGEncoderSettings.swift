import PNGShim

/// The knobs of PNG encoding that trade file size against encoding time: the deflate library,
/// its level (and zlib's strategy and memory level), and which row filters each row may use.
///
/// The ``PNGCompression`` presets are measured choices of these; use this type
/// directly only to measure other settings.
public struct PNGEncoderSettings: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The library that deflates the image data.
    public enum Library: Int32, Sendable, CaseIterable, Equatable, Hashable {
        /// zlib: levels 0...9, every strategy and memory level.
        case zlib = 0 // PNGSHIM_DEFLATE_ZLIB
        /// Intel's ISA-L (igzip): levels 0...3; strategy and memory level do not apply. Only
        /// with ``PNGWriter/Encoder/parallel(threads:)``: libpng's own stream is zlib's.
        case isal = 1 // PNGSHIM_DEFLATE_ISAL
    }

    /// zlib's compression strategy.
    public enum Strategy: Int32, Sendable, CaseIterable, Equatable, Hashable {
        /// Normal LZ77 matching plus Huffman coding.
        case `default` = 0   // PNGSHIM_STRATEGY_DEFAULT
        /// Favours Huffman coding over short matches; meant for filtered image data.
        case filtered = 1    // PNGSHIM_STRATEGY_FILTERED
        /// Huffman coding only, no matches.
        case huffmanOnly = 2 // PNGSHIM_STRATEGY_HUFFMAN_ONLY
        /// Matches of distance 1 only (run lengths): fast, good on filtered image data.
        case rle = 3         // PNGSHIM_STRATEGY_RLE
        /// Fixed Huffman codes.
        case fixed = 4       // PNGSHIM_STRATEGY_FIXED
    }

    /// The row filters libpng may choose from, per row. With more than one, libpng picks
    /// per row the filter whose output has the smallest sum of absolute values.
    public struct RowFilters: OptionSet, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let none = RowFilters(rawValue: PNGSHIM_FILTER_NONE)
        public static let sub = RowFilters(rawValue: PNGSHIM_FILTER_SUB)
        public static let up = RowFilters(rawValue: PNGSHIM_FILTER_UP)
        public static let average = RowFilters(rawValue: PNGSHIM_FILTER_AVG)
        public static let paeth = RowFilters(rawValue: PNGSHIM_FILTER_PAETH)
        public static let all: RowFilters = [.none, .sub, .up, .average, .paeth]

        public var description: String {
            if self == .all { return "all" }
            let names: [(RowFilters, String)] = [(.none, "none"), (.sub, "sub"), (.up, "up"), (.average, "avg"), (.paeth, "paeth")]
            let chosen = names.filter { contains($0.0) }.map(\.1)
            return chosen.isEmpty ? "(no filter)" : chosen.joined(separator: "+")
        }
    }

    /// The deflate library.
    public var library: Library
    /// Level: zlib 0 (store) ... 9 (smallest); ISA-L 0 ... 3.
    public var level: Int
    /// zlib strategy.
    public var strategy: Strategy
    /// Row filters to choose from; must not be empty.
    public var filters: RowFilters
    /// zlib memory level, 1 ... 9 (8 is zlib's default).
    public var memoryLevel: Int
    /// ISA-L only: a piece whose filtered bytes are nearly all residuals of −1, 0 or 1 (a smooth
    /// image, such as a render at high px/mm) is deflated by zlib's RLE at level 1 instead,
    /// whose runs code such bytes in under a bit each where ISA-L's matches and literals take
    /// more. Decided per piece from its bytes alone, so the bytes still do not depend on the
    /// thread count.
    public var smoothPiecesByZlibRLE: Bool

    public init(library: Library = .zlib, level: Int, strategy: Strategy = .default, filters: RowFilters,
                memoryLevel: Int = 8, smoothPiecesByZlibRLE: Bool = false) {
        self.library = library
        self.level = level
        self.strategy = strategy
        self.filters = filters
        self.memoryLevel = memoryLevel
        self.smoothPiecesByZlibRLE = smoothPiecesByZlibRLE
    }

    public var description: String {
        switch library {
        case .zlib: "level \(level), \(strategy), filters \(filters), memLevel \(memoryLevel)"
        case .isal: "ISA-L level \(level), filters \(filters)" + (smoothPiecesByZlibRLE ? ", smooth pieces zlib RLE" : "")
        }
    }

    /// Throws unless every knob is in range.
    func validate(path: String) throws(PNGError) {
        if smoothPiecesByZlibRLE && library != .isal {
            throw PNGError(.invalidArgument, .writing, path: path,
                           reason: "smooth pieces by zlib RLE is an ISA-L setting: with zlib choose the strategy instead")
        }
        if library == .isal {
            guard (0...3).contains(level) else {
                throw PNGError(.invalidArgument, .writing, path: path, reason: "ISA-L level \(level) is not allowed: use 0...3")
            }
        }
        guard (0...9).contains(level) else {
            throw PNGError(.invalidArgument, .writing, path: path, reason: "zlib level \(level) is not allowed: use 0...9")
        }
        guard (1...9).contains(memoryLevel) else {
            throw PNGError(.invalidArgument, .writing, path: path, reason: "zlib memory level \(memoryLevel) is not allowed: use 1...9")
        }
        guard !filters.intersection(.all).isEmpty, filters.subtracting(.all).isEmpty else {
            throw PNGError(.invalidArgument, .writing, path: path, reason: "row filters must be a non-empty set of none, sub, up, average, paeth")
        }
    }
}
