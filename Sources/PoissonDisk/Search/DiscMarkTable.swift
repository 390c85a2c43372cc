/// The coverage mask's marks for one dot, looked up rather than worked out: for a dot whose
/// centre lies in a given quarter-subcell of its grid cell, and a neighbouring cell whose
/// exclusion radius falls in a given class, the UInt64 of that cell's subcells the disc holds
/// whole wherever in the quarter-subcell the centre is. Marking a dot is then a load and an OR
/// per neighbouring cell, where `CoverageMask.mark` works out a distance per subcell, with
/// branches the processor cannot predict.
///
/// Conservative by construction, so the mask still never lets a conflict through: a radius
/// class is the radius rounded *down* to a quarter subcell, the centre is taken at the worst
/// corner of its quarter-subcell, and the radius is shrunk by `CoverageMask.radiusMargin` like
/// the exact marks. It marks about 95.6 % of the bits `CoverageMask.mark` does (a test holds
/// it to a subset of them, and to at least 90 %); what it leaves open goes to the exact checks.
///
/// Why quarter-subcell steps: with half-subcell centres the table marks 93 % of the exact
/// bits, and every bit it misses sends the sweep into another cell; radius classes of half a
/// subcell would lose 2 % more bits than quarter ones (Benchmarks/NOTES.md).
/// Layout: per class, per x offset of a neighbour's column from the centre (in quarter
/// subcells, `32·dx − i`) and per phase of the centre's quarter-subcell row, one byte per
/// subcell row offset (a row's eight subcell bits); a neighbour's eight rows are consecutive,
/// so its word is one unaligned 8-byte load. Neighbours up to two cells away in each
/// direction: discs up to two cells in radius (`largestRadiusInSubcells`), which in a uniform
/// field at the default regularity is all of them; larger ones use the exact marks. 30,720
/// bytes per class; a run uses the classes its radii can fall in (14, 0.43 MB, in a uniform
/// field at the default regularity; at most 20, 0.61 MB), which are built once per process.
struct DiscMarkTable {
    /// Centre positions per subcell, per axis: quarter-subcells.
    static let quantaPerSubcell = 4
    /// Centre positions per cell, per axis, and its base-2 logarithm.
    static let quantaPerCell = 8 * quantaPerSubcell
    static let quantaPerCellShift = quantaPerCell.trailingZeroBitCount
    /// Radius classes per subcell.
    static let classesPerSubcell = 4
    /// Neighbours looked at, each direction, in cells.
    static let neighbourReach = 2
    /// Discs larger than this are left to `CoverageMask.mark`: the table holds neighbours
    /// two cells away at most.
    static let largestRadiusInSubcells = Float(8 * neighbourReach)
    /// x offsets of a neighbour's column, in quanta: Q·dx − i for |dx| ≤ 2 and i in 0..<Q,
    /// Q = `quantaPerCell`.
    static let smallestColumnOffset = -quantaPerCell * neighbourReach - quantaPerCell + 1
    static let columnOffsetCount = 2 * quantaPerCell * neighbourReach + quantaPerCell
    /// Subcell row offsets 8·dy + b − ⌊j/q⌋ for |dy| ≤ 2, b and ⌊j/q⌋ in 0..<8, padded to 48.
    static let smallestRowOffset = -8 * neighbourReach - 7
    static let rowLength = 16 * neighbourReach + 16
    static let classLength = columnOffsetCount * quantaPerSubcell * rowLength

    let smallestClass: Int
    let largestClass: Int
    /// `smallestClass`'s bytes in `allClasses`.
    let bytes: UnsafePointer<UInt8>

    /// The classes of radii from `smallestRadius` to `largestRadius` subcells; radii beyond
    /// `largestRadiusInSubcells` take its class. `smallestRadius` is at least √2 cells (8√2
    /// subcells), as no spacing is below that in a run's grid.
    init(smallestRadius: Float, largestRadius: Float) {
        let scale = Float(DiscMarkTable.classesPerSubcell)
        smallestClass = Int(smallestRadius * scale)
        largestClass = max(smallestClass, Int(min(largestRadius, DiscMarkTable.largestRadiusInSubcells) * scale))
        precondition(smallestClass >= DiscMarkTable.firstClass,
                     "disc mark radii from \(smallestRadius) subcells; allowed: from √2 cells, 8√2 subcells")
        bytes = DiscMarkTable.allClasses + (smallestClass - DiscMarkTable.firstClass) * DiscMarkTable.classLength
    }

    /// The class of a disc of √2 cells, the smallest a run can ask for.
    static let firstClass = Int(Float(8) * Float(2).squareRoot() * Float(classesPerSubcell))
    static let lastClass = Int(largestRadiusInSubcells * Float(classesPerSubcell))

    /// Every class a run can ask for, from `firstClass` to `lastClass` (20 of them, 0.61 MB),
    /// built on first use and kept: the bytes of a class are the same in every run, and each
    /// run building its own was a measurable share of a run (Benchmarks/NOTES.md).
    /// `nonisolated(unsafe)`: written only while the lazy global initialiser runs (once,
    /// synchronised), read-only after.
    nonisolated(unsafe) static let allClasses: UnsafePointer<UInt8> = {
        let count = (lastClass - firstClass + 1) * classLength
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        bytes.initialize(repeating: 0, count: count)
        for radiusClass in firstClass...lastClass {
            fill(radiusClass, into: bytes + (radiusClass - firstClass) * classLength)
        }
        return UnsafePointer(bytes)
    }()

    /// Writes the bytes of one class to `base` (zeroed, `classLength` long). Works in quanta
    /// (1/q subcell), with integers where it can: a subcell [L, L + 1] (one axis) and a centre
    /// anywhere in the quantum [i/q, (i + 1)/q] are at most max(t + q, 1 − t) quanta apart,
    /// t = qL − i. A row's subcells within reach form one run of columns.
    private static func fill(_ radiusClass: Int, into base: UnsafeMutablePointer<UInt8>) {
        let q = DiscMarkTable.quantaPerSubcell
        let radius = Double(radiusClass) / Double(DiscMarkTable.classesPerSubcell) * Double(CoverageMask.radiusMargin)
        let reach2 = (Double(q) * radius) * (Double(q) * radius)
        for phase in 0..<q {
            for rowIndex in 0..<(2 * DiscMarkTable.neighbourReach + 1) * 8 + 7 {
                let t = q * (rowIndex + DiscMarkTable.smallestRowOffset) - phase
                let farY = Double(max(t + q, 1 - t))
                let left = reach2 - farY * farY
                guard left > 1 else { continue }
                // The largest far x, e, with e² < left (the square root only starts the search).
                var e = Int(left.squareRoot())
                while Double(e * e) >= left { e -= 1 }
                while Double((e + 1) * (e + 1)) < left { e += 1 }
                // Columns whose far x is at most e: s = qL − i in [1 − e, e − q].
                let lowest = 1 - e, highest = e - q
                guard lowest <= highest else { continue }
                // Subcell column a of the neighbour has s = offset + qa: a from ⌈(lowest − offset)/q⌉
                // to ⌊(highest − offset)/q⌋ (offsets shifted to be positive for the divisions).
                let shift = q * 64
                // Only offsets that can mark something: above `highest` every column is past the
                // far side, below `lowest` − 7q short of the near side. Wrapping arithmetic (the
                // values stay within a few hundred). Together, 40 % off the table's build, which
                // was 2 % of a uniform run.
                let firstIndex = max(lowest - 7 * q - DiscMarkTable.smallestColumnOffset, 0)
                let lastIndex = min(highest - DiscMarkTable.smallestColumnOffset, DiscMarkTable.columnOffsetCount - 1)
                guard firstIndex <= lastIndex else { continue }
                var entry = base + ((firstIndex &* q &+ phase) &* DiscMarkTable.rowLength &+ rowIndex)
                for columnIndex in firstIndex...lastIndex {
                    let offset = columnIndex &+ DiscMarkTable.smallestColumnOffset
                    let first = max((lowest &- offset &+ shift &+ q &- 1) / q &- 64, 0)
                    let last = min((highest &- offset &+ shift) / q &- 64, 7)
                    if first <= last { entry.pointee = UInt8(truncatingIfNeeded: (0xFF &>> (7 &- last)) & (0xFF &<< first)) }
                    entry += q &* DiscMarkTable.rowLength
                }
            }
        }
    }

    /// The bits of the neighbour `dx`, `dy` cells from a centre in quantum (i, j) of its cell
    /// (each in 0..<`quantaPerCell`), for a radius class in `smallestClass...largestClass`.
    @inline(__always)
    func word(radiusClass: Int, dx: Int, dy: Int, i: Int, j: Int) -> UInt64 {
        let q = DiscMarkTable.quantaPerSubcell
        let columnIndex = DiscMarkTable.quantaPerCell &* dx &- i &- DiscMarkTable.smallestColumnOffset
        let rowIndex = 8 &* dy &- j / q &- DiscMarkTable.smallestRowOffset
        let offset = (radiusClass &- smallestClass) &* DiscMarkTable.classLength
            &+ (columnIndex &* q &+ j % q) &* DiscMarkTable.rowLength &+ rowIndex
        return UInt64(littleEndian: UnsafeRawPointer(bytes + offset).loadUnaligned(as: UInt64.self))
    }
}
