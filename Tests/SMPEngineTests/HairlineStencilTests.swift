import Foundation
import Testing
@testable import SMPEngine

@Suite("The hairline stencil: true scale in PNG and PDF")
struct HairlineStencilTests {
    static let text = """
        name: stencil
        seed: 5
        hairLoss: { pattern: norwood5 }
        hairline: { style: natural, heightAboveBrowMM: 75, irregularityMM: 0 }
        """

    @Test("the page is the stencil's size at 72/25.4 points per mm, and every object starts where the xref says")
    func pdf() throws {
        let scene = try Scene.load(yaml: Self.text, file: "s.yaml")
        let stencil = HairlineStencil(scene: scene, map: ScalpMap(scene: scene))
        let data = stencil.pdf()
        let file = String(decoding: data, as: UTF8.self)
        #expect(file.hasPrefix("%PDF-1.4\n") && file.hasSuffix("%%EOF\n"))
        let box = String(format: "/MediaBox [0 0 %.2f %.2f]", stencil.widthMM * 72 / 25.4, stencil.heightMM * 72 / 25.4)
        #expect(file.contains(box))
        let bytes = Array(data)
        let xrefStart = try #require(file.range(of: "startxref\n")).upperBound
        let xref = try #require(Int(file[xrefStart...].prefix { $0.isNumber }))
        #expect(String(decoding: bytes[xref..<(xref + 4)], as: UTF8.self) == "xref")
        let entries = file[file.index(file.startIndex, offsetBy: xref)...].split(separator: "\n").dropFirst(3).prefix(5)
        for (index, entry) in entries.enumerated() {
            let offset = try #require(Int(entry.prefix(10)))
            #expect(String(decoding: bytes[offset..<(offset + 8)], as: UTF8.self) == "\(index + 1) 0 obj\n")
        }
        let length = try #require(file.range(of: "/Length ")).upperBound
        let declared = try #require(Int(file[length...].prefix { $0.isNumber }))
        let streamStart = try #require(file.range(of: "stream\n")).upperBound, streamEnd = try #require(file.range(of: "endstream")).lowerBound
        #expect(file.utf8.distance(from: streamStart, to: streamEnd) == declared)
    }

    @Test("the hairline's centre sits its height above the brow, measured on the skin; left and right alike")
    func geometry() throws {
        let scene = try Scene.load(yaml: Self.text, file: "s.yaml")
        let stencil = HairlineStencil(scene: scene, map: ScalpMap(scene: scene))
        let centre = try #require(stencil.edge.min { abs($0.x - stencil.brow.x) < abs($1.x - stencil.brow.x) })
        #expect(abs((stencil.brow.y - centre.y) - 75) < 1, "centre \(stencil.brow.y - centre.y) mm above the brow")
        let left = stencil.edge.first!, right = stencil.edge.last!
        #expect(abs((stencil.brow.x - left.x) - (right.x - stencil.brow.x)) < 1e-9)
        #expect(abs(left.y - right.y) < 1e-9)
        #expect(stencil.edge.allSatisfy { $0.x > 0 && $0.x < stencil.widthMM && $0.y > 0 && $0.y < stencil.heightMM })
        let image = try stencil.image(pixelsPerMM: 10, font: .dejaVuSans())
        #expect(image.pixelsPerMM == 10 && abs(Double(image.widthPixels) - 10 * stencil.widthMM) <= 1)
    }
}
