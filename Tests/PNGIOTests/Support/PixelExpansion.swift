/// RGB bytes with an opaque alpha byte added to every pixel: what the reader makes of RGB.
func rgbaFromRGB(_ rgb: [UInt8]) -> [UInt8] {
    var rgba: [UInt8] = []
    rgba.reserveCapacity(rgb.count / 3 * 4)
    for start in stride(from: 0, to: rgb.count, by: 3) {
        rgba += [rgb[start], rgb[start + 1], rgb[start + 2], 255]
    }
    return rgba
}
