import Foundation
import PoissonDisk

/// Where a photo can show inked scalp, from a coarse grid of rays through the fitted camera:
/// the composite traces only the pixels near a coarse ray that met the scalp within reach of a
/// dot (the face, neck, background and untreated scalp, most of a portrait, cost nothing), and
/// the chart textures cover only the part of the chart those rays saw.
public struct PhotoScalpCoverage: Sendable {
    /// Pixels between coarse rays, each way.
    let step: Int
    let gridColumns: Int
    let gridRows: Int
    /// Per coarse cell: a ray in it or within two cells of it met inked scalp.
    let nearScalp: [Bool]
    /// The chart rectangle (mm) the scalp rays met, grown by `marginMM`; nil: no scalp in sight.
    let chartBounds: (minX: Double, minY: Double, maxX: Double, maxY: Double)?

    /// Beyond the farthest coarse ray, more than a texture's edge fade (`ChartTexture.edgeFade`).
    static let marginMM = 15.0
    /// The chart cells dots are counted in: a cell with a dot and its neighbours are "within
    /// reach", at least one cell (6 mm) beyond any dot: the skin's sideways light transport of a
    /// dot's shadow has fallen to nothing a byte shows by then.
    static let inkCellMM = 6.0

    init(camera: HeadCamera, head: HeadModel, dots: [PoissonDot], rows: Range<Int>, columns: Range<Int>) {
        // The chart points the composite will look up: through the view's own geometry.
        let geometry = HeadViewGeometry(camera: camera, head: head)
        let cell = Self.inkCellMM
        var inked = Set<SIMD2<Int32>>()
        for dot in dots {
            let c = SIMD2(Int32((dot.xMM / cell).rounded(.down)), Int32((dot.yMM / cell).rounded(.down)))
            for dy in Int32(-1)...1 { for dx in Int32(-1)...1 { inked.insert(c &+ SIMD2(dx, dy)) } }
        }
        let width = camera.widthPixels, height = camera.heightPixels
        step = max(2, min(8, max(width, height) / 250))
        gridColumns = (width + step - 1) / step
        gridRows = (height + step - 1) / step
        var seen = [Bool](repeating: false, count: gridColumns * gridRows)
        var low = SIMD2(Double.infinity, .infinity), high = -low
        let rowCells = (rows.lowerBound / step)..<((rows.upperBound + step - 1) / step)
        let columnCells = (columns.lowerBound / step)..<((columns.upperBound + step - 1) / step)
        for r in rowCells {
            for c in columnCells {
                let x = Double(min(c * step + step / 2, width - 1)) + 0.5, y = Double(min(r * step + step / 2, height - 1)) + 0.5
                guard let hit = head.intersect(origin: camera.eye, direction: camera.ray(x: x, y: y), edgeSlope: 0).hit,
                      head.scalpWeight(at: hit.point, active: hit.active) > 0 else { continue }
                let point = geometry.chartPoint(hit.point)
                guard inked.contains(SIMD2(Int32((point.x / cell).rounded(.down)), Int32((point.y / cell).rounded(.down)))) else { continue }
                seen[r * gridColumns + c] = true
                // Near the outline one pixel spans millimetres of chart: the rays two pixels
                // either side of the coarse one bound what the traced pixels around it see.
                for (dx, dy) in [(-2.0, 0.0), (2.0, 0.0), (0.0, -2.0), (0.0, 2.0), (0.0, 0.0)] {
                    let near = dx == 0 && dy == 0 ? hit
                        : head.intersect(origin: camera.eye, direction: camera.ray(x: x + dx * Double(step), y: y + dy * Double(step)), edgeSlope: 0).hit
                    guard let near else { continue }
                    let p = geometry.chartPoint(near.point)
                    low = pointwiseMin(low, p)
                    high = pointwiseMax(high, p)
                }
            }
        }
        // Two cells around each: the outline of the head, where the scalp is a sliver a coarse ray
        // can step over, stays traced.
        var near = seen
        for r in 0..<gridRows {
            for c in 0..<gridColumns where seen[r * gridColumns + c] {
                for dr in -2...2 {
                    for dc in -2...2 {
                        let rr = r + dr, cc = c + dc
                        if rr >= 0, rr < gridRows, cc >= 0, cc < gridColumns { near[rr * gridColumns + cc] = true }
                    }
                }
            }
        }
        nearScalp = near
        let m = Self.marginMM
        chartBounds = low.x.isFinite ? (low.x - m, low.y - m, high.x + m, high.y + m) : nil
    }

    @inline(__always)
    func mightSeeScalp(column: Int, row: Int) -> Bool {
        nearScalp[(row / step) * gridColumns + column / step]
    }

    /// The part of `full` (a whole-map view) the scalp rays saw; `full` itself when they saw none.
    func textureView(within full: MapView) -> MapView {
        guard let b = chartBounds else { return full }
        let minX = max(full.originXMM, b.minX), minY = max(full.originYMM, b.minY)
        let maxX = min(full.originXMM + full.widthMM, b.maxX), maxY = min(full.originYMM + full.heightMM, b.maxY)
        guard maxX > minX, maxY > minY else { return full }
        return MapView(originXMM: minX, originYMM: minY, widthMM: maxX - minX, heightMM: maxY - minY, pixelsPerMM: full.pixelsPerMM)
    }
}
