import Foundation

/// The eye's achromatic contrast sensitivity after Mannos & Sakrison (IEEE Trans. Inf. Theory
/// 20(4), 1974): A(f) = 2.6 (0.0192 + 0.114 f) e^(−(0.114 f)^1.1), f in cycles per degree,
/// used as a low-pass filter (`PanelPixels.seen`): normalised to 1 at its peak and held at 1
/// below it, so the mean tone and slow shading pass whole (`ViewingDistance`).
public enum ContrastSensitivity {
    /// Mannos–Sakrison's sensitivity at `cyclesPerDegree`, low-pass form, 1 at and below the peak.
    public static func lowPass(cyclesPerDegree f: Double) -> Double {
        func raw(_ f: Double) -> Double { 2.6 * (0.0192 + 0.114 * f) * exp(-pow(0.114 * f, 1.1)) }
        return f <= peakCyclesPerDegree ? 1 : raw(f) / raw(peakCyclesPerDegree)
    }

    /// Where Mannos–Sakrison peaks: d/df of (0.0192 + 0.114 f) e^(−(0.114 f)^1.1) = 0, solved
    /// numerically (8.0 cycles per degree).
    static let peakCyclesPerDegree: Double = {
        var best = 0.0, bestValue = 0.0
        for step in 1...4000 {
            let f = Double(step) / 100
            let value = (0.0192 + 0.114 * f) * exp(-pow(0.114 * f, 1.1))
            if value > bestValue { (best, bestValue) = (f, value) }
        }
        return best
    }()
}

/// Rendered panel pixels at their map scale, as a row image for a strip or sheet.
public struct ScaledPanel: RowImage {
    public var pixels: PanelPixels
    public var pixelsPerMM: Double?
    public var widthPixels: Int { pixels.width }
    public var heightPixels: Int { pixels.height }

    public func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int) {
        let rowBytes = pixels.width * 3
        pixels.bytes.withUnsafeBytes { source in
            guard let from = source.baseAddress, let to = output.baseAddress else { return }
            for row in rows { (to + (row - rows.lowerBound) * rowStride).copyMemory(from: from + row * rowBytes, byteCount: rowBytes) }
        }
    }
}

extension PanelPixels {
    /// Local RMS contrast of linear luminance: each pixel's difference from the mean of the
    /// (2r + 1)² square around it (clipped at the edges), RMS over the panel, over the panel's
    /// mean luminance. Texture at the scale of dots, not the skin's slow shading.
    public func localContrast(radiusPixels r: Int) -> Double {
        let luminance = linearChannels().luminance
        // Summed-area table, one row and column of zeros in front.
        var table = [Double](repeating: 0, count: (width + 1) * (height + 1))
        for y in 0..<height {
            var row = 0.0
            for x in 0..<width {
                row += luminance[y * width + x]
                table[(y + 1) * (width + 1) + x + 1] = table[y * (width + 1) + x + 1] + row
            }
        }
        var squares = 0.0
        for y in 0..<height {
            let top = max(0, y - r), bottom = min(height, y + r + 1)
            for x in 0..<width {
                let left = max(0, x - r), right = min(width, x + r + 1)
                let sum = table[bottom * (width + 1) + right] - table[top * (width + 1) + right]
                    - table[bottom * (width + 1) + left] + table[top * (width + 1) + left]
                let difference = luminance[y * width + x] - sum / Double((bottom - top) * (right - left))
                squares += difference * difference
            }
        }
        let mean = luminance.reduce(0, +) / Double(max(1, luminance.count))
        return mean > 0 ? (squares / Double(max(1, luminance.count))).squareRoot() / mean : 0
    }

    /// The three channels in linear light, and Rec. 709 luminance.
    func linearChannels() -> (channels: [[Double]], luminance: [Double]) {
        let table = (0...255).map { Double(SRGBTransfer.decode(UInt8($0))) }
        var channels = [[Double]](repeating: [Double](repeating: 0, count: width * height), count: 3)
        for i in 0..<(width * height) {
            for c in 0..<3 { channels[c][i] = table[Int(bytes[3 * i + c])] }
        }
        let luminance = (0..<(width * height)).map { 0.2126 * channels[0][$0] + 0.7152 * channels[1][$0] + 0.0722 * channels[2][$0] }
        return (channels, luminance)
    }

    /// These pixels as an eye `distanceMM` away resolves them (`ContrastSensitivity`), at the same
    /// size: each linear channel filtered in the cosine domain (edges mirror, no wrap).
    func seen(fromMM distanceMM: Double, pixelsPerMM: Double) -> PanelPixels {
        let (channels, _) = linearChannels()
        let columns = CosineTransform(size: width), rows = CosineTransform(size: height)
        let degreesPerMM = 180 / (Double.pi * distanceMM)
        // DCT-II basis k has k / (2N) cycles per pixel.
        func gain(_ kx: Int, _ ky: Int) -> Double {
            let fx = Double(kx) / Double(2 * width), fy = Double(ky) / Double(2 * height)
            let cyclesPerMM = (fx * fx + fy * fy).squareRoot() * pixelsPerMM
            return ContrastSensitivity.lowPass(cyclesPerDegree: cyclesPerMM / degreesPerMM)
        }
        var gains = [Double](repeating: 0, count: width * height)
        for ky in 0..<height { for kx in 0..<width { gains[ky * width + kx] = gain(kx, ky) } }
        var output = [UInt8](repeating: 0, count: width * height * 3)
        SRGBTransfer.encodeTable.withUnsafeBufferPointer { table in
            for c in 0..<3 {
                var spectrum = CosineTransform.forward2D(channels[c], width: width, height: height, columns: columns, rows: rows)
                for i in spectrum.indices { spectrum[i] *= gains[i] }
                let filtered = CosineTransform.inverse2D(spectrum, width: width, height: height, columns: columns, rows: rows)
                for i in 0..<(width * height) {
                    output[3 * i + c] = SRGBTransfer.encode(Float(min(1, max(0, filtered[i]))), table: table)
                }
            }
        }
        return PanelPixels(width: width, height: height, bytes: output)
    }
}

/// The orthonormal DCT-II of one length as a matrix: a direct O(N²) product per line, plenty for
/// panels of a few hundred pixels.
struct CosineTransform {
    let size: Int
    /// basis[k * size + n] = s(k) cos(π (n + ½) k / N), orthonormal.
    let basis: [Double]

    init(size: Int) {
        self.size = size
        var basis = [Double](repeating: 0, count: size * size)
        for k in 0..<size {
            let scale = (k == 0 ? 1 : 2.0).squareRoot() / Double(size).squareRoot()
            for n in 0..<size { basis[k * size + n] = scale * cos(Double.pi * (Double(n) + 0.5) * Double(k) / Double(size)) }
        }
        self.basis = basis
    }

    /// y = B x (forward) or Bᵀ x (inverse) for each line of `data` along one axis.
    func apply(_ data: [Double], lines: Int, stride: Int, step: Int, inverse: Bool) -> [Double] {
        var result = data
        var line = [Double](repeating: 0, count: size)
        basis.withUnsafeBufferPointer { b in
            for l in 0..<lines {
                let start = l * stride
                for n in 0..<size { line[n] = data[start + n * step] }
                for k in 0..<size {
                    var sum = 0.0
                    if inverse {
                        for n in 0..<size { sum += b[n * size + k] * line[n] }
                    } else {
                        let row = k * size
                        for n in 0..<size { sum += b[row + n] * line[n] }
                    }
                    result[start + k * step] = sum
                }
            }
        }
        return result
    }

    static func forward2D(_ data: [Double], width: Int, height: Int, columns: CosineTransform, rows: CosineTransform) -> [Double] {
        let alongRows = columns.apply(data, lines: height, stride: width, step: 1, inverse: false)
        return rows.apply(alongRows, lines: width, stride: 1, step: width, inverse: false)
    }

    static func inverse2D(_ data: [Double], width: Int, height: Int, columns: CosineTransform, rows: CosineTransform) -> [Double] {
        let alongColumns = rows.apply(data, lines: width, stride: 1, step: width, inverse: true)
        return columns.apply(alongColumns, lines: height, stride: width, step: 1, inverse: true)
    }
}
