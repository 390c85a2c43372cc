import PoissonDisk

/// `density.png`: the achieved density of dots per cm² over the scalp chart as a heat map, with
/// a legend strip under it, for the technician to check the plan region by region.
///
/// The density at a point is the count of dots within a square window of `windowMM` around it
/// (two passes of a box filter over 0.5 mm cells, so effectively a tent of that width) divided
/// by the window's area. Colours follow viridis (perceptually even, readable by colour-blind
/// viewers); off the scalp the map is grey.
public struct DensityHeatMap: RowImage {
    public let bounds: RectMM
    public let scale: Double
    public let maximumDotsPerCM2: Double
    let cellMM: Double
    let columns: Int
    let rows: Int
    let density: [Float]
    let isScalp: [Bool]
    let mapHeight: Int
    public let legendHeight = 58

    public static let windowMM = 12.0

    public init(map: ScalpMap, dots: [PoissonDot], pixelsPerMM: Double = 2, maximumDotsPerCM2: Double) {
        bounds = map.bounds
        scale = pixelsPerMM
        self.maximumDotsPerCM2 = max(maximumDotsPerCM2, 1)
        cellMM = map.cellMM
        columns = map.columns
        rows = map.rows
        var counts = [Float](repeating: 0, count: columns * rows)
        for dot in dots {
            let column = Int((dot.xMM - bounds.minXMM) / cellMM), row = Int((dot.yMM - bounds.minYMM) / cellMM)
            guard (0..<columns).contains(column), (0..<rows).contains(row) else { continue }
            counts[row * columns + column] += 1
        }
        let radius = Int(DensityHeatMap.windowMM / 4 / cellMM)
        let smoothed = ScalpMap.boxBlur(ScalpMap.boxBlur(counts, columns: columns, rows: rows, radius: radius),
                                        columns: columns, rows: rows, radius: radius)
        let cellAreaCM2 = Float(cellMM * cellMM / 100)
        density = smoothed.map { $0 / cellAreaCM2 }
        isScalp = map.region.map { $0 != nil }
        mapHeight = max(1, Int((bounds.heightMM * scale).rounded()))
    }

    public var widthPixels: Int { max(1, Int((bounds.widthMM * scale).rounded())) }
    public var heightPixels: Int { mapHeight + legendHeight }
    public var pixelsPerMM: Double? { scale }

    /// Viridis at t in [0, 1], from five of its stops (sRGB).
    static func viridis(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let x = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2), f = x - Double(i)
        func mix(_ a: Double, _ b: Double) -> UInt8 { UInt8((a + (b - a) * f).rounded()) }
        return (mix(stops[i].0, stops[i + 1].0), mix(stops[i].1, stops[i + 1].1), mix(stops[i].2, stops[i + 1].2))
    }

    public func renderRows(_ rowRange: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        let width = widthPixels
        for row in rowRange {
            var offset = (row - rowRange.lowerBound) * rowStride
            for column in 0..<width {
                let (r, g, b) = row < mapHeight ? mapPixel(column, row) : legendPixel(column, row - mapHeight, width: width)
                output[offset] = r
                output[offset + 1] = g
                output[offset + 2] = b
                offset += 3
            }
        }
    }

    func mapPixel(_ column: Int, _ row: Int) -> (UInt8, UInt8, UInt8) {
        let x = (Double(column) + 0.5) / scale, y = (Double(row) + 0.5) / scale
        let c = min(Int(x / cellMM), columns - 1), r = min(Int(y / cellMM), rows - 1)
        let index = r * columns + c
        guard isScalp[index] else { return (214, 214, 214) }
        return DensityHeatMap.viridis(Double(density[index]) / maximumDotsPerCM2)
    }

    /// The legend: a gradient bar across 80 % of the width with ticks and numbers at 0, ¼, ½,
    /// ¾ and the maximum, and the unit.
    func legendPixel(_ column: Int, _ row: Int, width: Int) -> (UInt8, UInt8, UInt8) {
        let white: (UInt8, UInt8, UInt8) = (255, 255, 255), black: (UInt8, UInt8, UInt8) = (0, 0, 0)
        let left = width / 10, right = width - width / 10
        let barTop = 8, barBottom = 24
        if column >= left && column < right && row >= barTop && row < barBottom {
            return DensityHeatMap.viridis(Double(column - left) / Double(max(right - left - 1, 1)))
        }
        for k in 0...4 {
            let tick = left + (right - left - 1) * k / 4
            if row >= barBottom && row < barBottom + 4 && abs(column - tick) < 1 { return black }
            let label = PixelFont.number(maximumDotsPerCM2 * Double(k) / 4)
            let labelLeft = tick - PixelFont.width(of: label) / 2
            if PixelFont.isInk(label, x: column - labelLeft, y: row - (barBottom + 7)) { return black }
        }
        let unit = "dots/cm2"
        if PixelFont.isInk(unit, x: column - (width / 2 - PixelFont.width(of: unit) / 2), y: row - (barBottom + 22)) { return black }
        return white
    }
}

/// A 3 × 5 pixel font for the legend's digits and unit, drawn at 2× (6 × 10 pixels a glyph).
enum PixelFont {
    static let glyphs: [Character: [String]] = [
        "0": ["111", "101", "101", "101", "111"], "1": ["010", "110", "010", "010", "111"],
        "2": ["111", "001", "111", "100", "111"], "3": ["111", "001", "111", "001", "111"],
        "4": ["101", "101", "111", "001", "001"], "5": ["111", "100", "111", "001", "111"],
        "6": ["111", "100", "111", "101", "111"], "7": ["111", "001", "010", "010", "010"],
        "8": ["111", "101", "111", "101", "111"], "9": ["111", "101", "111", "001", "111"],
        ".": ["000", "000", "000", "000", "010"], "/": ["001", "001", "010", "100", "100"],
        "d": ["001", "001", "111", "101", "111"], "o": ["000", "000", "111", "101", "111"],
        "t": ["010", "111", "010", "010", "011"], "s": ["000", "111", "110", "011", "111"],
        "c": ["000", "000", "111", "100", "111"], "m": ["000", "000", "111", "111", "101"],
    ]
    static let pixel = 2, advance = 4

    static func number(_ value: Double) -> String { String(Int(value.rounded())) }

    static func width(of text: String) -> Int { text.count * advance * pixel - pixel }

    static func isInk(_ text: String, x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, y < 5 * pixel else { return false }
        let index = x / (advance * pixel), within = (x % (advance * pixel)) / pixel
        guard index < text.count, within < 3 else { return false }
        let character = text[text.index(text.startIndex, offsetBy: index)]
        guard let rows = glyphs[character] else { return false }
        let line = Array(rows[y / pixel])
        return line[within] == "1"
    }
}
