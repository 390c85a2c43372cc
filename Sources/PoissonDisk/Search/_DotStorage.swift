/// The dots of one run, structure of arrays in plain memory: the hot loop appends and reads
/// without bounds checks, uniqueness checks or reference counting. Owns its memory.
struct _DotStorage {
    private(set) var count = 0
    private(set) var capacity: Int
    private(set) var xs: UnsafeMutablePointer<Float>
    private(set) var ys: UnsafeMutablePointer<Float>
    private(set) var spacings: UnsafeMutablePointer<Float>
    /// A thinned dot blocks its neighbourhood like any other but is not returned.
    private(set) var isGhost: UnsafeMutablePointer<Bool>

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        xs = .allocate(capacity: self.capacity)
        ys = .allocate(capacity: self.capacity)
        spacings = .allocate(capacity: self.capacity)
        isGhost = .allocate(capacity: self.capacity)
    }

    func deallocate() {
        xs.deallocate()
        ys.deallocate()
        spacings.deallocate()
        isGhost.deallocate()
    }

    @inline(__always)
    mutating func append(x: Float, y: Float, spacing: Float, ghost: Bool) {
        if count == capacity { grow() }
        xs[count] = x
        ys[count] = y
        spacings[count] = spacing
        isGhost[count] = ghost
        count += 1
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        func moved<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            return new
        }
        xs = moved(xs)
        ys = moved(ys)
        spacings = moved(spacings)
        isGhost = moved(isGhost)
        capacity = newCapacity
    }
}
