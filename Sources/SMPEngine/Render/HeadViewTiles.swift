/// Where the rays of a tile of pixels can start their march: one cone around the tile's rays,
/// sphere traced from the eye until it comes near a surface, tells every ray of the tile that
/// the stretch before that depth holds no surface and passes none within an edge's cone (the
/// march would otherwise spend a third of its steps there, approaching the face from its
/// parts' bounds). Tiles are fixed squares of the image, so a tile's start is the same for any
/// band split or thread count.
extension HeadViewGeometry {
    /// Pixels on a tile's side.
    public static let tilePixels = 16

    /// How near (mm, in the distance of the tile's parts) the cone may come to a surface before
    /// it stops, at least: a pixel of a large view is a few tenths of a millimetre at the head.
    static let tileStopMM = 1.0

    /// The march start (mm along each ray from the eye; 0: none known) for each tile in tile row
    /// `tileRow`, left to right.
    public func tileStarts(tileRow: Int) -> [Double] {
        let size = Self.tilePixels
        let columns = (widthPixels + size - 1) / size
        return (0..<columns).map { tileColumn in
            tileStart(x0: Double(tileColumn * size), y0: Double(tileRow * size),
                      x1: Double(min((tileColumn + 1) * size, widthPixels)), y1: Double(min((tileRow + 1) * size, heightPixels)))
        }
    }

    /// The start for the rays through image rectangle (x0, y0)–(x1, y1), pixels.
    ///
    /// Every ray of the tile meets only parts among those whose reach box overlaps the
    /// rectangle (`HeadViewCull`); the distance of those parts without the carving ones is at
    /// most any such ray's (adding a part's smooth minimum can only lower it, and a carving
    /// part's smooth maximum only raises it), so it bounds their surfaces from below. A ray
    /// whose direction is within s (chord) of the axis is within t·s of the axis's point at
    /// depth t, so from a depth where that distance is d its own stays positive for the next
    /// d − t·s: the cone steps by that, with the march's own slack.
    func tileStart(x0: Double, y0: Double, x1: Double, y1: Double) -> Double {
        var parts: UInt32 = 0, surface = false
        for index in cull.reachBoxes.indices {
            let r = cull.reachBoxes[index]
            guard r.x <= x1, r.y <= y1, r.z >= x0, r.w >= y0 else { continue }
            let s = cull.surfaceBoxes[index]
            if s.x <= x1, s.y <= y1, s.z >= x0, s.w >= y0 { surface = true }
            if !head.parts[index].carves { parts |= 1 << UInt32(index) }
        }
        guard surface, parts != 0 else { return 0 }
        let axis = camera.ray(x: 0.5 * (x0 + x1), y: 0.5 * (y0 + y1))
        var spread = 0.0
        for (x, y) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
            let chord = camera.ray(x: x, y: y) - axis
            spread = max(spread, (chord * chord).sum().squareRoot())
        }
        // A little more than the corners' chord, for the rounding of the rays between them.
        spread *= 1.01
        // Between two depths the cone stepped from and to, a ray's distance stays above half the
        // smaller clearance: the stop is kept above two pixels' width there, so that no ray of
        // the tile passes a surface within its edge cone (`HeadModel.intersect`) before the start.
        var t = 0.0, previous = 0.0
        for _ in 0..<64 {
            let clearance = head.distance(camera.eye + axis * t, active: parts) - t * spread
            guard clearance > max(Self.tileStopMM, 4 * t / camera.focalPixels) else { break }
            previous = t
            t += 0.95 * clearance
        }
        // The last depth known clear, never one the cone's step has not yet vouched for.
        return previous
    }
}
