/// A dot that still grows candidates (`SamplerState.grow`), packed in one vector so that the
/// growth loop moves it with one load and one store; the lanes are named for what they hold.
struct ActiveDot {
    var lanes: SIMD4<Float>

    /// Grid-relative position, mm.
    @inline(__always) var x: Float { lanes.x }
    @inline(__always) var y: Float { lanes.y }
    /// The distance its candidates are grown at (before `SpatialGrid.safety` and the annulus).
    @inline(__always) var spawnRadius: Float { lanes.z }
    /// How far before a strip's far edge it starts waiting for the next strip (`waits`): fixed
    /// per dot by its position, so it waits in the same strip whenever it is looked at.
    @inline(__always) var waitOffset: Float { lanes.w }

    @inline(__always)
    init(x: Float, y: Float, spawnRadius: Float, waitOffset: Float) {
        lanes = SIMD4(x, y, spawnRadius, waitOffset)
    }
}

/// A list of `ActiveDot`s in plain memory: the growth loop takes and appends dots without
/// bounds checks, uniqueness checks or reference counting. Owns its memory: `deallocate()`
/// it once, as `SamplerState.deallocate` does.
struct _ActiveList {
    private(set) var count = 0
    private var capacity: Int
    private var base: UnsafeMutablePointer<ActiveDot>

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    subscript(index: Int) -> ActiveDot {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    @inline(__always)
    mutating func append(_ dot: ActiveDot) {
        if count == capacity { grow() }
        base[count] = dot
        count += 1
    }

    /// Removes the dot at `index` by moving the last one into its place (order is not kept).
    @inline(__always)
    mutating func removeBySwappingLast(at index: Int) -> ActiveDot {
        let dot = base[index]
        count -= 1
        base[index] = base[count]
        return dot
    }

    /// Keeps the first `newCount` dots.
    @inline(__always)
    mutating func truncate(to newCount: Int) { count = newCount }

    var buffer: UnsafeBufferPointer<ActiveDot> { UnsafeBufferPointer(start: base, count: count) }

    private mutating func grow() {
        capacity *= 2
        let larger = UnsafeMutablePointer<ActiveDot>.allocate(capacity: capacity)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
    }
}
