import Foundation

/// The pigment's transmission over one band of rows: wide components' optical depths at pixel
/// centres, splatted into per-pixel buffers, and per pixel the list of narrow components
/// reaching it, which `sampledTransmission` samples inside the pixel. Owns its memory; one per
/// band and thread.
struct PigmentBand {
    let renderer: MapRenderer
    let rows: Range<Int>
    let width: Int
    /// Columns any wide component reached (empty: none), so the buffers outside stay unread.
    var wideColumns: Range<Int>
    /// The wide components' optical depths at the pixel centres, a plane per channel: the
    /// transmissions then read four pixels' depths of a channel in one load (gathering them
    /// from RGB vectors, and scattering the results, was a fifth of that loop).
    let dermal: DepthPlanes
    let surface: DepthPlanes
    var hasWideSurface = false
    /// Per listed pixel (`listedPixels`) the first node of its narrow list; nodes chain through
    /// `Node.next`.
    let firstNode: UnsafeMutablePointer<Int32>
    /// A bit per pixel, set where `firstNode` is: a row's sampled pixels are found a word of 64 at
    /// a time, not tested pixel by pixel: most pixels of a band list no component.
    let listedPixels: UnsafeMutablePointer<UInt64>
    let wordsPerRow: Int
    /// The narrow lists' nodes, in plain memory with room for them all (`listNarrow`): an
    /// array's append checked its uniqueness per node (1 % of the render's instructions).
    var nodes: UnsafeMutablePointer<Node>
    var nodeCount = 0

    /// A narrow component listed at a pixel.
    struct Node {
        var component: Int32
        /// The pixel's next node (−1: none).
        var next: Int32
        /// The rule the component needs in this pixel: its own, or the 2 × 2 rule where it is
        /// faint there.
        var rule: UInt8
    }
    /// `ScaleSampling.rules`, fetched once: the global's lazy initialisation check was a call per
    /// sampled pixel.
    let rules = ScaleSampling.rules
    /// Scratch for one pixel's samples: optical depth per channel (dermal R, G, B, surface R,
    /// G, B), four samples per lane group, 64 groups at most (16 × 16 nodes).
    let sampleDepths: UnsafeMutablePointer<SIMD4<Float>>

    init(renderer: MapRenderer, rows: Range<Int>) {
        self.renderer = renderer
        self.rows = rows
        width = renderer.view.widthPixels
        let pixels = rows.count * width
        dermal = DepthPlanes(pixels: pixels)
        surface = DepthPlanes(pixels: pixels)
        // Read only where `listedPixels` has the pixel's bit: nothing to clear.
        firstNode = .allocate(capacity: pixels)
        wordsPerRow = (width + 63) / 64
        listedPixels = .allocate(capacity: rows.count * wordsPerRow)
        listedPixels.initialize(repeating: 0, count: rows.count * wordsPerRow)
        sampleDepths = .allocate(capacity: 6 * 64)
        wideColumns = 0..<0
        // Replaced by `listNarrow`, once it knows the room the band needs.
        nodes = .allocate(capacity: 1)

        let wide = renderer.components(reaching: rows, start: renderer.wideStart, members: renderer.wideMembers)
        let view = renderer.view, field = renderer.field
        let rowToMM = 1 / view.pixelsPerMM
        let fieldReaches = !field.isZero(fromYMM: view.originYMM + Double(rows.lowerBound) * rowToMM,
                                         toYMM: view.originYMM + Double(rows.upperBound) * rowToMM)
        if !wide.isEmpty || fieldReaches {
            var low = width, high = 0
            for i in wide {
                let x = renderer.dotX[Int(i)], r = renderer.dotReach[Int(i)]
                low = min(low, max(0, Int((x - r).rounded(.down))))
                high = max(high, min(width, Int((x + r).rounded(.up)) + 1))
            }
            if fieldReaches { (low, high) = (0, width) }
            wideColumns = low..<max(low, high)
            hasWideSurface = wide.contains { renderer.dotIsSurface[Int($0)] } || (fieldReaches && field.hasSurface)
            for row in 0..<rows.count {
                dermal.clear(from: row * width + low, count: wideColumns.count)
                if hasWideSurface { surface.clear(from: row * width + low, count: wideColumns.count) }
            }
            if fieldReaches {
                for row in rows {
                    field.addRow(yMM: view.originYMM + (Double(row) + 0.5) * rowToMM, dermalPlanes: dermal, surfacePlanes: surface,
                                 line: (row - rows.lowerBound) * width)
                }
            }
            splatWide(wide)
        }
        listNarrow(renderer.components(reaching: rows, start: renderer.narrowStart, members: renderer.narrowMembers))
    }

    func deallocate() {
        dermal.deallocate()
        surface.deallocate()
        firstNode.deallocate()
        listedPixels.deallocate()
        sampleDepths.deallocate()
        nodes.deallocate()
    }

    /// The columns and rows of this band that component `i`'s footprint square overlaps, nil if
    /// none.
    func footprint(_ i: Int) -> (c0: Int, c1: Int, r0: Int, r1: Int)? {
        let cx = renderer.dotX[i], cy = renderer.dotY[i], reach = renderer.dotReach[i]
        let c0 = max(0, Int((cx - reach).rounded(.down))), c1 = min(width - 1, Int((cx + reach).rounded(.down)))
        let r0 = max(rows.lowerBound, Int((cy - reach).rounded(.down))), r1 = min(rows.upperBound - 1, Int((cy + reach).rounded(.down)))
        return c0 <= c1 && r0 <= r1 ? (c0, c1, r0, r1) : nil
    }

    /// Adds each wide component's optical depth at the centres of the pixels it reaches.
    /// A circular one separably: a row of exponentials across and one per row down, four lanes
    /// at a time (`FastExp`, the same on every machine, where libm's expf may differ between
    /// processors with and without FMA); and per row only over the run of columns inside its
    /// footprint, from the chord's half-width, so the loop over them has no test.
    mutating func splatWide(_ components: [Int32]) {
        let r = renderer
        let reachMax = Int(r.widestReach.rounded(.up)) * 2 + 3
        // Padded to whole lane groups.
        let across = UnsafeMutablePointer<Float>.allocate(capacity: reachMax + 4)
        defer { across.deallocate() }
        for i32 in components {
            let i = Int(i32)
            guard let (c0, c1, r0, r1) = footprint(i) else { continue }
            let cx = r.dotX[i], cy = r.dotY[i], reach2 = r.dotReach[i] * r.dotReach[i]
            let q = r.dotShape[i], peak = r.dotPeak[i]
            let target = r.dotIsSurface[i] ? surface : dermal
            if q.y == 0 && q.x == q.z {
                for c in stride(from: c0, through: c1, by: 4) {
                    let dx = SIMD4<Float>(Float(c), Float(c &+ 1), Float(c &+ 2), Float(c &+ 3)) + 0.5 - cx
                    let values = FastExp.exp(-q.x * dx * dx)
                    UnsafeMutableRawPointer(across + (c &- c0)).storeBytes(of: values, as: SIMD4<Float>.self)
                }
                // Four rows at a time: the half-width of the footprint's chord on each (a square
                // root) and the factor down (an exponential), in vectors.
                for base in stride(from: r0, through: r1, by: 4) {
                    let dy = SIMD4<Float>(Float(base), Float(base &+ 1), Float(base &+ 2), Float(base &+ 3)) + 0.5 - cy
                    let dy2 = dy * dy
                    let chord = reach2 - dy2
                    let halves = chord.replacing(with: 0, where: chord .< 0).squareRoot()
                    let downs = FastExp.exp(-q.z * dy2)
                    for k in 0..<min(4, r1 &- base &+ 1) {
                        // The pixels whose centres lie inside the footprint: cx − ½ − half < c <
                        // cx − ½ + half.
                        let low = cx - 0.5 - halves[k], high = cx - 0.5 + halves[k]
                        guard high > 0 else { continue }
                        let first = max(c0, low < 0 ? 0 : Int(low) + 1)
                        let whole = Int(high), last = min(c1, Float(whole) == high ? whole - 1 : whole)
                        guard first <= last else { continue }
                        let line = (base &+ k &- rows.lowerBound) &* width
                        let down = peak * downs[k]
                        let red = target.red + line, green = target.green + line, blue = target.blue + line
                        // Four columns a step, then one: the same sums per pixel as one at a time.
                        let downRed = SIMD4<Float>(repeating: down.x), downGreen = SIMD4<Float>(repeating: down.y)
                        let downBlue = SIMD4<Float>(repeating: down.z)
                        var c = first
                        while c &+ 3 <= last {
                            let weight = UnsafeRawPointer(across + (c &- c0)).loadUnaligned(as: SIMD4<Float>.self)
                            DepthPlanes.add(downRed * weight, at: red + c)
                            DepthPlanes.add(downGreen * weight, at: green + c)
                            DepthPlanes.add(downBlue * weight, at: blue + c)
                            c &+= 4
                        }
                        while c <= last {
                            let weight = across[c &- c0]
                            red[c] += down.x * weight
                            green[c] += down.y * weight
                            blue[c] += down.z * weight
                            c &+= 1
                        }
                    }
                }
            } else {
                for row in r0...r1 {
                    let dy = Float(row) + 0.5 - cy
                    let line = (row - rows.lowerBound) * width
                    for c in c0...c1 {
                        let dx = Float(c) + 0.5 - cx
                        guard dx * dx + dy * dy < reach2 else { continue }
                        target.add(peak * FastExp.exp(SIMD4(repeating: -(q.x * dx * dx + 2 * q.y * dx * dy + q.z * dy * dy)))[0], at: line + c)
                    }
                }
            }
        }
    }

    /// Lists each narrow component at every pixel whose square its footprint reaches.
    mutating func listNarrow(_ components: [Int32]) {
        let r = renderer
        // Room for every pixel of every footprint's square, reserved at once: growing three
        // arrays node by node was a twelfth of the sampled pixels' cost.
        var room = 0
        for i32 in components {
            if let (c0, c1, r0, r1) = footprint(Int(i32)) { room += (c1 - c0 + 1) * (r1 - r0 + 1) }
        }
        nodes.deallocate()
        nodes = .allocate(capacity: max(room, 1))
        // Pushed in reverse so that each pixel's list runs in index order.
        for i32 in components.reversed() {
            let i = Int(i32)
            guard let (c0, c1, r0, r1) = footprint(i) else { continue }
            let cx = r.dotX[i], cy = r.dotY[i], reach2 = r.dotReach[i] * r.dotReach[i]
            let faint2 = r.dotFaintDistance2[i], rule = r.dotRule[i]
            for row in r0...r1 {
                let y0 = Float(row)
                let dy = max(y0 - cy, 0, cy - (y0 + 1))
                // Wrapping sums and shifts (columns are ≥ 0): the overflow checks and the signed
                // division's fix-ups were a third of this loop (measured 2026-12-03).
                let line = (row &- rows.lowerBound) &* width, words = (row &- rows.lowerBound) &* wordsPerRow
                for c in c0...c1 {
                    // Distance from the centre to the nearest point of the pixel square.
                    let x0 = Float(c)
                    let dx = max(x0 - cx, 0, cx - (x0 + 1))
                    let distance2 = dx * dx + dy * dy
                    guard distance2 < reach2 else { continue }
                    let pixel = line &+ c
                    let word = words &+ (c &>> 6), bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: c & 63)
                    let next = listedPixels[word] & bit != 0 ? firstNode[pixel] : -1
                    (nodes + nodeCount).initialize(to: Node(component: i32, next: next, rule: distance2 > faint2 ? 1 : rule))
                    firstNode[pixel] = Int32(truncatingIfNeeded: nodeCount)
                    nodeCount &+= 1
                    listedPixels[word] |= bit
                }
            }
        }
    }

    /// The mean pigment transmission over each pixel of `row` (lane 3 unused): the type's
    /// equation without skin and hair. Pixels under wide components only, most of a treated
    /// area, are done four at a time with the channels in vectors of four pixels (one
    /// exponential per channel for four pixels; a pixel at a time, the optimiser split the
    /// polynomial into vector and scalar chains); pixels with narrow components then get
    /// their sampled means.
    func transmissions(row: Int, into result: UnsafeMutablePointer<SIMD4<Float>>) {
        result.update(repeating: SIMD4(repeating: 1), count: width)
        let line = (row - rows.lowerBound) * width
        let veil = renderer.veil
        var column = wideColumns.lowerBound
        while column < wideColumns.upperBound {
            let count = min(4, wideColumns.upperBound &- column)
            // Past `wideColumns` (the last group's spare lanes) the planes hold whatever they
            // hold: those lanes' results are not stored, and storing 1 where no lane in range is
            // inked leaves what is there.
            let (red, green, blue) = dermal.load4(at: line &+ column)
            var surfaceRed = SIMD4<Float>.zero, surfaceGreen = SIMD4<Float>.zero, surfaceBlue = SIMD4<Float>.zero
            if hasWideSurface { (surfaceRed, surfaceGreen, surfaceBlue) = surface.load4(at: line &+ column) }
            // Where a pixel has no dermal ink its transmission is exactly 1 (no veil arithmetic),
            // as where no component reaches; e^−0 is exactly 1 for the surface.
            let inked = (red .> 0) .| (green .> 0) .| (blue .> 0)
            if any(inked) || hasWideSurface {
                var tr = veil.x + (1 - veil.x) * FastExp.exp(-red)
                var tg = veil.y + (1 - veil.y) * FastExp.exp(-green)
                var tb = veil.z + (1 - veil.z) * FastExp.exp(-blue)
                let clear = SIMD4<Float>(repeating: 1)
                tr.replace(with: clear, where: .!inked)
                tg.replace(with: clear, where: .!inked)
                tb.replace(with: clear, where: .!inked)
                if hasWideSurface {
                    tr *= FastExp.exp(-surfaceRed)
                    tg *= FastExp.exp(-surfaceGreen)
                    tb *= FastExp.exp(-surfaceBlue)
                }
                if count == 4 {
                    // A whole group, the usual case: four fixed stores, no per-lane branch (0.8 %
                    // of the demo render's instructions, measured 2026-12-03).
                    result[column] = SIMD4(tr[0], tg[0], tb[0], 0)
                    result[column &+ 1] = SIMD4(tr[1], tg[1], tb[1], 0)
                    result[column &+ 2] = SIMD4(tr[2], tg[2], tb[2], 0)
                    result[column &+ 3] = SIMD4(tr[3], tg[3], tb[3], 0)
                } else {
                    for k in 0..<count { result[column &+ k] = SIMD4(tr[k], tg[k], tb[k], 0) }
                }
            }
            column &+= count
        }
        let words = listedPixels + (row - rows.lowerBound) * wordsPerRow
        for word in 0..<wordsPerRow {
            var bits = words[word]
            while bits != 0 {
                let column = word &* 64 &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                var d = SIMD4<Float>.zero, s = SIMD4<Float>.zero
                if wideColumns.contains(column) {
                    d = dermal.pixel(at: line &+ column)
                    if hasWideSurface { s = surface.pixel(at: line &+ column) }
                }
                let head = firstNode[line &+ column], first = nodes[Int(head)]
                if first.next < 0 && s == .zero && !renderer.dotIsSurface[Int(first.component)] {
                    result[column] = singleCoreTransmission(Int(first.component), rule: rules[Int(first.rule)], column: column, row: row, dermal: d)
                } else {
                    result[column] = sampledTransmission(column: column, row: row, head: head, dermal: d, surface: s)
                }
            }
        }
    }

    /// `sampledTransmission` in the common case, one dermal core and no surface ink: its depth
    /// goes straight into the transmission, without the per-sample depth buffer. Inlined in the
    /// row's loop (a call per pixel, with its set-up, cost as much as the samples).
    @inline(__always)
    func singleCoreTransmission(_ i: Int, rule: QuadratureRule, column: Int, row: Int, dermal d: SIMD4<Float>) -> SIMD4<Float> {
        let veil = renderer.veil
        let q = renderer.dotShape[i], peak = renderer.dotPeak[i]
        let x0 = Float(column) - renderer.dotX[i], y0 = Float(row) - renderer.dotY[i]
        var red = SIMD4<Float>.zero, green = SIMD4<Float>.zero, blue = SIMD4<Float>.zero
        for k in 0..<rule.groups {
            let dx = rule.offsetX[k] + x0, dy = rule.offsetY[k] + y0
            let g = FastExp.exp(-(q.x * dx * dx + 2 * q.y * dx * dy + q.z * dy * dy))
            let tr = veil.x + (1 - veil.x) * FastExp.exp(-(SIMD4(repeating: d.x) + peak.x * g))
            let tg = veil.y + (1 - veil.y) * FastExp.exp(-(SIMD4(repeating: d.y) + peak.y * g))
            let tb = veil.z + (1 - veil.z) * FastExp.exp(-(SIMD4(repeating: d.z) + peak.z * g))
            red += rule.weight[k] * tr
            green += rule.weight[k] * tg
            blue += rule.weight[k] * tb
        }
        return SIMD4(red.sum(), green.sum(), blue.sum(), 0)
    }

    /// The mean transmission over the pixel by the finest cubature rule its components ask for
    /// (`ScaleSampling`), the wide components' depths (d, s) taken as constant over it; four
    /// samples at a time. (`singleCoreTransmission` takes the common case.)
    func sampledTransmission(column: Int, row: Int, head: Int32, dermal d: SIMD4<Float>, surface s: SIMD4<Float>) -> SIMD4<Float> {
        var ruleIndex: UInt8 = 1
        var node = head
        var anySurface = s != .zero
        while node >= 0 {
            let i = Int(nodes[Int(node)].component)
            ruleIndex = max(ruleIndex, nodes[Int(node)].rule)
            anySurface = anySurface || renderer.dotIsSurface[i]
            node = nodes[Int(node)].next
        }
        let rule = rules[Int(ruleIndex)]
        let groups = rule.groups
        let veil = renderer.veil
        let depth = sampleDepths
        for k in 0..<groups {
            depth[6 * k] = SIMD4(repeating: d.x)
            depth[6 * k + 1] = SIMD4(repeating: d.y)
            depth[6 * k + 2] = SIMD4(repeating: d.z)
            depth[6 * k + 3] = SIMD4(repeating: s.x)
            depth[6 * k + 4] = SIMD4(repeating: s.y)
            depth[6 * k + 5] = SIMD4(repeating: s.z)
        }
        rule.offsetX.withUnsafeBufferPointer { offsetX in
            rule.offsetY.withUnsafeBufferPointer { offsetY in
                node = head
                while node >= 0 {
                    let i = Int(nodes[Int(node)].component)
                    let q = renderer.dotShape[i], peak = renderer.dotPeak[i]
                    let layer = renderer.dotIsSurface[i] ? 3 : 0
                    let x0 = Float(column) - renderer.dotX[i], y0 = Float(row) - renderer.dotY[i]
                    for k in 0..<groups {
                        let dx = offsetX[k] + x0, dy = offsetY[k] + y0
                        let g = FastExp.exp(-(q.x * dx * dx + 2 * q.y * dx * dy + q.z * dy * dy))
                        depth[6 * k + layer] += peak.x * g
                        depth[6 * k + layer + 1] += peak.y * g
                        depth[6 * k + layer + 2] += peak.z * g
                    }
                    node = nodes[Int(node)].next
                }
            }
        }
        return rule.weight.withUnsafeBufferPointer { weight in
            var red = SIMD4<Float>.zero, green = SIMD4<Float>.zero, blue = SIMD4<Float>.zero
            for k in 0..<groups {
                var tr = veil.x + (1 - veil.x) * FastExp.exp(-depth[6 * k])
                var tg = veil.y + (1 - veil.y) * FastExp.exp(-depth[6 * k + 1])
                var tb = veil.z + (1 - veil.z) * FastExp.exp(-depth[6 * k + 2])
                if anySurface {
                    tr *= FastExp.exp(-depth[6 * k + 3])
                    tg *= FastExp.exp(-depth[6 * k + 4])
                    tb *= FastExp.exp(-depth[6 * k + 5])
                }
                red += weight[k] * tr
                green += weight[k] * tg
                blue += weight[k] * tb
            }
            return SIMD4(red.sum(), green.sum(), blue.sum(), 0)
        }
    }
}
