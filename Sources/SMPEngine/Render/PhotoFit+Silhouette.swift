import Foundation
import PhotoIO

extension PhotoFit {
    /// The head-model point a technician's vertex mark stands for, seen by `camera`. From above
    /// the head's top the mark is the skull's top point itself; from below it (every frontal or
    /// side photo) the top of the head is its outline, and the mark lies on the silhouette, above
    /// the skull's top point in the picture (5-6 px on a 640 px front view at 60 cm): the point
    /// where the ray from the head's centre in the image through the top point's projection
    /// leaves the head. Fitting the top point to a mark on the outline pulls a near camera's head
    /// up and larger, and the outline search drifted to a long lens far away.
    static func vertexModelPoint(camera: HeadCamera, head: HeadModel) -> SIMD3<Double> {
        let top = head.intersect(origin: SIMD3(0, 0, 1000), direction: SIMD3(0, 0, -1), edgeSlope: 0).hit?.point
            ?? SIMD3(0, 0, head.shape.earToTopMM)
        guard camera.eye.z < top.z, let centre = camera.project(SIMD3(0, 0, 0.3 * head.shape.earToTopMM)),
              let projected = camera.project(top) else { return top }
        let offset = projected - centre
        let length = (offset * offset).sum().squareRoot()
        guard length > 1 else { return top }
        let geometry = HeadViewGeometry(camera: camera, head: head)
        return silhouette(geometry: geometry, from: centre, along: offset / length, startRadius: 0.9 * length)?.point ?? top
    }

    /// Where the head's silhouette crosses the image ray from `centre` along `direction`, marching
    /// out from `startRadius` (which must meet the head) and bisected to a hundredth of a pixel:
    /// the radius and the head point the last ray inside meets (on the silhouette's rim).
    static func silhouette(geometry: HeadViewGeometry, from centre: SIMD2<Double>, along direction: SIMD2<Double>,
                           startRadius: Double) -> (radius: Double, point: SIMD3<Double>)? {
        func hit(_ radius: Double) -> HeadModel.Hit? {
            let p = centre + direction * radius
            return geometry.hit(x: p.x, y: p.y, edgeSlope: 0).hit
        }
        guard var inside = hit(startRadius).map({ _ in startRadius }) else { return nil }
        let step = max(1, 0.05 * startRadius)
        var outside = inside + step
        let limit = 4.0 * Double(max(geometry.camera.widthPixels, geometry.camera.heightPixels))
        while hit(outside) != nil {
            inside = outside
            outside += step
            guard outside < limit else { return nil }
        }
        while outside - inside > 0.01 {
            let middle = 0.5 * (inside + outside)
            if hit(middle) != nil { inside = middle } else { outside = middle }
        }
        return hit(inside).map { (inside, $0.point) }
    }

    /// How much one outline ray's gap weighs against one landmark coordinate's residual: marks
    /// set by eye are good to about 1 % of the landmarks' spread (`Priors`; 10-15 px of 490 on
    /// the 1200 px photo-like case's glabella and tragions), a ray's edge to a third of that
    /// (the edge itself within half a pixel of a rendered silhouette; a real head's vault is not
    /// the model's).
    static let outlineRayWeight = 3.0

    /// A ray of the photo's head outline the fit is held to: the fitted silhouette's rim point
    /// `point` (head model, mm), projected, should cross the ray from `centre` along `direction`
    /// at `edgeRadius`, where the photo's head ends. A point of the rim moves along the view ray
    /// as the camera moves, which does not move its projection: to first order the rim point
    /// stands for the silhouette, and the fit is repeated with fresh rim points and edges.
    struct OutlineTarget {
        var point: SIMD3<Double>
        var centre: SIMD2<Double>
        var direction: SIMD2<Double>
        var edgeRadius: Double
        /// The residual per pixel of gap (`outlineRayWeight`).
        var weight: Double

        func residual(_ camera: HeadCamera) -> Double {
            guard let projected = camera.project(point) else { return 1e6 }
            return weight * (((projected - centre) * direction).sum() - edgeRadius)
        }
    }

    /// The outline's rays with an edge the fit can be held to, each weighted
    /// `outlineRayWeight`. A ray whose edge lies off
    /// both neighbours' (by more than `PhotoOutline.agreementPixels` of spill; a shadow, a fleck
    /// of background) is left out.
    static func outlineTargets(_ outline: PhotoOutline, camera: HeadCamera, head: HeadModel) -> [OutlineTarget] {
        let geometry = HeadViewGeometry(camera: camera, head: head)
        let count = outline.samples.count
        // Edges far off the rest (hair standing past the scalp beside the ears: 12-17 px on the
        // 1200 px photo-like case's true camera, where the others lie within half a pixel) are
        // not the scalp's outline.
        let spills = outline.samples.compactMap { $0?.spillPixels.map(abs) }.sorted()
        let farthest = spills.isEmpty ? 0 : max(2, 3 * spills[spills.count / 2])
        var targets: [OutlineTarget] = []
        for index in outline.samples.indices {
            guard let sample = outline.samples[index], let spill = sample.spillPixels, let edge = sample.edgeRadius,
                  abs(spill) <= farthest else { continue }
            let neighbours = [outline.samples[(index + count - 1) % count]?.spillPixels,
                              outline.samples[(index + 1) % count]?.spillPixels].compactMap { $0 }
            guard neighbours.contains(where: { abs($0 - spill) <= PhotoOutline.agreementPixels }) else { continue }
            let direction = SIMD2(cos(sample.angle), sin(sample.angle))
            let p = outline.point(of: sample)
            guard let rim = geometry.hit(x: p.x, y: p.y, edgeSlope: 0).hit?.point else { continue }
            targets.append(OutlineTarget(point: rim, centre: outline.centre, direction: direction, edgeRadius: edge,
                                         weight: outlineRayWeight))
        }
        return targets
    }

    /// The pose fitted again with the vertex mark on the silhouette (`vertexModelPoint`) and, with
    /// `photo`, held to the photo's head outline too (`OutlineTarget`): `rounds` times, each with
    /// the rim points and edges of the pose before. Returns the pose, the landmarks' model points
    /// it was fitted to, and the photo's outline against it.
    static func refine(_ start: Pose, names: [PhotoSettings.Landmark], model: [SIMD3<Double>], observed: [SIMD2<Double>],
                       priors: Priors, head: HeadModel, photo: Photo?, landmarks: [PhotoSettings.Landmark: SIMD2<Double>],
                       rounds: Int) -> (pose: Pose, model: [SIMD3<Double>], outline: PhotoOutline?) {
        var pose = start, model = model
        let vertex = names.firstIndex(of: .vertex)
        var outline: PhotoOutline?
        for _ in 0..<rounds {
            if let vertex { model[vertex] = vertexModelPoint(camera: pose.camera, head: head) }
            var targets: [OutlineTarget] = []
            if let photo {
                let seen = PhotoFit.outline(of: photo, camera: pose.camera, head: head, landmarks: landmarks)
                // Too few edges (a background of the skin's colour): the outline holds nothing.
                if seen.meanSquareGap != nil {
                    targets = outlineTargets(seen, camera: pose.camera, head: head)
                }
            }
            let before = pose.camera
            pose = levenbergMarquardt(pose, model: model, observed: observed, priors: priors, outline: targets)
            // Still: the rim points and edges would not move.
            let moved = pose.camera.eye - before.eye
            if (moved * moved).sum() < 0.01, abs(pose.camera.focalPixels / before.focalPixels - 1) < 1e-4 { break }
        }
        if let vertex { model[vertex] = vertexModelPoint(camera: pose.camera, head: head) }
        if let photo { outline = PhotoFit.outline(of: photo, camera: pose.camera, head: head, landmarks: landmarks) }
        return (pose, model, outline)
    }
}
