/// An image produced row by row, in any order and on any thread: what `BandedPNGOutput`
/// streams into a PNG. Rows are RGB8; a row's bytes start `rowStride` apart in `output`, so an
/// image can draw into part of a wider one (the comparison).
public protocol RowImage: Sendable {
    var widthPixels: Int { get }
    var heightPixels: Int { get }
    /// The physical scale written to pHYs (nil for images without one).
    var pixelsPerMM: Double? { get }
    func renderRows(_ rows: Range<Int>, into output: UnsafeMutableRawBufferPointer, rowStride: Int)
}
