import Dispatch
import Foundation

/// The chart's reflectance in linear light, as a map view drew it, with box-filtered mip levels
/// (each texel of level k + 1 the mean of four of level k): what a head view samples over each
/// pixel's footprint. Level 0 texel (c, r) covers chart x ∈ [originX + c/s, originX + (c+1)/s),
/// y likewise, s = `pixelsPerMM`.
///
/// Means of linear reflectance, never of ink: the map renderer already averaged each texel's
/// reflectance over its square (DESIGN.md, "Rendering"), and averaging those again keeps the
/// mean reflectance of any area, so a patch of a view is as dark as the same patch on the map.
public struct ChartTexture: Sendable {
    public let view: MapView
    /// The chart the texture is part of (the whole map): its edge, not the texture's, is where
    /// a view fades to plain skin (`edgeFade`), so a texture over only the chart a view sees
    /// looks the same there.
    public let fadeView: MapView
    /// Level k: `widths[k]` × `heights[k]` texels, row-major, RGB in the first three lanes, in
    /// units of 1/65535 of linear reflectance: half the memory of floats (a render holds a
    /// whole-scalp texture per moment in flight), and a step far below what a view's 8-bit sRGB
    /// output resolves.
    let levels: [[SIMD4<UInt16>]]
    let widths: [Int]
    let heights: [Int]

    /// Renders `image` (a map renderer for `view`) in bands of 16 rows on `threads` threads and
    /// decodes it to linear light. The bands and the order of the sums do not depend on
    /// `threads`, so neither do the texels.
    public init<Image: RowImage>(rendering image: Image, view: MapView, threads: Int, within whole: MapView? = nil) {
        self.view = view
        fadeView = whole ?? view
        let width = image.widthPixels, height = image.heightPixels
        let decode = (0...255).map { UInt16((SRGBTransfer.decode(UInt8($0)) * 65535).rounded()) }
        var base = [SIMD4<UInt16>](repeating: .zero, count: width * height)
        let band = 16, bands = (height + band - 1) / band
        base.withUnsafeMutableBufferPointer { texels in
            let texels = UnsafeSendable(texels)
            DispatchQueue.concurrentPerform(iterations: max(1, min(threads, bands))) { worker in
                let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: band * width * 3, alignment: 16)
                defer { bytes.deallocate() }
                var b = worker
                while b < bands {
                    let rows = (b * band)..<min(height, (b + 1) * band)
                    image.renderRows(rows, into: bytes, rowStride: width * 3)
                    for row in rows {
                        let line = (row - rows.lowerBound) * width * 3
                        for column in 0..<width {
                            texels.value[row * width + column] = SIMD4(decode[Int(bytes[line + 3 * column])],
                                                                       decode[Int(bytes[line + 3 * column + 1])],
                                                                       decode[Int(bytes[line + 3 * column + 2])], 0)
                        }
                    }
                    b += max(1, min(threads, bands))
                }
            }
        }
        var levels = [base], widths = [width], heights = [height]
        while widths.last! > 1 || heights.last! > 1 {
            let w = widths.last!, h = heights.last!
            let nw = (w + 1) / 2, nh = (h + 1) / 2
            let previous = levels.last!
            var next = [SIMD4<UInt16>](repeating: .zero, count: nw * nh)
            for r in 0..<nh {
                let r0 = 2 * r, r1 = min(2 * r + 1, h - 1)
                for c in 0..<nw {
                    let c0 = 2 * c, c1 = min(2 * c + 1, w - 1)
                    let sum = SIMD4<UInt32>(truncatingIfNeeded: previous[r0 * w + c0]) &+ SIMD4<UInt32>(truncatingIfNeeded: previous[r0 * w + c1])
                        &+ SIMD4<UInt32>(truncatingIfNeeded: previous[r1 * w + c0]) &+ SIMD4<UInt32>(truncatingIfNeeded: previous[r1 * w + c1])
                    next[r * nw + c] = SIMD4<UInt16>(truncatingIfNeeded: (sum &+ 2) / 4)   // rounded mean
                }
            }
            levels.append(next)
            widths.append(nw)
            heights.append(nh)
        }
        self.levels = levels
        self.widths = widths
        self.heights = heights
    }

    /// 1 inside the texture, falling smoothly to 0 over the last `fadeMM` before its edge: a view
    /// blends from the map's skin to plain skin there instead of stepping at the map's border.
    public func edgeFade(_ centre: SIMD2<Double>, fadeMM: Double = 8) -> Double {
        let edge = fadeView
        let inside = min(centre.x - edge.originXMM, edge.originXMM + edge.widthMM - centre.x,
                         centre.y - edge.originYMM, edge.originYMM + edge.heightMM - centre.y)
        let t = min(max(inside / fadeMM, 0), 1)
        return t * t * (3 - 2 * t)
    }

    /// Bilinear lookup in level `level` at texel coordinates (u, v) of level 0 (texel centres at
    /// half-integers), clamped to the edge.
    @inline(__always)
    func bilinear(level: Int, u: Double, v: Double) -> SIMD4<Float> {
        let scale = 1 / Double(1 << level)
        let w = widths[level], h = heights[level]
        let x = u * scale - 0.5, y = v * scale - 0.5
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let tx = Float(x - fx), ty = Float(y - fy)
        let c0 = min(max(Int(fx), 0), w - 1), c1 = min(max(Int(fx) + 1, 0), w - 1)
        let r0 = min(max(Int(fy), 0), h - 1), r1 = min(max(Int(fy) + 1, 0), h - 1)
        return levels[level].withUnsafeBufferPointer { t in
            let a = SIMD4<Float>(t[r0 * w + c0]), b = SIMD4<Float>(t[r0 * w + c1])
            let c = SIMD4<Float>(t[r1 * w + c0]), d = SIMD4<Float>(t[r1 * w + c1])
            let top = a + (b - a) * tx, bottom = c + (d - c) * tx
            return (top + (bottom - top) * ty) * (1 / 65535)
        }
    }

    /// The mean reflectance over the parallelogram footprint centred at chart point `centre`
    /// (mm) with edge vectors `edgeX`, `edgeY` (mm): up to `maximumTaps` trilinear taps along its
    /// long edge, the mip level from the footprint's width across (anisotropic filtering), nil
    /// outside the texture.
    public func filtered(centre: SIMD2<Double>, edgeX: SIMD2<Double>, edgeY: SIMD2<Double>, maximumTaps: Int = 8) -> LinearRGB? {
        let s = view.pixelsPerMM
        let u = (centre.x - view.originXMM) * s, v = (centre.y - view.originYMM) * s
        guard u >= 0, v >= 0, u <= Double(widths[0]), v <= Double(heights[0]) else { return nil }
        let ex = edgeX * s, ey = edgeY * s
        let lx = (ex * ex).sum().squareRoot(), ly = (ey * ey).sum().squareRoot()
        let (major, majorLength, minorLength) = lx >= ly ? (ex, lx, ly) : (ey, ly, lx)
        let taps = min(maximumTaps, max(1, Int((majorLength / max(minorLength, 1e-6)).rounded(.up))))
        let width = max(majorLength / Double(taps), minorLength)
        let lod = min(max(log2(max(width, 1e-9)), 0), Double(levels.count - 1))
        let l0 = Int(lod), l1 = min(l0 + 1, levels.count - 1), t = Float(lod - Double(l0))
        var sum = SIMD4<Float>.zero
        for k in 0..<taps {
            let offset = (Double(k) + 0.5) / Double(taps) - 0.5
            let tu = u + major.x * offset, tv = v + major.y * offset
            let a = bilinear(level: l0, u: tu, v: tv)
            sum += t > 0 ? a + (bilinear(level: l1, u: tu, v: tv) - a) * t : a
        }
        let mean = sum / Float(taps)
        return LinearRGB(mean.x, mean.y, mean.z)
    }
}

/// A pointer handed to worker threads that write disjoint parts of it.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
