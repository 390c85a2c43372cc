import Foundation

/// What the renderer draws pigment over: textured skin and stubble (`ScalpSurface`) or one
/// flat colour (`FlatSkin`). A protocol only to specialise the pixel loop for each; never used
/// as an existential.
protocol SurfaceShading {
    /// Over each pixel of `row`: the mean of (1 − hairCover) · skin into `skin`, and of
    /// hairCover · hair into `hair` (lane 3 unused).
    func shadeRow(_ row: Int, skin: UnsafeMutablePointer<SIMD4<Float>>, hair: UnsafeMutablePointer<SIMD4<Float>>)
}

extension ScalpSurface: SurfaceShading {}

struct FlatSkin: SurfaceShading {
    let skin: LinearRGB
    let width: Int

    func shadeRow(_ row: Int, skin skinTerms: UnsafeMutablePointer<SIMD4<Float>>, hair: UnsafeMutablePointer<SIMD4<Float>>) {
        skinTerms.update(repeating: SIMD4(skin, 0), count: width)
        hair.update(repeating: .zero, count: width)
    }
}
