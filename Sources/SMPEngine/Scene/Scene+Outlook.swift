extension Scene {
    /// `ageing:` — `light`, `typical`, `heavy`, each with `fadeHalfLifeYears`, `spreadPer5Years`,
    /// `blowoutFraction`, `sunExposure` (ranges as under `pigment`), and `years`.
    static func readAgeing(_ object: SceneObject) -> AgeingRange {
        defer { object.finish() }
        var range = AgeingRange()
        range.variants = range.variants.map { defaults in
            let given = object.object(defaults.name)
            defer { given.finish() }
            var variant = defaults
            variant.fadeHalfLifeYears = given.optionalNumber("fadeHalfLifeYears", in: 0.5...100, unit: "years") ?? defaults.fadeHalfLifeYears
            variant.spreadPer5Years = given.optionalNumber("spreadPer5Years", in: 0...3) ?? defaults.spreadPer5Years
            variant.blowoutFraction = given.optionalNumber("blowoutFraction", in: 0...0.5) ?? defaults.blowoutFraction
            variant.sunExposure = given.optionalNumber("sunExposure", in: 0...3) ?? defaults.sunExposure
            return variant
        }
        range.years = object.numberList("years", in: 0.1...30, unit: "years", count: 1...6) ?? range.years
        return range
    }

    /// `forecast:` — `years`, `milestonesYears`, `touchUpMargin`; and the scene's `touchUps:` list.
    static func readForecast(_ object: SceneObject, touchUps: [SceneObject]) -> ForecastSettings {
        defer { object.finish() }
        var forecast = ForecastSettings()
        forecast.years = object.number("years", default: forecast.years, in: 1...30, unit: "years")
        forecast.milestonesYears = object.numberList("milestonesYears", in: 0...30, unit: "years", count: 1...8) ?? forecast.milestonesYears
        forecast.touchUpMargin = object.number("touchUpMargin", default: forecast.touchUpMargin, in: 0.01...0.9)
        let regionNames = ScalpRegion.allCases.map(\.rawValue).joined(separator: ", ")
        for (index, given) in touchUps.enumerated() {
            defer { given.finish() }
            let touchUp = TouchUp(
                afterYears: given.number("afterYears", default: nil, in: 0.1...30, unit: "years"),
                regions: given.stringList("regions", allowed: regionNames) { ScalpRegion(rawValue: $0) } ?? [],
                densityFactor: given.number("densityFactor", default: nil, in: 0...3),
                dilution: given.optionalNumber("dilution", in: 0...0.95),
                reink: given.number("reink", default: TouchUp.defaultReink, in: 0...1))
            if let previous = forecast.touchUps.last, touchUp.afterYears <= previous.afterYears {
                given.reader.report(given.mark, "touchUps[\(index)].afterYears",
                                    "\(touchUp.afterYears) years is not after touch-up \(index)'s \(previous.afterYears); allowed: later than the one before")
            }
            forecast.touchUps.append(touchUp)
        }
        return forecast
    }

    /// `sessionRate:` — `impressionsPerHour`, `overheadMinutes`.
    static func readSessionRate(_ object: SceneObject) -> SessionRate {
        defer { object.finish() }
        var rate = SessionRate()
        rate.impressionsPerHour = object.number("impressionsPerHour", default: rate.impressionsPerHour, in: 100...50000, unit: "/h")
        rate.overheadMinutes = object.number("overheadMinutes", default: rate.overheadMinutes, in: 0...240, unit: "min")
        return rate
    }
}

extension SceneObject {
    /// A list of numbers, each in `range`, with `count` elements; nil when the key is missing.
    func numberList(_ key: String, in range: ClosedRange<Double>, unit: String, count: ClosedRange<Int>) -> [Double]? {
        let allowed = "\(count.lowerBound) to \(count.upperBound) numbers from \(SceneObject.format(range, unit))"
        guard let values = stringList(key, allowed: allowed, parse: { text in
            Double(text.trimmingCharacters(in: .whitespaces)).flatMap { range.contains($0) ? $0 : nil }
        }) else { return nil }
        if !count.contains(values.count) {
            reader.report(mark, path(key), "\(values.count) values; allowed: \(allowed)")
            return nil
        }
        return values
    }
}
