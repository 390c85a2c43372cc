/// A render asked for something its scene does not have. The request is at fault, not the
/// scene file: the command line turns these into usage errors naming its own option.
public enum RenderRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A moment (`after`, a sweep's moment) naming a session past the plan of `scene`.
    case momentOutsidePlan(TreatmentTime, scene: String, sessions: Int)
    /// An output name the render does not write; `allowed` describes those it does.
    case unknownOutput(String, allowed: String)

    public var description: String {
        switch self {
        case let .momentOutsidePlan(moment, scene, sessions):
            "\(moment) names a session the plan of \(scene) does not have (it has sessions 1 to \(sessions))"
        case let .unknownOutput(name, allowed):
            "`\(name)` is not an output; allowed: \(allowed)"
        }
    }
}
