import ArgumentParser
import SMPEngine

/// `smp presets`: the named presets a scene file can use, with the values behind them.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List hair-loss patterns, hairline styles, skin tones and the default session plan.")

    func run() {
        func mm(_ value: Double?) -> String { value.map { $0 == $0.rounded() ? "\(Int($0))" : "\($0)" } ?? "-" }
        print("hairLoss.pattern   front mid/corner mm  crown r mm  fringe sides/back mm  thinning (hair left)")
        for preset in HairLossPattern.Preset.allCases {
            let p = HairLossPattern.preset(preset)
            let thinning = p.thinningZone == .none ? "-" : "\(p.thinningZone.rawValue) (\(p.thinningRemaining))"
            let patches = p.patches.isEmpty ? "" : "  \(p.patches.count) patches"
            print(preset.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)
                  + "\(mm(p.frontalDepthMidMM))/\(mm(p.frontalDepthCornerMM))".padding(toLength: 21, withPad: " ", startingAt: 0)
                  + mm(p.crownRadiusMM).padding(toLength: 12, withPad: " ", startingAt: 0)
                  + "\(mm(p.fringeHeightSidesMM))/\(mm(p.fringeHeightBackMM))".padding(toLength: 22, withPad: " ", startingAt: 0)
                  + thinning + patches)
        }
        print("\nhairline.style     softnessMM  irregularityMM")
        for style in Hairline.Style.allCases {
            let line = Hairline(heightAboveBrowMM: 72, style: style)
            print(style.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)
                  + mm(line.softnessMM).padding(toLength: 12, withPad: " ", startingAt: 0) + mm(line.irregularityMM))
        }
        print("\nskin.fitzpatrick   Monk tone  sRGB")
        for type in SkinTone.Fitzpatrick.allCases {
            print(type.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)
                  + "\(type.monkTone)".padding(toLength: 11, withPad: " ", startingAt: 0) + SkinTone.monk[type.monkTone - 1].description)
        }
        print("skin.monk 1–10: " + SkinTone.monk.map(\.description).joined(separator: " "))
        print("\nneedle.configuration: single (impression = needle), threePoint (impression = 2.15 × needle)")
        print("\ndefault sessions (when `sessions` is left out)")
        for (index, session) in Scene.defaultSessions.enumerated() {
            print("  \(index + 1): day \(Int(session.day)), density ×\(session.densityFactor), needle \(session.needle.diameterMM) mm \(session.needle.configuration.rawValue), ink \(session.ink), dilution \(session.dilution)")
        }
    }
}
