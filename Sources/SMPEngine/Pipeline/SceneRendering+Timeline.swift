import ImageText
import PoissonDisk

/// `timeline.png`: one treated region at true scale, from the day of the last session to five
/// years on, so that a patient sees the healing days (redness, scabs, the patchy second week)
/// and the slow fade, and a technician sees what a touch-up would answer.
extension SceneRendering {
    /// The moments the timeline shows, in days after the last session, with their labels: the
    /// same days `smp render --at Nd` (and `1y`, `5y`) shows.
    public static let timelineMoments: [(label: String, daysAfterLastSession: Double)] = [
        ("day 0", 0), ("day 3", 3), ("day 7", 7), ("day 14", 14), ("day 30", 30),
        ("1 year", 365.25), ("5 years", 5 * 365.25),
    ]

    /// Each panel's side: large enough to show the pattern of dots and the healing field
    /// around them, small enough that seven panels at 10 px/mm stay a screen wide or so.
    public static let timelinePanelMM = 20.0

    /// The timeline's text size, pixels per em: about 2 mm (6 pt) on a 1:1 print, and never
    /// below what a screen shows legibly or above a label's share of a panel.
    public static func timelineTextPixels(pixelsPerMM: Double) -> Int {
        min(40, max(12, Int((2 * pixelsPerMM).rounded())))
    }

    /// The panel's window on the chart: `timelinePanelMM` square around the place the last
    /// session treated most fully. Windows are scored by how many of the last session's dots
    /// they hold (on a 1 mm grid); of those within 5 % of the best, the one nearest the dots'
    /// centroid wins, so that the panel shows a typical, fully treated patch, not a boundary
    /// and not an outlier. Only dots inside the scene's `render.crop`, when it has one and they
    /// exist there: the crop is the region the scene asks to look at. Without dots, the centre
    /// of `view`.
    public func timelineView(map: ScalpMap, dots: [PoissonDot], view: MapView) -> MapView {
        let side = Self.timelinePanelMM
        var chosen = dots.filter { $0.layer == scene.sessions.count }
        if chosen.isEmpty { chosen = dots }
        if let crop = scene.render.crop {
            let inside = chosen.filter {
                $0.xMM >= crop.xMM && $0.xMM < crop.xMM + crop.widthMM && $0.yMM >= crop.yMM && $0.yMM < crop.yMM + crop.heightMM
            }
            if !inside.isEmpty { chosen = inside }
        }
        func window(centreX: Double, centreY: Double) -> MapView {
            MapView(originXMM: centreX - side / 2, originYMM: centreY - side / 2, widthMM: side, heightMM: side,
                    pixelsPerMM: view.pixelsPerMM)
        }
        guard !chosen.isEmpty else { return window(centreX: view.originXMM + view.widthMM / 2, centreY: view.originYMM + view.heightMM / 2) }

        // Dot counts per 1 mm cell over the dots' extent, summed over every window of
        // side × side cells with a summed-area table.
        let cell = 1.0, span = Int(side / cell)
        let minX = chosen.map(\.xMM).min() ?? 0, minY = chosen.map(\.yMM).min() ?? 0
        let columns = max(span, Int(((chosen.map(\.xMM).max() ?? 0) - minX) / cell) + 1)
        let rows = max(span, Int(((chosen.map(\.yMM).max() ?? 0) - minY) / cell) + 1)
        var table = [Int](repeating: 0, count: (columns + 1) * (rows + 1))
        for dot in chosen {
            let column = min(columns - 1, Int((dot.xMM - minX) / cell)), row = min(rows - 1, Int((dot.yMM - minY) / cell))
            table[(row + 1) * (columns + 1) + column + 1] += 1
        }
        for row in 1...rows {
            for column in 1...columns {
                let i = row * (columns + 1) + column
                table[i] += table[i - 1] + table[i - columns - 1] - table[i - columns - 2]
            }
        }
        func count(row: Int, column: Int) -> Int {
            let top = row * (columns + 1), bottom = (row + span) * (columns + 1)
            return table[bottom + column + span] - table[bottom + column] - table[top + column + span] + table[top + column]
        }
        let windows = (0...(rows - span)).flatMap { row in (0...(columns - span)).map { (row: row, column: $0) } }
        let best = windows.map { count(row: $0.row, column: $0.column) }.max() ?? 0
        let centroidX = chosen.map(\.xMM).reduce(0, +) / Double(chosen.count)
        let centroidY = chosen.map(\.yMM).reduce(0, +) / Double(chosen.count)
        var centre = (x: centroidX, y: centroidY), nearest = Double.infinity
        // In row-major order, the first of equally near windows: the same choice every run.
        for candidate in windows where Double(count(row: candidate.row, column: candidate.column)) >= 0.95 * Double(best) {
            let x = minX + (Double(candidate.column) + Double(span) / 2) * cell
            let y = minY + (Double(candidate.row) + Double(span) / 2) * cell
            let distance = (x - centroidX) * (x - centroidX) + (y - centroidY) * (y - centroidY)
            if distance < nearest {
                nearest = distance
                centre = (x, y)
            }
        }
        return window(centreX: centre.x, centreY: centre.y)
    }

    /// The timeline image: one panel per `timelineMoments` entry of the window `timelineView`
    /// picks, rendered like the map images (textured skin, stubble, pigment on that day),
    /// labelled, with a title naming the scene and saying it is a simulation.
    public func timeline(_ preview: ScenePreview, view: MapView, font: Font) throws -> TimelineImage<MapRenderer> {
        let dots = preview.dots
        let window = timelineView(map: preview.map, dots: dots, view: view)
        let surface = preview.surface(view: window)
        let lastDay = scene.sessions.last?.day ?? 0
        let panels = Self.timelineMoments.map { moment in
            (label: moment.label, image: renderer(view: window, dots: dots, day: lastDay + moment.daysAfterLastSession, surface: surface))
        }
        let side = Int(Self.timelinePanelMM)
        let title = "\(scene.name) · simulation · \(side) × \(side) mm at 1:1, after session \(scene.sessions.count)"
        return try TimelineImage(title: title, panels: panels, font: font,
                                 pixelSize: Self.timelineTextPixels(pixelsPerMM: view.pixelsPerMM), scaleBarMM: 5)
    }
}
