/// A colour as 8-bit sRGB channels, the encoding of the images text is drawn into.
public struct RGB8Color: Sendable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let black = RGB8Color(red: 0, green: 0, blue: 0)
    public static let white = RGB8Color(red: 255, green: 255, blue: 255)
}
