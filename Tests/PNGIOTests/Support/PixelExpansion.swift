import PNGIO

/// RGB bytes with an opaque alpha byte added to every pixel: what the reader makes of RGB.
func rgbaFromRGB(_ rgb: [UInt8]) -> [UInt8] {
    var rgba: [UInt8] = []
    rgba.reserveCapacity(rgb.count / 3 * 4)
    for start in stride(from: 0, to: rgb.count, by: 3) {
        rgba += [rgb[start], rgb[start + 1], rgb[start + 2], 255]
    }
    return rgba
}

/// `pixels` in `format` expanded to RGBA8, as the reader documents.
func expandedToRGBA(_ pixels: [UInt8], format: PNGPixelFormat) -> [UInt8] {
    let channels = format.channels
    var rgba: [UInt8] = []
    for start in stride(from: 0, to: pixels.count, by: channels) {
        let pixel = Array(pixels[start..<(start + channels)])
        switch format {
        case .gray8: rgba += [pixel[0], pixel[0], pixel[0], 255]
        case .rgb8: rgba += pixel + [255]
        case .rgba8: rgba += pixel
        }
    }
    return rgba
}
