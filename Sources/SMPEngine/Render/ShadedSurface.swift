/// A `ScalpSurface`'s pixel terms (`SurfaceShading.shadeRow`: the skin under no hair and the
/// hair's share, per pixel) worked out once for the whole view and kept. The live page redraws
/// the same chart on every change of density, time or ink, and the skin, pores and stubble
/// under the pigment do not change with them; copying a row back gives the very floats
/// `shadeRow` would, so the pixels are the same bytes.
///
/// 32 bytes a pixel, four times the texture's own level 0: kept by the preview's stage cache
/// beside its surface; a render, which draws each surface a few times at most and holds several
/// textures in flight, shades the rows as it goes.
public final class ShadedSurface: SurfaceShading, @unchecked Sendable {
    let width: Int, height: Int
    /// Row-major, `width` × `height`; written once in `init`, read only after.
    private let skin: UnsafeMutablePointer<SIMD4<Float>>
    private let hair: UnsafeMutablePointer<SIMD4<Float>>

    /// `surface`'s terms for every pixel of its view, its rows shaded on `threads` threads (each
    /// row alone, so the same floats for any count).
    public init(_ surface: ScalpSurface, threads: Int) {
        width = surface.view.widthPixels
        height = surface.view.heightPixels
        let count = max(1, width * height)
        skin = .allocate(capacity: count)
        hair = .allocate(capacity: count)
        skin.initialize(repeating: .zero, count: count)
        hair.initialize(repeating: .zero, count: count)
        let rowsPerTask = 16, (width, height) = (width, height)
        let target = UnsafeSendable((skin, hair))
        // Each task writes only its own rows.
        _ = ParallelWork.map(count: (height + rowsPerTask - 1) / rowsPerTask, threads: threads) { task in
            let (skin, hair) = target.value
            for row in (task * rowsPerTask)..<min(height, (task + 1) * rowsPerTask) {
                surface.shadeRow(row, skin: skin + row * width, hair: hair + row * width)
            }
        }
    }

    deinit {
        skin.deallocate()
        hair.deallocate()
    }

    func shadeRow(_ row: Int, skin skinTerms: UnsafeMutablePointer<SIMD4<Float>>, hair hairTerms: UnsafeMutablePointer<SIMD4<Float>>) {
        precondition(row >= 0 && row < height, "ShadedSurface: row \(row) outside the view's 0..<\(height)")
        skinTerms.update(from: skin + row * width, count: width)
        hairTerms.update(from: hair + row * width, count: width)
    }
}
