import PoissonDisk

/// One seeded generator per purpose, all derived from the scene seed (DESIGN.md): changing
/// how one purpose draws never shifts another's numbers.
public enum RandomStream: UInt64, Sendable {
    case sampling = 1
    case skinTexture = 2
    case hairline = 4
    /// How the edges of bald areas wander (ScalpMap).
    case hairLossEdges = 8
    case scars = 0x100
    /// The existing hair shaved to stubble: follicular units and their hairs (ScalpSurface).
    case existingHair = 0x200
    /// The touch-ups of the forecast (`ForecastPlan`), one stream per session.
    case touchUps = 0x400
    /// Which old dots a touch-up re-inks and how its new deposit in each varies (`ForecastPlan`).
    case reinking = 0x800
}
