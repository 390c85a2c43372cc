/// Skin colour presets. The Monk Skin Tone scale (Google, 2022; swatches in DOMAIN.md) gives
/// ten measured-looking sRGB tones; Fitzpatrick types I–VI, which clinics use, do not map
/// one-to-one onto it, so the mapping below is ours: I→1, II→2, III→4, IV→5, V→7, VI→9.
public enum SkinTone {
    public static let monk: [SRGBColor] = ["#f6ede4", "#f3e7db", "#f7ead0", "#eadaba", "#d7bd96",
                                           "#a07e56", "#825c43", "#604134", "#3a312a", "#292420"].map { SRGBColor(hex: $0)! }

    public enum Fitzpatrick: String, Sendable, CaseIterable {
        case I, II, III, IV, V, VI

        /// Our mapping onto the Monk scale (1-based).
        public var monkTone: Int {
            switch self {
            case .I: 1
            case .II: 2
            case .III: 4
            case .IV: 5
            case .V: 7
            case .VI: 9
            }
        }
    }
}
