/// A square of the final sweep's quadtree over one grid cell (`SamplerState.fillEmptyCell`),
/// packed in one vector for the quadtree's stack; the lanes are named for what they hold.
struct SweepSquare {
    var lanes: SIMD4<Float>

    /// The corner nearest the grid's origin, grid-relative mm.
    @inline(__always) var x: Float { lanes.x }
    @inline(__always) var y: Float { lanes.y }
    /// The side, mm.
    @inline(__always) var side: Float { lanes.z }
    /// The quadtree level: 1 is a quarter of the cell, 3 a coverage subcell (`CoverageMask`).
    /// A Float, as the vector's fourth lane.
    @inline(__always) var depth: Float { lanes.w }

    @inline(__always)
    init(x: Float, y: Float, side: Float, depth: Float) {
        lanes = SIMD4(x, y, side, depth)
    }
}
