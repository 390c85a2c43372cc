import ArgumentParser
import SMPEngine

/// `smp presets`: the named presets a scene file can use, with the values behind them.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List hair-loss patterns, hairline styles, skin tones and the default session plan.")

    func run() throws {
        var lines: [String] = []
        func emit(_ line: String) { lines.append(line) }   // written in one go at the end (StandardOutput)
        func mm(_ value: Double?) -> String { value.map { $0 == $0.rounded() ? "\(Int($0))" : "\($0)" } ?? "-" }
        emit("hairLoss.pattern   front mid/corner mm  crown r mm  fringe sides/back mm  thinning (hair left)")
        for preset in HairLossPattern.Preset.allCases {
            let p = HairLossPattern.preset(preset)
            let thinning = p.thinningZone == .none ? "-" : "\(p.thinningZone.rawValue) (\(p.thinningRemaining))"
            let patches = p.patches.isEmpty ? "" : "  \(p.patches.count) patches"
            emit(preset.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)
                  + "\(mm(p.frontalDepthMidMM))/\(mm(p.frontalDepthCornerMM))".padding(toLength: 21, withPad: " ", startingAt: 0)
                  + mm(p.crownRadiusMM).padding(toLength: 12, withPad: " ", startingAt: 0)
                  + "\(mm(p.fringeHeightSidesMM))/\(mm(p.fringeHeightBackMM))".padding(toLength: 22, withPad: " ", startingAt: 0)
                  + thinning + patches)
        }
        emit("\nhairline.style     softnessMM  irregularityMM")
        for style in Hairline.Style.allCases {
            let line = Hairline(heightAboveBrowMM: 72, style: style)
            emit(style.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)
                  + mm(line.softnessMM).padding(toLength: 12, withPad: " ", startingAt: 0) + mm(line.irregularityMM))
        }
        emit("\nskin.fitzpatrick   Monk tone  sRGB")
        for type in SkinTone.Fitzpatrick.allCases {
            emit(type.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)
                  + "\(type.monkTone)".padding(toLength: 11, withPad: " ", startingAt: 0) + SkinTone.monk[type.monkTone - 1].description)
        }
        emit("skin.monk 1–10: " + SkinTone.monk.map(\.description).joined(separator: " "))
        emit("\nneedle.configuration: single (impression = needle), threePoint (impression = 2.15 × needle)")
        emit("\ndefault sessions (when `sessions` is left out)")
        for (index, session) in Scene.defaultSessions.enumerated() {
            emit("  \(index + 1): day \(Int(session.day)), density ×\(session.densityFactor), needle \(session.needle.diameterMM) mm \(session.needle.configuration.rawValue), ink \(session.ink), dilution \(session.dilution)")
        }
        try StandardOutput.write(lines: lines)
    }
}
