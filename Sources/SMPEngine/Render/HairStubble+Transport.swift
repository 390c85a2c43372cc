import Foundation

extension HairStubble {
    /// The pigmented shaft runs on under the skin at this angle to the surface (the follicle's
    /// 30–60°, see `buriedLengthMM`), opposite to the emerging hair.
    static let shaftAngleDegrees = 45.0
    /// Shaft radius for the shadow, mm (`shaftWidthMM`, DOMAIN.md: 72–80 µm).
    static let shaftRadiusMM = Double(shaftWidthMM) / 2
    /// The shaft is followed down in steps of this.
    static let shaftStepMM = 0.05

    /// The shadow the hair shafts under the skin cast through it, beyond the direct view of
    /// their first tenths of a mm that `coverage` draws (its `buried` term): a pigmented shaft
    /// is buried ink too. Each shaft, followed from the surface down to `depthMM`, is cut into
    /// steps of `shaftStepMM` of depth; a black cylinder of radius a and length ℓ in diffuse
    /// light is hit as often as a black sheet of area πaℓ (half its surface), so each step is a
    /// sheet of that area at its depth, times the hair's absorptance 1 − hair colour. Its loss
    /// is spread by the transport kernel of that depth (`SkinTransportTable`), from the kernel's
    /// third width (0.18 mm) up; the narrower terms are the direct view already drawn. The
    /// hairs of one follicular unit are summed into one round component per kernel width, at the
    /// mass-weighted mean position and with the steps' spread added to its variance: a unit's
    /// hairs lie within 0.1 mm of each other, far less than the widths drawn. In chart mm.
    func transportShadow(hairColor: LinearRGB, view: MapView, depthMM: Double) -> [InkDot] {
        let scale = view.pixelsPerMM
        let angle = Self.shaftAngleDegrees * Double.pi / 180
        let depths = stride(from: Self.shaftStepMM / 2, to: depthMM, by: Self.shaftStepMM).map { $0 }
        let kernels = depths.map { SkinTransportTable.kernel(depthMM: $0).weights }
        let absorptance = SIMD3<Double>(1 - Double(hairColor.x), 1 - Double(hairColor.y), 1 - Double(hairColor.z))
        let stepArea = Double.pi * Self.shaftRadiusMM * Self.shaftStepMM / sin(angle)
        let firstDrawn = 2   // TransportKernelFit.sigmasMM[2] = 0.18 mm
        let widths = TransportKernelFit.sigmasMM.count - firstDrawn
        var result: [InkDot] = []
        var mass = [SIMD3<Double>](repeating: .zero, count: widths)
        var moment = [SIMD2<Double>](repeating: .zero, count: widths), second = [Double](repeating: 0, count: widths)
        func flush() {
            for k in 0..<widths where mass[k].y > 0 {
                let mean = moment[k] / mass[k].y
                let variance = max(0, second[k] / mass[k].y - (mean * mean).sum()) / 2
                let sigma = TransportKernelFit.sigmasMM[firstDrawn + k]
                result.append(InkDot(xMM: mean.x, yMM: mean.y, sigmaMM: (sigma * sigma + variance).squareRoot(), amount: 1,
                                     absorbance: LinearRGB(Float(mass[k].x), Float(mass[k].y), Float(mass[k].z)), layer: .dermal))
            }
            mass = [SIMD3<Double>](repeating: .zero, count: widths)
            moment = [SIMD2<Double>](repeating: .zero, count: widths)
            second = [Double](repeating: 0, count: widths)
        }
        var unit: Int32 = -1
        for record in records {
            if record.unit != unit {
                flush()
                unit = record.unit
            }
            let root = SIMD2(view.originXMM + Double(record.rootX) / scale, view.originYMM + Double(record.rootY) / scale)
            let direction = SIMD2(Double(record.dirX), Double(record.dirY))
            for (depth, weights) in zip(depths, kernels) {
                let position = root - direction * (depth / tan(angle))
                for k in 0..<widths {
                    let m = weights[firstDrawn + k] * absorptance * stepArea
                    mass[k] += m
                    moment[k] += position * m.y
                    second[k] += (position * position).sum() * m.y
                }
            }
        }
        flush()
        return result
    }
}
