import Foundation

/// Optical depth per pixel, one plane of Floats per channel, with four spare entries at the end
/// so that a four-pixel load from any pixel stays inside. Owns its memory.
struct DepthPlanes {
    let red: UnsafeMutablePointer<Float>
    let green: UnsafeMutablePointer<Float>
    let blue: UnsafeMutablePointer<Float>

    init(pixels: Int) {
        red = .allocate(capacity: pixels + 4)
        green = .allocate(capacity: pixels + 4)
        blue = .allocate(capacity: pixels + 4)
    }

    func deallocate() {
        red.deallocate()
        green.deallocate()
        blue.deallocate()
    }

    func clear(from start: Int, count: Int) {
        (red + start).initialize(repeating: 0, count: count)
        (green + start).initialize(repeating: 0, count: count)
        (blue + start).initialize(repeating: 0, count: count)
    }

    @inline(__always)
    func add(_ depth: SIMD4<Float>, at index: Int) {
        red[index] += depth.x
        green[index] += depth.y
        blue[index] += depth.z
    }

    /// Adds `depths` to the four values from `plane` on.
    @inline(__always)
    static func add(_ depths: SIMD4<Float>, at plane: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(plane)
        raw.storeBytes(of: raw.loadUnaligned(as: SIMD4<Float>.self) + depths, as: SIMD4<Float>.self)
    }

    /// Pixels index…index + 3, a vector per channel.
    @inline(__always)
    func load4(at index: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        (UnsafeRawPointer(red + index).loadUnaligned(as: SIMD4<Float>.self),
         UnsafeRawPointer(green + index).loadUnaligned(as: SIMD4<Float>.self),
         UnsafeRawPointer(blue + index).loadUnaligned(as: SIMD4<Float>.self))
    }

    /// One pixel's depths (R, G, B, 0).
    @inline(__always)
    func pixel(at index: Int) -> SIMD4<Float> { SIMD4(red[index], green[index], blue[index], 0) }
}
