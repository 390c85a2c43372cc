import Dispatch

/// The wide components of a view (σ ≥ `minimumSigmaMM`: light diffusing millimetres through
/// the skin around buried ink, the redness of worked skin) summed on a coarse grid in
/// millimetres, and read back at each pixel's centre by bilinear interpolation: a convolution
/// of the ink map, where drawing each component over the thousands of pixels it reaches would
/// cost more than the rest of the render (DESIGN.md, "Rendering").
///
/// A component of width σ is sampled at the cell centres of the level whose cells are at most
/// σ / `samplesPerSigma` wide (cells double from level to level), so every component is
/// sampled equally finely and its samples sum to its ink (the Gaussian's sampling error at this
/// spacing is far below 10⁻⁶); the levels are then interpolated onto the finest and added. The
/// field is smooth across a pixel, so its value at the centre is the pixel's mean. Where a level
/// holds many components of nearly one width (a treated area's halos), they are blurred
/// together instead of splatted one by one (`DiffuseField+Blur.swift`): the same field to
/// 0.04 % of its peak, for a fraction of the work.
///
/// The grids are built once per image, before its first pixel, in strips of `stripRows` grid
/// rows handed to `threads` threads: each strip adds the components reaching it in the
/// components' order and the levels in theirs, so every cell's sums run in the same order
/// whatever the threads, and the field has the same bits for any count (the strips are fixed by
/// the grid, not by the threads).
struct DiffuseField: Sendable {
    /// Components at least this wide go to the field; narrower ones are drawn per pixel.
    static let minimumSigmaMM = 0.8
    static let samplesPerSigma = 2.5
    /// Components are cut at this many σ, where they hold under 0.3 % of their ink.
    static let reachSigmas = 3.5

    /// Centre of cell (0, 0), mm, and the finest cell's side.
    let originXMM: Double, originYMM: Double
    let cellMM: Double
    let columns: Int, rows: Int
    /// Optical depth per cell, per channel (fourth lane 0), under the veil and on the surface.
    let dermal: [SIMD4<Float>]
    let surface: [SIMD4<Float>]
    let hasDermal: Bool, hasSurface: Bool
    /// Per pixel column of the view, its left cell and the blend toward the next: the same for
    /// every row, so worked out once.
    let pixelCells: [Int32], pixelBlends: [Float]

    /// The field of `components` (all of them at least `minimumSigmaMM` wide) over `view`;
    /// dermal depths are multiplied by `dermalScale`. `adding` is a field built before over the
    /// same view (the hair's, which every image of a view shares), summed in.
    init(components: [InkDot], view: MapView, dermalScale: SIMD4<Float>, adding base: DiffuseField? = nil, threads: Int = 1,
         blurs: Bool = true) {
        let cell = Self.minimumSigmaMM / Self.samplesPerSigma
        cellMM = cell
        // One cell beyond the view on every side, so that every pixel centre has four cells.
        originXMM = view.originXMM - cell / 2
        originYMM = view.originYMM - cell / 2
        columns = Int((view.widthMM / cell).rounded(.up)) + 2
        rows = Int((view.heightMM / cell).rounded(.up)) + 2
        let pixelMM = 1 / view.pixelsPerMM, (x0, y0, fineColumns, fineRows) = (originXMM, originYMM, columns, rows)
        let columnSteps = (0..<view.widthPixels).map { column -> (Int32, Float) in
            let g = (view.originXMM + (Double(column) + 0.5) * pixelMM - x0) / cell
            let left = min(max(Int(g.rounded(.down)), 0), fineColumns - 2)
            return (Int32(left), Float(min(max(g - Double(left), 0), 1)))
        }
        pixelCells = columnSteps.map(\.0)
        pixelBlends = columnSteps.map(\.1)
        let usable = base.flatMap { $0.columns == fineColumns && $0.rows == fineRows && $0.originXMM == x0 && $0.originYMM == y0 ? $0 : nil }
        hasDermal = components.contains { $0.layer == .dermal } || usable?.hasDermal == true
        hasSurface = components.contains { $0.layer == .surface } || usable?.hasSurface == true
        var dermal = usable?.dermal.isEmpty == false ? usable!.dermal : [SIMD4<Float>](repeating: .zero, count: columns * rows)
        var surface = usable?.surface.isEmpty == false ? usable!.surface : [SIMD4<Float>](repeating: .zero, count: columns * rows)
        guard !components.isEmpty || usable != nil else {
            self.dermal = []
            self.surface = []
            return
        }
        // Each level's components, in the components' order.
        var members: [[Int32]] = []
        for (i, component) in components.enumerated() {
            let index = (component.sigmaMM / (Self.samplesPerSigma * cell)).log2Floor
            while members.count <= index { members.append([]) }
            members[index].append(Int32(i))
        }
        let levels = members.indices.map { k in
            Level(originXMM: x0, originYMM: y0, cellMM: cell * Double(1 << k),
                  columns: (fineColumns - 1) / (1 << k) + 2, rows: (fineRows - 1) / (1 << k) + 2)
        }
        defer { levels.forEach { $0.deallocate() } }
        // Every level's strips, each with the components reaching it: one task per strip.
        var tasks: [(level: Int, rows: Range<Int>, members: [Int32])] = []
        var blurred: [BlurGroup] = []
        for (k, level) in levels.enumerated() {
            let (groups, splatted) = blurs ? Self.blurGroups(members[k], of: components, level: level, index: k) : ([], members[k])
            blurred += groups
            let strips = (level.rows + Self.stripRows - 1) / Self.stripRows
            var lists = [[Int32]](repeating: [], count: strips)
            for i in splatted {
                guard let reach = level.reach(of: components[Int(i)]) else { continue }
                for strip in (reach.rows.lowerBound / Self.stripRows)...(reach.rows.upperBound / Self.stripRows) { lists[strip].append(i) }
            }
            for strip in 0..<strips where !lists[strip].isEmpty {
                tasks.append((k, (strip * Self.stripRows)..<min(level.rows, (strip + 1) * Self.stripRows), lists[strip]))
            }
        }
        let work = UnsafeSendable((levels, tasks, components))
        // Each strip's cells are written by the one thread that claimed it.
        _ = ParallelWork.map(count: tasks.count, threads: threads) { t in
            let (levels, tasks, components) = work.value
            let task = tasks[t], level = levels[task.level]
            var across: [Float] = []
            for i in task.members {
                let component = components[Int(i)]
                let isDermal = component.layer == .dermal
                level.add(component, scale: isDermal ? dermalScale : SIMD4(repeating: 1), rows: task.rows,
                          into: isDermal ? level.dermal : level.surface, across: &across)
            }
        }
        // Then the groups blurred, each adding to its level's cells after the splats.
        for group in blurred {
            let level = levels[group.level]
            level.addBlurred(group, components: components, scale: group.isDermal ? dermalScale : SIMD4(repeating: 1),
                             into: group.isDermal ? level.dermal : level.surface, threads: threads)
        }
        // Levels or layers no component reached add nothing: skipped.
        let layersUsed = members.map { list in
            (dermal: list.contains { components[Int($0)].layer == .dermal }, surface: list.contains { components[Int($0)].layer == .surface })
        }
        // The levels onto the finest grid, in strips of its rows: each cell adds them in order.
        let fineStrips = (fineRows + Self.stripRows - 1) / Self.stripRows
        dermal.withUnsafeMutableBufferPointer { fineDermal in
            surface.withUnsafeMutableBufferPointer { fineSurface in
                let fine = UnsafeSendable((fineDermal, fineSurface, levels))
                _ = ParallelWork.map(count: fineStrips, threads: threads) { strip in
                    let rows = (strip * Self.stripRows)..<min(fineRows, (strip + 1) * Self.stripRows)
                    for (level, used) in zip(fine.value.2, layersUsed) where used.dermal || used.surface {
                        level.interpolate(rows: rows, into: used.dermal ? fine.value.0 : nil, used.surface ? fine.value.1 : nil,
                                          columns: fineColumns, baseCellMM: cell)
                    }
                }
            }
        }
        self.dermal = hasDermal ? dermal : []
        self.surface = hasSurface ? surface : []
    }

    /// Rows of a level's grid per strip handed to a thread: a component reaches at most 36 rows
    /// of its level (3.5 σ each way, σ under 5 cells), so most lie in one or two strips.
    static let stripRows = 64

    /// Adds the field at the centres of view row `yMM`'s pixels into the planes at `line`.
    func addRow(yMM: Double, dermalPlanes: DepthPlanes, surfacePlanes: DepthPlanes, line: Int) {
        let gy = (yMM - originYMM) / cellMM
        let row = min(max(Int(gy.rounded(.down)), 0), rows - 2)
        let fy = Float(min(max(gy - Double(row), 0), 1))
        for (values, planes, used) in [(dermal, dermalPlanes, hasDermal), (surface, surfacePlanes, hasSurface)] where used {
            values.withUnsafeBufferPointer { cells in
                pixelCells.withUnsafeBufferPointer { lefts in
                    pixelBlends.withUnsafeBufferPointer { blends in
                        let top = cells.baseAddress! + row * columns, bottom = top + columns
                        let red = planes.red + line, green = planes.green + line, blue = planes.blue + line
                        for c in 0..<lefts.count {
                            let i = Int(lefts[c]), fx = blends[c]
                            let upper = top[i] + (top[i + 1] - top[i]) * fx
                            let lower = bottom[i] + (bottom[i + 1] - bottom[i]) * fx
                            let value = upper + (lower - upper) * fy
                            red[c] += value.x
                            green[c] += value.y
                            blue[c] += value.z
                        }
                    }
                }
            }
        }
    }

    /// Is the field zero over rows `yRangeMM` (so a band there need not read it)?
    func isZero(fromYMM low: Double, toYMM high: Double) -> Bool {
        guard hasDermal || hasSurface else { return true }
        let first = max(0, Int(((low - originYMM) / cellMM).rounded(.down))), last = min(rows - 1, Int(((high - originYMM) / cellMM).rounded(.up)))
        guard first <= last else { return true }
        for row in first...last {
            for column in 0..<columns {
                if dermal[row * columns + column] != .zero { return false }
                if hasSurface && surface[row * columns + column] != .zero { return false }
            }
        }
        return true
    }

    /// One level's grid: cell centres at origin + (i, j) · cell. Its cells are its builder's to
    /// free (`deallocate`): threads write disjoint strips of them.
    struct Level {
        let originXMM: Double, originYMM: Double, cellMM: Double
        let columns: Int, rows: Int
        let dermal: UnsafeMutableBufferPointer<SIMD4<Float>>
        let surface: UnsafeMutableBufferPointer<SIMD4<Float>>

        init(originXMM: Double, originYMM: Double, cellMM: Double, columns: Int, rows: Int) {
            self.originXMM = originXMM
            self.originYMM = originYMM
            self.cellMM = cellMM
            self.columns = columns
            self.rows = rows
            dermal = .allocate(capacity: columns * rows)
            dermal.initialize(repeating: .zero)
            surface = .allocate(capacity: columns * rows)
            surface.initialize(repeating: .zero)
        }

        func deallocate() {
            dermal.deallocate()
            surface.deallocate()
        }

        /// The cells within the component's reach, nil if none.
        @inline(__always)
        func reach(of component: InkDot) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>, cx: Double, cy: Double)? {
            let reach = DiffuseField.reachSigmas * component.sigmaMM
            let cx = (component.xMM - originXMM) / cellMM, cy = (component.yMM - originYMM) / cellMM
            let r = reach / cellMM
            let c0 = max(0, Int((cx - r).rounded(.up))), c1 = min(columns - 1, Int((cx + r).rounded(.down)))
            let r0 = max(0, Int((cy - r).rounded(.up))), r1 = min(rows - 1, Int((cy + r).rounded(.down)))
            guard c0 <= c1, r0 <= r1 else { return nil }
            return (r0...r1, c0...c1, cx, cy)
        }

        /// Adds the component's optical depth at the cell centres within its reach and `rows`,
        /// separably, into `cells` (this level's dermal or surface grid); `across` is scratch for
        /// its exponentials across, reused from component to component.
        func add(_ component: InkDot, scale: SIMD4<Float>, rows band: Range<Int>, into cells: UnsafeMutableBufferPointer<SIMD4<Float>>,
                 across: inout [Float]) {
            guard let (reachRows, reachColumns, cx, cy) = reach(of: component) else { return }
            let r0 = max(reachRows.lowerBound, band.lowerBound), r1 = min(reachRows.upperBound, band.upperBound - 1)
            guard r0 <= r1 else { return }
            let sigma = component.sigmaMM
            let q = Float(cellMM * cellMM / (2 * sigma * sigma))
            let peak = component.peakDepth
            let depth = SIMD4<Float>(peak.x, peak.y, peak.z, 0) * scale
            across.removeAll(keepingCapacity: true)
            for column in reachColumns {
                let dx = Float(Double(column) - cx)
                across.append(FastExp.exp(SIMD4(repeating: -q * dx * dx))[0])
            }
            let c0 = reachColumns.lowerBound, columns = columns
            across.withUnsafeBufferPointer { weights in
                for row in r0...r1 {
                    let dy = Float(Double(row) - cy)
                    let down = depth * FastExp.exp(SIMD4(repeating: -q * dy * dy))[0]
                    let line = cells.baseAddress! + row * columns + c0
                    for k in 0..<weights.count { line[k] += down * weights[k] }
                }
            }
        }

        /// Adds this level, bilinearly interpolated at the finest grid's cell centres, to the
        /// finest grid's `rows` (of the layers given).
        func interpolate(rows fineRows: Range<Int>, into fineDermal: UnsafeMutableBufferPointer<SIMD4<Float>>?,
                         _ fineSurface: UnsafeMutableBufferPointer<SIMD4<Float>>?, columns fineColumns: Int, baseCellMM: Double) {
            let ratio = baseCellMM / cellMM
            let dermal = UnsafeBufferPointer(dermal), surface = UnsafeBufferPointer(surface)
            for row in fineRows {
                let gy = Double(row) * ratio
                let j = min(Int(gy), rows - 2), fy = Float(gy - Double(j))
                for column in 0..<fineColumns {
                    let gx = Double(column) * ratio
                    let i = min(Int(gx), columns - 2), fx = Float(gx - Double(i))
                    let a = j * columns + i, b = a + columns
                    func at(_ v: UnsafeBufferPointer<SIMD4<Float>>) -> SIMD4<Float> {
                        let upper = v[a] + (v[a + 1] - v[a]) * fx, lower = v[b] + (v[b + 1] - v[b]) * fx
                        return upper + (lower - upper) * fy
                    }
                    if let fineDermal { fineDermal[row * fineColumns + column] += at(dermal) }
                    if let fineSurface { fineSurface[row * fineColumns + column] += at(surface) }
                }
            }
        }
    }
}

extension Double {
    /// ⌊log₂ x⌋ for x ≥ 1, 0 below.
    fileprivate var log2Floor: Int {
        guard self >= 1 else { return 0 }
        return Int(self.exponent)
    }
}
