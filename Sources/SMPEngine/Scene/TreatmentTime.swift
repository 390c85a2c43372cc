import Foundation

/// A moment of the treatment to show: parsed from `--at` and the scene's `render.at`.
///
/// Forms: `day:N` (N days after the first session), `session:K` (just after session K, the
/// same day), `session:K+Nd` (N days after session K), `healed` (settled after the last
/// session: 42 days on, when clinics judge the result; DOMAIN.md "week 4–6"), `Ny` / `Nm`
/// (N years / months after the last session).
public enum TreatmentTime: Sendable, Equatable, CustomStringConvertible {
    case day(Double)
    case afterSession(Int, plusDays: Double)
    case healed
    case afterLastSession(days: Double)

    /// Days from the last session to "healed": settled at 4–6 weeks (DOMAIN.md).
    public static let healedAfterDays = 42.0

    public init?(_ text: String) {
        let spec = text.trimmingCharacters(in: .whitespaces).lowercased()
        if spec == "healed" {
            self = .healed
        } else if spec.hasPrefix("day:"), let days = Double(spec.dropFirst(4)), days.isFinite, days >= 0 {
            self = .day(days)
        } else if spec.hasPrefix("session:") {
            let rest = spec.dropFirst(8)
            let parts = rest.split(separator: "+", maxSplits: 1)
            guard let first = parts.first, let session = Int(first), session >= 1 else { return nil }
            var days = 0.0
            if parts.count == 2 {
                guard let offset = TreatmentTime.duration(parts[1]), offset >= 0 else { return nil }
                days = offset
            }
            self = .afterSession(session, plusDays: days)
        } else if let days = TreatmentTime.duration(Substring(spec)), days >= 0 {
            self = .afterLastSession(days: days)
        } else {
            return nil
        }
    }

    /// `7d`, `6w`, `3m`, `5y`, `1.5y` in days (a month is 30.44 days, a year 365.25).
    static func duration(_ text: Substring) -> Double? {
        guard let unit = text.last, let value = Double(text.dropLast()), value.isFinite else { return nil }
        switch unit {
        case "d": return value
        case "w": return value * 7
        case "m": return value * 30.44
        case "y": return value * 365.25
        default: return nil
        }
    }

    public static let allowedForms = "day:N, session:K, session:K+Nd, healed, Nd, Nw, Nm or Ny (like 5y)"

    /// The day (after the first session) this moment falls on, for a plan; nil when it names a
    /// session the plan does not have.
    public func day(in sessions: [Session]) -> Double? {
        let last = sessions.last?.day ?? 0
        switch self {
        case .day(let day): return day
        case let .afterSession(k, plusDays): return k <= sessions.count ? sessions[k - 1].day + plusDays : nil
        case .healed: return last + TreatmentTime.healedAfterDays
        case .afterLastSession(let days): return last + days
        }
    }

    /// A file-name-safe label: `at-5y.png`, `at-day-10.png`, `session-2.png`.
    public var description: String {
        func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
        switch self {
        case .day(let day): return "day-\(number(day))"
        case let .afterSession(k, plusDays): return plusDays == 0 ? "session-\(k)" : "session-\(k)+\(number(plusDays))d"
        case .healed: return "healed"
        case .afterLastSession(let days):
            if days.truncatingRemainder(dividingBy: 365.25) == 0 { return "\(number(days / 365.25))y" }
            return "\(number(days))d"
        }
    }
}
