import Foundation

/// Measurements of a dot set, used by the tests and the calibration tool: achieved
/// density, nearest-neighbour distance, the relative radius ρ, the largest empty circle and
/// how evenly neighbours spread over the directions.
public struct PointSetStatistics: Sendable {
    public let dots: [PoissonDot]

    public init(_ dots: [PoissonDot]) { self.dots = dots }

    /// Dots whose centre lies in `region`, per cm².
    public func achievedDotsPerCM2(in region: RectMM) -> Double {
        let count = dots.reduce(0) { $0 + (region.contains(xMM: $1.xMM, yMM: $1.yMM) ? 1 : 0) }
        return Double(count) / region.areaCM2
    }

    /// The smallest distance between two dots (∞ for fewer than two).
    public func minimumDistanceMM() -> Double {
        guard dots.count > 1, let largest = dots.map(\.spacingMM).max(), largest > 0 else { return .infinity }
        let grid = NeighbourGrid(dots, cellSizeMM: largest)
        var best = Double.infinity
        for i in dots.indices {
            grid.forEachNeighbour(of: dots[i].xMM, dots[i].yMM) { j in
                guard j != i else { return }
                let dx = dots[i].xMM - dots[j].xMM, dy = dots[i].yMM - dots[j].yMM
                best = min(best, (dx * dx + dy * dy).squareRoot())
            }
        }
        return best
    }

    /// Relative radius ρ = d_min / d_hex (Lagae & Dutré, "A comparison of methods for generating
    /// Poisson disk distributions", CGF 2008), d_hex the spacing of a hexagonal packing of the
    /// same count over `area`: d_hex = √(2A / (√3 N)). Dots outside `region` are ignored.
    public func relativeRadius(in region: RectMM) -> Double {
        let inside = dots.filter { region.contains(xMM: $0.xMM, yMM: $0.yMM) }
        guard inside.count > 1 else { return 0 }
        let hexagonalSpacing = (2 * region.widthMM * region.heightMM / (3.0.squareRoot() * Double(inside.count))).squareRoot()
        return PointSetStatistics(inside).minimumDistanceMM() / hexagonalSpacing
    }

    /// How evenly the directions between near neighbours spread over the half circle: every
    /// pair of dots closer than `radiusMM` whose first dot (in the array's order) lies in
    /// `region`, its direction folded into [0°, 180°) and counted in `sectors` equal sectors;
    /// returns each sector's count over the mean. An isotropic pattern gives 1 in every
    /// sector, up to counting noise (about 1/√count). A fill made in a fixed order, row by row
    /// say, leans the pairs towards that order's directions.
    public func pairDirectionSpread(in region: RectMM, radiusMM: Double, sectors: Int = 12) -> [Double] {
        let grid = NeighbourGrid(dots, cellSizeMM: radiusMM)
        var counts = [Int](repeating: 0, count: sectors)
        for i in dots.indices where region.contains(xMM: dots[i].xMM, yMM: dots[i].yMM) {
            grid.forEachNeighbour(of: dots[i].xMM, dots[i].yMM) { j in
                guard j > i else { return }
                let dx = dots[j].xMM - dots[i].xMM, dy = dots[j].yMM - dots[i].yMM
                guard dx * dx + dy * dy < radiusMM * radiusMM else { return }
                var angle = atan2(dy, dx)
                if angle < 0 { angle += Double.pi }
                counts[min(Int(angle / Double.pi * Double(sectors)), sectors - 1)] += 1
            }
        }
        let mean = Double(counts.reduce(0, +)) / Double(sectors)
        return counts.map { mean > 0 ? Double($0) / mean : 0 }
    }

    /// The radius of the largest circle centred on a probe point of `region` (probes every
    /// `stepMM`) that holds no dot centre, and where it is. A maximal fill has this below the
    /// local spacing: a wider hole would have room for one more dot.
    public func largestEmptyCircle(in region: RectMM, stepMM: Double, searchRadiusMM: Double) -> (radiusMM: Double, xMM: Double, yMM: Double) {
        let grid = NeighbourGrid(dots, cellSizeMM: searchRadiusMM)
        var worst = (radiusMM: 0.0, xMM: region.minXMM, yMM: region.minYMM)
        var y = region.minYMM
        while y <= region.maxYMM {
            var x = region.minXMM
            while x <= region.maxXMM {
                var nearest = searchRadiusMM * searchRadiusMM
                grid.forEachNeighbour(of: x, y) { j in
                    let dx = dots[j].xMM - x, dy = dots[j].yMM - y
                    nearest = min(nearest, dx * dx + dy * dy)
                }
                let radius = nearest.squareRoot()
                if radius > worst.radiusMM { worst = (radius, x, y) }
                x += stepMM
            }
            y += stepMM
        }
        return worst
    }
}

/// A bucket grid over dot positions: visits the dots in the 3 × 3 cells around a point, i.e.
/// every dot within one cell size of it.
struct NeighbourGrid {
    let cellSizeMM: Double
    let minX: Double, minY: Double
    let columns: Int, rows: Int
    var start: [Int]
    var members: [Int]

    init(_ dots: [PoissonDot], cellSizeMM: Double) {
        self.cellSizeMM = cellSizeMM
        minX = dots.map(\.xMM).min() ?? 0
        minY = dots.map(\.yMM).min() ?? 0
        let maxX = dots.map(\.xMM).max() ?? 0, maxY = dots.map(\.yMM).max() ?? 0
        columns = Int((maxX - minX) / cellSizeMM) + 1
        rows = Int((maxY - minY) / cellSizeMM) + 1
        var counts = [Int](repeating: 0, count: columns * rows + 1)
        var cellIndex = [Int](repeating: 0, count: dots.count)
        for (i, dot) in dots.enumerated() {
            let column = Int((dot.xMM - minX) / cellSizeMM), row = Int((dot.yMM - minY) / cellSizeMM)
            cellIndex[i] = row * columns + column
            counts[cellIndex[i] + 1] += 1
        }
        for k in 1..<counts.count { counts[k] += counts[k - 1] }
        start = counts
        members = [Int](repeating: 0, count: dots.count)
        var fill = counts
        for i in dots.indices {
            members[fill[cellIndex[i]]] = i
            fill[cellIndex[i]] += 1
        }
    }

    func forEachNeighbour(of x: Double, _ y: Double, _ body: (Int) -> Void) {
        let column = Int(((x - minX) / cellSizeMM).rounded(.down)), row = Int(((y - minY) / cellSizeMM).rounded(.down))
        for r in max(row - 1, 0)...max(min(row + 1, rows - 1), 0) where r >= row - 1 && r <= row + 1 {
            for c in max(column - 1, 0)...max(min(column + 1, columns - 1), 0) where c >= column - 1 && c <= column + 1 {
                let cell = r * columns + c
                for k in start[cell]..<start[cell + 1] { body(members[k]) }
            }
        }
    }
}
