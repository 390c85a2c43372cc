import Foundation

/// Many components of nearly one width on a level, summed as one blur: each component's ink
/// put on the 5 × 5 cells around it (weights with the component's own centre and an excess
/// variance of 1/4 to 7/4 cell² along each axis), then the level's patch blurred once with a
/// separable Gaussian whose variance plus that excess is the component's. Splatting costs a
/// component its reach squared in cells (several hundred); the blur costs each cell of the
/// patch twice its kernel's width, whatever the number of components, so a dense treated area
/// costs a fraction of its splats.
///
/// The result is the splat's to second order: the 5 × 5 weights have the component's mean and
/// variance exactly, so they differ from a Gaussian of the excess variance only in their higher
/// moments, which the blur of at least 2.4 cells (σ) smooths out (under 0.5 % of a component's
/// peak, `DiffuseFieldTests`).
extension DiffuseField {
    /// A blurred component's variance beyond its group's blur, cells²: at least this much ...
    static let minimumExcess = 0.25
    /// ... and under this much more (what its five-point deposit can hold).
    static let excessRange = 1.5

    /// The components of one level and layer whose variances in the level's cells lie in
    /// `[blurVariance + minimumExcess, blurVariance + minimumExcess + excessRange)`.
    struct BlurGroup {
        let level: Int
        let isDermal: Bool
        /// The Gaussian's variance, in the level's cells squared.
        let blurVariance: Double
        var members: [Int32]
    }

    /// Components of `members` (indices into `components`, on `level` number `index`) sorted into
    /// groups blurred together, in a fixed order (layer, then width); the rest, for which their
    /// own splats cost less, are returned to be splatted.
    static func blurGroups(_ members: [Int32], of components: [InkDot], level: Level, index: Int)
        -> (groups: [BlurGroup], splatted: [Int32]) {
        // A level holds a few widths (the transport kernel's, widened a little by each cloud):
        // few keys, found by a linear search.
        var keys: [Int] = [], lists: [[Int32]] = []
        for i in members {
            let component = components[Int(i)]
            let s = component.sigmaMM / level.cellMM
            let key = 2 * Int(((s * s - minimumExcess) / excessRange).rounded(.down)) + (component.layer == .dermal ? 0 : 1)
            if let k = keys.firstIndex(of: key) {
                lists[k].append(i)
            } else {
                keys.append(key)
                lists.append([i])
            }
        }
        var groups: [BlurGroup] = [], splatted: [Int32] = []
        for k in keys.indices.sorted(by: { keys[$0] < keys[$1] }) {
            let key = keys[k]
            let group = BlurGroup(level: index, isDermal: key & 1 == 0, blurVariance: excessRange * Double(key >> 1), members: lists[k])
            if level.blurCost(group, components: components) < level.splatCost(group.members, components: components) {
                groups.append(group)
            } else {
                splatted += group.members
            }
        }
        splatted.sort()   // the components' order, as the splats always ran
        return (groups, splatted)
    }
}

extension DiffuseField.Level {
    /// Cells a blur of `group` reads and writes: the ink's patch blurred across, then along.
    func blurCost(_ group: DiffuseField.BlurGroup, components: [InkDot]) -> Double {
        guard let patch = patch(of: group, components: components) else { return 0 }
        let taps = Double(2 * patch.radius + 1)
        return Double(patch.inkRows.count * patch.columns.count) * taps + Double(patch.rows.count * patch.columns.count) * taps
            + 25 * Double(group.members.count)
    }

    /// Cells the splats of `members` write.
    func splatCost(_ members: [Int32], components: [InkDot]) -> Double {
        members.reduce(0.0) { sum, i in
            let side = 2 * DiffuseField.reachSigmas * components[Int(i)].sigmaMM / cellMM + 1
            return sum + side * side
        }
    }

    /// Where a group's ink lies (rows and columns of its cells, unclipped: ink may lie outside
    /// the level and reach into it), the cells the blur writes (clipped to the level) and the
    /// blur's radius in cells; nil if it reaches none of the level.
    func patch(of group: DiffuseField.BlurGroup, components: [InkDot])
        -> (inkRows: ClosedRange<Int>, inkColumns: ClosedRange<Int>, rows: ClosedRange<Int>, columns: ClosedRange<Int>, radius: Int)? {
        guard !group.members.isEmpty else { return nil }
        var (minX, maxX, minY, maxY) = (Int.max, Int.min, Int.max, Int.min)
        for i in group.members {
            let (x, y) = nearestCell(components[Int(i)])
            minX = min(minX, x - 2)
            maxX = max(maxX, x + 2)
            minY = min(minY, y - 2)
            maxY = max(maxY, y + 2)
        }
        let radius = Int((DiffuseField.reachSigmas * group.blurVariance.squareRoot()).rounded(.down))
        let r0 = max(0, minY - radius), r1 = min(rows - 1, maxY + radius)
        let c0 = max(0, minX - radius), c1 = min(columns - 1, maxX + radius)
        guard r0 <= r1, c0 <= c1 else { return nil }
        return (minY...maxY, minX...maxX, r0...r1, c0...c1, radius)
    }

    /// The cell nearest the component's centre.
    @inline(__always)
    func nearestCell(_ component: InkDot) -> (x: Int, y: Int) {
        (Int(((component.xMM - originXMM) / cellMM).rounded()), Int(((component.yMM - originYMM) / cellMM).rounded()))
    }

    /// Adds `group`'s components, blurred, into `cells` (this level's dermal or surface grid);
    /// dermal depths times `scale`. The passes run on `threads` threads in fixed strips of rows,
    /// each cell's sum in a fixed order: the same bits for any count.
    func addBlurred(_ group: DiffuseField.BlurGroup, components: [InkDot], scale: SIMD4<Float>,
                    into cells: UnsafeMutableBufferPointer<SIMD4<Float>>, threads: Int) {
        guard let patch = patch(of: group, components: components) else { return }
        let radius = patch.radius, variance = group.blurVariance
        let norm = 1 / (2 * Double.pi * variance).squareRoot()
        let weights = (-radius...radius).map { t in Float(norm * exp(-Double(t * t) / (2 * variance))) }
        let inkRows = patch.inkRows.count, inkColumns = patch.inkColumns.count
        let (x0, y0) = (patch.inkColumns.lowerBound, patch.inkRows.lowerBound)
        // The ink, component by component in their order.
        let ink = UnsafeMutableBufferPointer<SIMD4<Float>>.allocate(capacity: inkRows * inkColumns)
        ink.initialize(repeating: .zero)
        var rowHasInk = [Bool](repeating: false, count: inkRows)
        defer { ink.deallocate() }
        for i in group.members {
            let component = components[Int(i)]
            let cx = (component.xMM - originXMM) / cellMM, cy = (component.yMM - originYMM) / cellMM
            let (nx, ny) = nearestCell(component)
            let s2 = (component.sigmaMM / cellMM) * (component.sigmaMM / cellMM)
            let excess = s2 - variance
            let weightsAcross = Self.fivePoint(offset: cx - Double(nx), variance: excess)
            let weightsDown = Self.fivePoint(offset: cy - Double(ny), variance: excess)
            let peak = component.peakDepth
            let mass = SIMD4<Float>(peak.x, peak.y, peak.z, 0) * scale * Float(2 * Double.pi * s2)
            for dy in 0..<5 {
                let row = ny - 2 + dy - y0
                rowHasInk[row] = true
                let line = ink.baseAddress! + row * inkColumns + (nx - 2 - x0)
                let m = mass * weightsDown[dy]
                for dx in 0..<5 { line[dx] += m * weightsAcross[dx] }
            }
        }
        // Across: each inked row into the patch's columns.
        let columns = patch.columns, width = columns.count
        let across = UnsafeMutableBufferPointer<SIMD4<Float>>.allocate(capacity: inkRows * width)
        defer { across.deallocate() }
        let stripRows = DiffuseField.stripRows
        let shared = UnsafeSendable((ink, across, weights, rowHasInk))
        _ = ParallelWork.map(count: (inkRows + stripRows - 1) / stripRows, threads: threads) { strip in
            let (ink, across, weights, rowHasInk) = shared.value
            weights.withUnsafeBufferPointer { w in
                for row in (strip * stripRows)..<min(inkRows, (strip + 1) * stripRows) where rowHasInk[row] {
                    let line = ink.baseAddress! + row * inkColumns, target = across.baseAddress! + row * width
                    for c in 0..<width {
                        let x = columns.lowerBound + c
                        let first = max(x0, x - radius), last = min(x0 + inkColumns - 1, x + radius)
                        var sum = SIMD4<Float>.zero
                        if first <= last {
                            for source in first...last { sum += line[source - x0] * w[x - source + radius] }
                        }
                        target[c] = sum
                    }
                }
            }
        }
        // Down: each of the patch's rows from the inked rows within the radius, added to the level.
        let outRows = patch.rows, levelColumns = self.columns
        let out = UnsafeSendable((across, weights, rowHasInk, cells))
        _ = ParallelWork.map(count: (outRows.count + stripRows - 1) / stripRows, threads: threads) { strip in
            let (across, weights, rowHasInk, cells) = out.value
            let sum = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: width)
            defer { sum.deallocate() }
            for row in (outRows.lowerBound + strip * stripRows)..<min(outRows.upperBound + 1, outRows.lowerBound + (strip + 1) * stripRows) {
                sum.initialize(repeating: .zero, count: width)
                let first = max(y0, row - radius), last = min(y0 + inkRows - 1, row + radius)
                guard first <= last else { continue }
                var any = false
                for source in first...last where rowHasInk[source - y0] {
                    any = true
                    let w = weights[row - source + radius], line = across.baseAddress! + (source - y0) * width
                    for c in 0..<width { sum[c] += line[c] * w }
                }
                guard any else { continue }
                let target = cells.baseAddress! + row * levelColumns + columns.lowerBound
                for c in 0..<width { target[c] += sum[c] }
            }
        }
    }

    /// Weights on the cells at −2 … +2 from the nearest one whose mean is `offset` (|offset| ≤
    /// 1/2) and whose variance about it is `variance` (`minimumExcess` to that plus
    /// `excessRange`): three weights with the mean and a variance of 1/4 to 3/4 (all ≥ 0 there),
    /// spread by three about 0 with the rest, 0 to 1.
    /// In vectors, not arrays: a deposit's two arrays cost more than its 25 cells.
    @inline(__always)
    static func fivePoint(offset f: Double, variance v: Double) -> SIMD8<Float> {
        let own = DiffuseField.minimumExcess + (v - DiffuseField.minimumExcess) / 3, spread = (v - own) / 2
        let second = own + f * f
        let a = SIMD3((second - f) / 2, 1 - second, (second + f) / 2), b = SIMD3(spread, 1 - 2 * spread, spread)
        var result = SIMD8<Float>.zero
        for i in 0..<3 { for j in 0..<3 { result[i + j] += Float(a[i] * b[j]) } }
        return result
    }
}
