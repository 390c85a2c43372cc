import Foundation
import PhotoIO
import PoissonDisk

/// `photo.mask.mode: replace`: the painted mask is the treatment area. Each chart cell of the
/// scalp the fitted camera sees takes the mask's grey under it (through `HeadViewGeometry`'s
/// chart, as the composite looks the chart up), and the plan's sessions place their dots there
/// at each session's full density (the design's dots per cm² times the session's density
/// factor, as on fully bald scalp: no region factors, no feathering into hair), on the chart as
/// always, so the dots stay per cm² of real scalp however the photo foreshortens it.
extension SceneRendering {
    /// The dots the photo outputs show and the mask their composite applies: the plan's dots
    /// under the painted mask (`restrict`, or no mask), or the mask's own dots (`replace`) with
    /// every pixel the mask leaves black kept as the photo (their shadows in the skin do not
    /// spill past the painted edge).
    func photoTreatment(_ prepared: PreparedPhoto, map: ScalpMap, planDots: [PoissonDot]) throws -> (dots: [PoissonDot], mask: [UInt8]?) {
        guard scene.photo?.maskMode == .replace, let mask = prepared.mask else { return (planDots, prepared.mask) }
        return (try maskReplacedDots(prepared, map: map), mask.map { $0 > 0 ? 255 : 0 })
    }

    /// The dots of the photo's own plan: the scene's sessions over the mask's area.
    func maskReplacedDots(_ prepared: PreparedPhoto, map: ScalpMap) throws -> [PoissonDot] {
        guard let mask = prepared.mask else { return [] }
        let coverage = Self.maskCoverage(mask: mask, photo: prepared.photo, camera: prepared.fit.camera,
                                         head: HeadModel(shape: scene.head), map: map)
        let plan = scene.sessionPlan
        let densities = try plan.sessions.map { session in
            let full = Float(plan.design.dotsPerCM2 * session.densityFactor)
            return try DensityRaster(originXMM: map.bounds.minXMM, originYMM: map.bounds.minYMM, cellSizeMM: map.cellMM,
                                     columns: map.columns, rows: map.rows, dotsPerCM2: coverage.map { $0 * full })
        }
        return try DotPlacement.dots(for: plan, densities: densities, on: map)
    }

    /// Per map cell (row-major), the mask's grey (0 to 1) where the camera sees that cell's scalp;
    /// 0 where it does not (hidden, off the photo, off the scalp).
    static func maskCoverage(mask: [UInt8], photo: Photo, camera: HeadCamera, head: HeadModel, map: ScalpMap) -> [Float] {
        func grey(chartX x: Double, chartY y: Double) -> Float {
            guard let point = HeadViewGeometry.surfacePoint(chartMM: SIMD2(x, y), head: head),
                  let pixel = camera.project(point) else { return 0 }
            let column = Int(pixel.x.rounded(.down)), row = Int(pixel.y.rounded(.down))
            guard column >= 0, column < photo.width, row >= 0, row < photo.height else { return 0 }
            let value = mask[row * photo.width + column]
            guard value > 0 else { return 0 }
            // Seen: nothing of the head lies before the point on the ray to it (the far side of
            // the skull has the near side before it). A few mm of slack: at a grazing angle the
            // ray meets the surface a little before the point the chart names.
            let toPoint = point - camera.eye, length = (toPoint * toPoint).sum().squareRoot()
            guard let hit = head.intersect(origin: camera.eye, direction: toPoint / length, edgeSlope: 0).hit,
                  hit.distanceMM > length - 5, head.scalpWeight(at: hit.point, active: hit.active) > 0 else { return 0 }
            return Float(value) / 255
        }
        // A coarse pass (every `stride` cells) finds the painted part; only cells near a painted
        // coarse cell are looked up one by one.
        let stride = 8
        let coarseColumns = (map.columns + stride - 1) / stride, coarseRows = (map.rows + stride - 1) / stride
        var coarse = [Float](repeating: 0, count: coarseColumns * coarseRows)
        func centre(_ column: Int, _ row: Int) -> (Double, Double) {
            (map.bounds.minXMM + (Double(column) + 0.5) * map.cellMM, map.bounds.minYMM + (Double(row) + 0.5) * map.cellMM)
        }
        for r in 0..<coarseRows {
            for c in 0..<coarseColumns {
                let column = min(c * stride + stride / 2, map.columns - 1), row = min(r * stride + stride / 2, map.rows - 1)
                guard map.region[row * map.columns + column] != nil else { continue }
                let (x, y) = centre(column, row)
                coarse[r * coarseColumns + c] = grey(chartX: x, chartY: y)
            }
        }
        var out = [Float](repeating: 0, count: map.columns * map.rows)
        for row in 0..<map.rows {
            for column in 0..<map.columns where map.region[row * map.columns + column] != nil {
                let r = row / stride, c = column / stride
                var near = false
                for dr in -1...1 {
                    for dc in -1...1 {
                        let rr = r + dr, cc = c + dc
                        if rr >= 0, rr < coarseRows, cc >= 0, cc < coarseColumns, coarse[rr * coarseColumns + cc] > 0 { near = true }
                    }
                }
                guard near else { continue }
                let (x, y) = centre(column, row)
                out[row * map.columns + column] = grey(chartX: x, chartY: y)
            }
        }
        return out
    }
}
