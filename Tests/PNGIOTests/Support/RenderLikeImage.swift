import Foundation

/// An RGB image like the renderer's output, for measuring compression: smooth skin tone
/// (slow gradients), fine seeded noise of `noiseAmplitude` levels either way, and
/// `dotCount` small dark soft dots 1–3 px across. With `plainBackground`, pixels outside
/// a centred ellipse (about 40 % of the image) are a flat light grey, as a head preview on
/// a plain background. Rows top to bottom, 3 bytes per pixel.
func renderLikeImage(width: Int, height: Int, dotCount: Int, seed: UInt64,
                     noiseAmplitude: Int = 2, plainBackground: Bool = false) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    // Ink per pixel from soft dots: Gaussian profiles, sigma 0.4–1.1 px.
    var ink = [Float](repeating: 0, count: width * height)
    for _ in 0..<dotCount {
        let cx = Float.random(in: 0..<Float(width), using: &generator)
        let cy = Float.random(in: 0..<Float(height), using: &generator)
        let sigma = Float.random(in: 0.4...1.1, using: &generator)
        let amount = Float.random(in: 1.0...2.5, using: &generator)
        let reach = Int((3 * sigma).rounded(.up))
        for y in max(0, Int(cy) - reach)...min(height - 1, Int(cy) + reach) {
            for x in max(0, Int(cx) - reach)...min(width - 1, Int(cx) + reach) {
                let dx = Float(x) + 0.5 - cx
                let dy = Float(y) + 0.5 - cy
                ink[y * width + x] += amount * exp(-(dx * dx + dy * dy) / (2 * sigma * sigma))
            }
        }
    }
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    let skin: [Float] = [205, 160, 135]
    let absorbance: [Float] = [0.9, 1.0, 1.1] // per channel
    for y in 0..<height {
        for x in 0..<width {
            let fx = Float(x) / Float(width)
            let fy = Float(y) / Float(height)
            let offset = (y * width + x) * 3
            let ex = (fx - 0.5) / 0.42, ey = (fy - 0.55) / 0.45
            if plainBackground && ex * ex + ey * ey > 1 {
                pixels[offset] = 236
                pixels[offset + 1] = 238
                pixels[offset + 2] = 240
                continue
            }
            let shade = 1 + 0.08 * sin(fx * 5.1 + 0.3) * cos(fy * 3.7) - 0.06 * fy
            let value = ink[y * width + x]
            for channel in 0..<3 {
                let noise = noiseAmplitude > 0 ? Float(Int.random(in: -noiseAmplitude...noiseAmplitude, using: &generator)) : 0
                let level = skin[channel] * shade * exp(-value * absorbance[channel]) + noise
                pixels[offset + channel] = UInt8(max(0, min(255, level.rounded())))
            }
        }
    }
    return pixels
}

/// An RGB image like a chart or mask: white, a grid of 1 px grey lines every 40 px, and
/// seeded flat coloured rectangles. No gradients, no noise. Rows top to bottom, 3 bytes per pixel.
func chartLikeImage(width: Int, height: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    var pixels = [UInt8](repeating: 255, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width where x % 40 == 0 || y % 40 == 0 {
            let offset = (y * width + x) * 3
            pixels[offset] = 200
            pixels[offset + 1] = 200
            pixels[offset + 2] = 200
        }
    }
    for _ in 0..<300 {
        let x0 = Int.random(in: 0..<width, using: &generator), y0 = Int.random(in: 0..<height, using: &generator)
        let x1 = min(width, x0 + Int.random(in: 4...200, using: &generator))
        let y1 = min(height, y0 + Int.random(in: 4...200, using: &generator))
        let colour = [UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                      UInt8.random(in: 0...255, using: &generator)]
        for y in y0..<y1 {
            for x in x0..<x1 {
                let offset = (y * width + x) * 3
                pixels[offset] = colour[0]
                pixels[offset + 1] = colour[1]
                pixels[offset + 2] = colour[2]
            }
        }
    }
    return pixels
}
