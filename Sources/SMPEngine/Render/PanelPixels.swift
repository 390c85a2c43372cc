import Foundation

/// A panel's pixels: RGB8, rows top to bottom, rendered in one call on one thread.
public struct PanelPixels: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let bytes: [UInt8]

    public init(_ image: some RowImage) {
        width = image.widthPixels
        height = image.heightPixels
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        let (width, height) = (width, height)
        bytes.withUnsafeMutableBytes { image.renderRows(0..<height, into: $0, rowStride: width * 3) }
        self.bytes = bytes
    }

    /// The mean of Rec. 709 luminance in linear light: what the eye's brightness is an average
    /// of (an average of sRGB codes would weigh dark pixels wrongly).
    public var meanLinearLuminance: Double {
        guard !bytes.isEmpty else { return 0 }
        let table = (0...255).map { Double(SRGBTransfer.decode(UInt8($0))) }
        var sum = 0.0
        for i in stride(from: 0, to: bytes.count, by: 3) {
            sum += 0.2126 * table[Int(bytes[i])] + 0.7152 * table[Int(bytes[i + 1])] + 0.0722 * table[Int(bytes[i + 2])]
        }
        return sum / Double(width * height)
    }
}
