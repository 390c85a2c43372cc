import Foundation
import PoissonDisk

/// The scene's scalp on the equal-area chart, as rasters of 0.5 mm cells: which cells are
/// scalp, their region, how much hair remains, how much scar, and the SMP design weight, from
/// which each session's density field follows.
///
/// The design weight, 0…1 of the design density, is
///
///     w = ramp · fade · (loss + (1 − loss) · blend · near) · scarFactor
///
/// with `ramp` the hairline's density ramp, `fade` the soft stop above the natural margin over
/// the ears and the nape, `loss` = 1 − hair fraction, `blend` the scene's `smpBlend` (SMP
/// density where hair is full), `near` = 1 within about 12 mm of where hair is lost and 0 far
/// from it (dots feather into the hair around a bald area, not across a full head of hair), and
/// `scarFactor` 0 inside scars the plan avoids.
public struct ScalpMap: Sendable {
    public let chart: ScalpChart
    /// The raster's rectangle on the chart, trimmed to the scalp with a margin.
    public let bounds: RectMM
    public let cellMM: Double
    public let columns: Int
    public let rows: Int
    /// Per cell, row-major.
    public let region: [ScalpRegion?]
    public let hairFraction: [Float]
    public let scarCoverage: [Float]
    /// Per scalp cell, the scar or alopecia patch it lies in, 0 for neither: 1 to `scarCount`
    /// the scene's scars in order, then its patches (`feature(atIndex:)`). A cell at least a
    /// quarter covered by a scar is the scar's (the first listed where scars overlap), a cell
    /// inside a patch's wandering edge (where the patch leaves half the hair) the patch's; a
    /// scar takes precedence over a patch.
    public let featureNumber: [UInt16]
    public let scarCount: Int
    public let patchCount: Int
    public let designWeight: [Float]
    /// Landmarks on the chart.
    public let whorl: SIMD2<Double>
    public let hairlineCentre: SIMD2<Double>

    public static let defaultCellMM = 0.5
    /// Margin around the scalp in the map view, mm.
    public static let marginMM = 12.0
    /// Dots feather this far into hair around loss (see `near`).
    static let blendReachMM = 12.0
    /// The crown region: this far around the whorl.
    static let crownRegionRadiusMM = 45.0
    /// Height above the ear line where the sides end and the top (mid-scalp) begins; an
    /// estimate of the parietal ridge.
    static let topBeginsMM = 65.0

    /// The designed hairline as placed on this chart (its wander included).
    let placedHairline: PlacedHairline

    /// The designed hairline's edge, where the density ramp starts (irregularity included),
    /// as chart points every `stepMM` from −`halfWidthMM` to +`halfWidthMM`.
    public func hairlineEdge(halfWidthMM: Double, stepMM: Double = 0.5) -> [SIMD2<Double>] {
        let steps = Int((2 * halfWidthMM / stepMM).rounded())
        return (0...steps).map { step in
            let x = -halfWidthMM + Double(step) * stepMM
            let column = PlacedHairline.Column(placedHairline, x: x)
            return SIMD2(x, column.edgeY - column.wobble * column.stretch)
        }
    }

    public init(_ scalp: ScalpParameters, cellMM: Double = ScalpMap.defaultCellMM) {
        let chart = ScalpChart(head: scalp.head)
        self.chart = chart
        self.cellMM = cellMM
        let hairline = PlacedHairline(scalp.hairline, on: chart, seed: SplitMix64.derive(scalp.seed, stream: RandomStream.hairline.rawValue))
        hairlineCentre = SIMD2(0, hairline.centreY)
        placedHairline = hairline
        // The whorl: behind the top of the head, right of the midline in 71 % of people (DOMAIN.md).
        whorl = chart.chartPoint(polar: 30 * .pi / 180, azimuth: .pi / 2) + SIMD2(8, 0)

        // Pass 1 over the whole chart square: geometry per cell.
        let extent = chart.extentMM
        let fullColumns = Int((2 * extent / cellMM).rounded(.up))
        let origin = SIMD2(-extent, -extent)
        var heights = [Double](repeating: -.infinity, count: fullColumns * fullColumns)
        var margins = [Double](repeating: .infinity, count: fullColumns * fullColumns)
        var behind = [Double](repeating: -.infinity, count: fullColumns * fullColumns)
        var isScalp = [Bool](repeating: false, count: fullColumns * fullColumns)
        var minColumn = fullColumns, maxColumn = -1, minRow = fullColumns, maxRow = -1
        let hairlineColumns = (0..<fullColumns).map { PlacedHairline.Column(hairline, x: origin.x + (Double($0) + 0.5) * cellMM) }
        var polarHint: Int? = nil
        for row in 0..<fullColumns {
            let y = origin.y + (Double(row) + 0.5) * cellMM
            for column in 0..<fullColumns {
                let x = origin.x + (Double(column) + 0.5) * cellMM
                guard let angles = chart.surfaceAngles(chartX: x, chartY: y, hint: &polarHint) else { continue }
                let index = row * fullColumns + column
                let z = chart.head.earToTopMM * cos(angles.polar)
                heights[index] = z
                margins[index] = ScalpMap.marginHeight(azimuth: angles.azimuth)
                behind[index] = hairline.distanceBehind(hairlineColumns[column], y: y)
                if z >= margins[index] && behind[index] >= 0 {
                    isScalp[index] = true
                    minColumn = min(minColumn, column); maxColumn = max(maxColumn, column)
                    minRow = min(minRow, row); maxRow = max(maxRow, row)
                }
            }
        }
        // Trim to the scalp plus a margin.
        let pad = Int((ScalpMap.marginMM / cellMM).rounded(.up))
        if maxColumn < 0 { (minColumn, maxColumn, minRow, maxRow) = (0, fullColumns - 1, 0, fullColumns - 1) }
        let c0 = max(0, minColumn - pad), c1 = min(fullColumns - 1, maxColumn + pad)
        let r0 = max(0, minRow - pad), r1 = min(fullColumns - 1, maxRow + pad)
        columns = c1 - c0 + 1
        rows = r1 - r0 + 1
        let trimmedOrigin = origin + SIMD2(Double(c0) * cellMM, Double(r0) * cellMM)
        bounds = RectMM(minXMM: trimmedOrigin.x, minYMM: trimmedOrigin.y,
                        widthMM: Double(columns) * cellMM, heightMM: Double(rows) * cellMM)

        // Pass 2 on the trimmed raster: hair, regions, scars.
        let loss = scalp.hairLoss
        let placedHairline = hairline
        var hair = [Float](repeating: 1, count: columns * rows)
        var regions = [ScalpRegion?](repeating: nil, count: columns * rows)
        var ramps = [Float](repeating: 0, count: columns * rows)
        var patchNumbers = [UInt16](repeating: 0, count: columns * rows)
        let cornerY = hairline.edgeY(atX: scalp.hairline.cornerWidthMM)
        // The x of a cell here is not bit for bit pass 1's (a different origin), so its own columns.
        let trimmedHairlineColumns = (0..<columns).map {
            PlacedHairline.Column(placedHairline, x: trimmedOrigin.x + (Double($0) + 0.5) * cellMM)
        }
        let wander = ScalpMap.edgeWander(loss: loss, seed: scalp.seed, xsMM: (0..<columns).map { trimmedOrigin.x + (Double($0) + 0.5) * cellMM },
                                         ysMM: (0..<rows).map { trimmedOrigin.y + (Double($0) + 0.5) * cellMM })
        for row in 0..<rows {
            for column in 0..<columns {
                let full = (row + r0) * fullColumns + (column + c0)
                let index = row * columns + column
                let x = trimmedOrigin.x + (Double(column) + 0.5) * cellMM
                let y = trimmedOrigin.y + (Double(row) + 0.5) * cellMM
                let z = heights[full], d = behind[full]
                guard z > -.infinity else { continue }
                let fade = smoothstep(margins[full], margins[full] + 8, z)
                ramps[index] = Float(placedHairline.ramp(trimmedHairlineColumns[column], y: y) * fade)
                hair[index] = Float(ScalpMap.hairFraction(loss, x: x, y: y, z: z, behindHairline: d,
                                                          cornerWidthMM: scalp.hairline.cornerWidthMM, whorl: whorl,
                                                          edgeOffsetMM: wander[index]))
                guard isScalp[full] else { continue }
                patchNumbers[index] = ScalpMap.patchNumber(loss, x: x, y: y, edgeOffsetMM: wander[index])
                let toWhorl = SIMD2(x, y) - whorl
                if d < 20 && abs(x) <= scalp.hairline.cornerWidthMM {
                    regions[index] = .frontalHairline
                } else if abs(x) > 0.9 * scalp.hairline.cornerWidthMM && y < cornerY + 30 && z > 40 {
                    regions[index] = .temples
                } else if (toWhorl * toWhorl).sum() < ScalpMap.crownRegionRadiusMM * ScalpMap.crownRegionRadiusMM {
                    regions[index] = .crown
                } else if z >= ScalpMap.topBeginsMM {
                    regions[index] = .midScalp
                } else {
                    regions[index] = .sidesAndBack
                }
            }
        }
        var scars = [Float](repeating: 0, count: columns * rows)
        var avoided = [Float](repeating: 0, count: columns * rows)
        var features = [UInt16](repeating: 0, count: columns * rows)
        for (index, scar) in scalp.scars.enumerated() {
            let placed = PlacedScar(scar, on: chart, seed: SplitMix64.derive(scalp.seed, stream: RandomStream.scars.rawValue &+ UInt64(index)))
            // Each scar on its own raster, to know which cells are its; the coverage keeps the
            // largest of them, as stamping them all into one would.
            var own = [Float](repeating: 0, count: columns * rows)
            placed.stamp(into: &own, columns: columns, rows: rows, origin: trimmedOrigin, cellMM: cellMM)
            for cell in own.indices where own[cell] > 0 {
                scars[cell] = max(scars[cell], own[cell])
                if scar.treatment == .avoid { avoided[cell] = max(avoided[cell], own[cell]) }
                if own[cell] >= ScalpMap.scarCellCoverage && features[cell] == 0 && regions[cell] != nil { features[cell] = UInt16(index + 1) }
            }
        }
        for cell in features.indices where features[cell] == 0 && patchNumbers[cell] > 0 {
            features[cell] = UInt16(scalp.scars.count) + patchNumbers[cell]
        }
        // Scar tissue grows no hair: a camouflaged scar is treated like bald scalp.
        for index in hair.indices where scars[index] > 0 { hair[index] *= 1 - scars[index] }
        // Where hair is lost nearby: a box blur of the loss over the blend reach.
        let lossField = hair.map { 1 - $0 }
        let near = ScalpMap.boxBlur(lossField, columns: columns, rows: rows, radius: Int(ScalpMap.blendReachMM / cellMM))
        let blend = Float(scalp.smpBlend)
        var weights = [Float](repeating: 0, count: columns * rows)
        for index in weights.indices where regions[index] != nil {
            let lost = lossField[index]
            let nearLoss = Float(smoothstep(0, 0.25, Double(near[index])))
            weights[index] = ramps[index] * (lost + (1 - lost) * blend * nearLoss) * (1 - avoided[index])
        }
        region = regions
        hairFraction = hair
        scarCoverage = scars
        featureNumber = features
        scarCount = scalp.scars.count
        patchCount = loss.patches.count
        designWeight = weights
    }

    /// A cell this much covered by a scar is the scar's (`featureNumber`): its soft edge's
    /// outer part is the skin around.
    static let scarCellCoverage: Float = 0.25

    /// The alopecia patch (1-based) whose wandering edge (`edgeWander`'s offset) a point lies
    /// inside, the first listed where patches overlap; 0 for none.
    static func patchNumber(_ loss: HairLossPattern, x: Double, y: Double, edgeOffsetMM w: Double) -> UInt16 {
        for (index, patch) in loss.patches.enumerated() {
            let r = SIMD2(x - patch.xMM, y - patch.yMM)
            let reach = patch.radiusMM + w
            if reach > 0 && (r * r).sum() <= reach * reach { return UInt16(index + 1) }
        }
        return 0
    }

    /// The height above the ear line below which the scalp ends: above the ear at the sides,
    /// the sideburn in front of it, behind it the mastoid margin falling to the nape hairline
    /// at the back. Estimates from adult head proportions: ear top 30 mm above the ear canal
    /// (the ear spans about ±13° of the head's azimuth), sideburn −15, behind the ear −30, nape
    /// −50 mm.
    static func marginHeight(azimuth phi: Double) -> Double {
        let base = sin(phi) < 0 ? -15.0 : -30 - 20 * sin(phi) * sin(phi)
        let fromSide = min(abs(phi), abs(Double.pi - abs(phi)))   // angle to the nearest side
        let earHalfWidth = 13 * Double.pi / 180
        let overEar = max(0, 1 - (fromSide / earHalfWidth) * (fromSide / earHalfWidth))
        return base + (30 - base) * overEar.squareRoot()
    }

    /// How far the edges of bald areas are pushed outward (positive) or inward at each cell,
    /// mm: `irregularityMM` times smooth noise of two scales (20 and 6 mm), seeded from the
    /// scene, so that recession lines and patches have bays and promontories and no two clients
    /// look the same.
    static func edgeWander(loss: HairLossPattern, seed: UInt64, xsMM: [Double], ysMM: [Double]) -> [Double] {
        guard loss.irregularityMM > 0 else { return [Double](repeating: 0, count: xsMM.count * ysMM.count) }
        let streamSeed = SplitMix64.derive(seed, stream: RandomStream.hairLossEdges.rawValue)
        let coarse = ValueNoise(seed: SplitMix64.derive(streamSeed, stream: 1), pitchMM: 20).values(xsMM: xsMM, ysMM: ysMM)
        let fine = ValueNoise(seed: SplitMix64.derive(streamSeed, stream: 2), pitchMM: 6).values(xsMM: xsMM, ysMM: ysMM)
        return zip(coarse, fine).map { loss.irregularityMM * (0.75 * $0 + 0.35 * $1) }
    }

    /// The hair left at a point: 1 full, 0 bald (see `HairLossPattern`); `edgeOffsetMM` pushes
    /// every bald area's edge outward there (`edgeWander`).
    static func hairFraction(_ loss: HairLossPattern, x: Double, y: Double, z: Double, behindHairline d: Double,
                             cornerWidthMM: Double, whorl: SIMD2<Double>, edgeOffsetMM w: Double = 0) -> Double {
        let e = loss.edgeMM / 2
        var bald = 0.0
        if loss.frontalDepthMidMM > 0 || loss.frontalDepthCornerMM > 0 {
            let t = min(1, abs(x) / cornerWidthMM)
            let depth = loss.frontalDepthMidMM + (loss.frontalDepthCornerMM - loss.frontalDepthMidMM) * t * t + w
            // Frontal recession is a loss of the top: the temporal fringe below keeps its hair.
            bald = max(bald, (1 - smoothstep(depth - e, depth + e, d)) * smoothstep(50, 60, z))
        }
        if loss.crownRadiusMM > 0 {
            let r = SIMD2(x, y) - whorl
            bald = max(bald, 1 - smoothstep(loss.crownRadiusMM + w - e, loss.crownRadiusMM + w + e, (r * r).sum().squareRoot()))
        }
        if let sides = loss.fringeHeightSidesMM, let back = loss.fringeHeightBackMM {
            // The fringe's top runs from the sides (x large) to the back (y large).
            let towardsBack = max(0, y) / max((x * x + y * y).squareRoot(), 1)
            let fringe = sides + (back - sides) * towardsBack - w
            bald = max(bald, smoothstep(fringe - e, fringe + e, z))
        }
        for patch in loss.patches {
            let r = SIMD2(x - patch.xMM, y - patch.yMM)
            bald = max(bald, 1 - smoothstep(patch.radiusMM + w - e, patch.radiusMM + w + e, (r * r).sum().squareRoot()))
        }
        var thinning = 0.0
        switch loss.thinningZone {
        case .none: break
        case .everywhere: thinning = 1
        case .crownAndMidScalp: thinning = smoothstep(15 - e, 15 + e, d) * smoothstep(topBeginsMM - 10 - e, topBeginsMM - 10 + e, z)
        }
        return (1 - bald) * (1 - thinning * (1 - loss.thinningRemaining))
    }

    /// A box blur of `radius` cells, separable, with running sums: O(cells).
    static func boxBlur(_ values: [Float], columns: Int, rows: Int, radius: Int) -> [Float] {
        guard radius > 0 else { return values }
        var horizontal = [Float](repeating: 0, count: values.count)
        for row in 0..<rows {
            var sum: Float = 0
            let base = row * columns
            for column in 0..<min(radius, columns) { sum += values[base + column] }
            for column in 0..<columns {
                if column + radius < columns { sum += values[base + column + radius] }
                if column - radius - 1 >= 0 { sum -= values[base + column - radius - 1] }
                horizontal[base + column] = sum / Float(2 * radius + 1)
            }
        }
        var result = [Float](repeating: 0, count: values.count)
        for column in 0..<columns {
            var sum: Float = 0
            for row in 0..<min(radius, rows) { sum += horizontal[row * columns + column] }
            for row in 0..<rows {
                if row + radius < rows { sum += horizontal[(row + radius) * columns + column] }
                if row - radius - 1 >= 0 { sum -= horizontal[(row - radius - 1) * columns + column] }
                result[row * columns + column] = sum / Float(2 * radius + 1)
            }
        }
        return result
    }

    // MARK: Queries

    /// Area of each region, cm² of scalp surface (the chart keeps area), indexed by
    /// `ScalpRegion.caseIndex`.
    public var areaPerRegionCM2: [Double] {
        var areas = [Double](repeating: 0, count: ScalpRegion.allCases.count)
        let cellArea = cellMM * cellMM / 100
        for label in region { if let label { areas[label.caseIndex] += cellArea } }
        return areas
    }

    /// The regions' areas summed in `allCases` order (summed in a dictionary's order, the last
    /// digit changed from one run to the next).
    public var scalpAreaCM2: Double { areaPerRegionCM2.reduce(0, +) }

    /// The region at a chart point (nil outside the scalp or the raster).
    public func region(atXMM x: Double, yMM y: Double) -> ScalpRegion? {
        let column = Int(((x - bounds.minXMM) / cellMM).rounded(.down)), row = Int(((y - bounds.minYMM) / cellMM).rounded(.down))
        guard (0..<columns).contains(column), (0..<rows).contains(row) else { return nil }
        return region[row * columns + column]
    }

    /// The scar or patch of a `featureNumber`, nil for 0.
    public func feature(number: UInt16) -> ScalpFeature? {
        guard number > 0 else { return nil }
        let index = Int(number) - 1
        if index < scarCount { return .scar(index) }
        return index - scarCount < patchCount ? .patch(index - scarCount) : nil
    }

    /// The plan's region of cell `index` (`PlanRegion`): its scar's or patch's, else its
    /// anatomical region; nil off the scalp.
    public func planRegion(atIndex index: Int) -> PlanRegion? {
        guard let anatomical = region[index] else { return nil }
        let number = Int(featureNumber[index])
        if number == 0 { return PlanRegion(anatomical) }
        return number <= scarCount ? .scars : .alopeciaPatches
    }

    /// The plan's region at a chart point (nil outside the scalp or the raster): a dot's label.
    public func planRegion(atXMM x: Double, yMM y: Double) -> PlanRegion? {
        let column = Int(((x - bounds.minXMM) / cellMM).rounded(.down)), row = Int(((y - bounds.minYMM) / cellMM).rounded(.down))
        guard (0..<columns).contains(column), (0..<rows).contains(row) else { return nil }
        return planRegion(atIndex: row * columns + column)
    }

    /// Area of each plan region, cm², indexed by `PlanRegion.caseIndex`: the anatomical regions
    /// without their scars and patches.
    public var areaPerPlanRegionCM2: [Double] {
        var areas = [Double](repeating: 0, count: PlanRegion.allCases.count)
        let cellArea = cellMM * cellMM / 100
        for index in region.indices { if let label = planRegion(atIndex: index) { areas[label.caseIndex] += cellArea } }
        return areas
    }

    /// Cumulative target density after `session`, dots per cm², on this map's raster.
    public func density(after session: Session, design: Scene.Design) throws -> DensityRaster {
        var values = [Float](repeating: 0, count: designWeight.count)
        // The full density of each region, worked out once per region, not per cell (a
        // dictionary lookup hashes the region's name).
        let regionDotsPerCM2 = ScalpRegion.allCases.map { Float(design.dotsPerCM2 * (session.densityFactor * (session.regionFactors[$0] ?? 1))) }
        region.withUnsafeBufferPointer { region in
            designWeight.withUnsafeBufferPointer { weights in
                for index in values.indices {
                    guard let label = region[index] else { continue }
                    values[index] = regionDotsPerCM2[label.caseIndex] * weights[index]
                }
            }
        }
        return try DensityRaster(originXMM: bounds.minXMM, originYMM: bounds.minYMM, cellSizeMM: cellMM,
                                 columns: columns, rows: rows, dotsPerCM2: values)
    }
}
