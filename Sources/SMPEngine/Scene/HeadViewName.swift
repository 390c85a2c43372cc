/// The directions a head view looks from: the files are `view-<rawValue>-<moment>.png`.
public enum HeadViewName: String, Sendable, CaseIterable, Codable {
    /// At eye level, face on: the hairline.
    case front
    /// Front and to the patient's right, slightly above eye level: hairline and temple.
    case threeQuarter
    /// From straight above, forehead at the top of the image (as on the map).
    case top
    /// The patient's left side.
    case left
    /// The patient's right side.
    case right
    /// From behind at eye level.
    case back
    /// From behind and above: the crown.
    case crown

    /// The default selection (`render.views`).
    public static let defaults: [HeadViewName] = [.front, .top, .crown, .left]
}
