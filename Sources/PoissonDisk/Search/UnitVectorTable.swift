/// 4,096 unit vectors at evenly spaced angles, 2π·i/4096, built once without libm: candidates
/// take a direction by index instead of calling sin and cos, whose last bit can differ between
/// C libraries and would break "same seed, same dots on every machine". The values come from
/// Taylor series in plain IEEE 754 arithmetic, which rounds the same everywhere.
enum UnitVectorTable {
    static let count = 4096
    static let mask = 4095

    /// Interleaved x, y.
    static let xy: [Float] = {
        var table = [Float]()
        table.reserveCapacity(2 * count)
        for i in 0..<count {
            // Reduce to [-π, π] so 24 Taylor terms are exact to Double precision.
            var angle = 2 * Double.pi * Double(i) / Double(count)
            if angle > Double.pi { angle -= 2 * Double.pi }
            table.append(Float(taylorCosine(angle)))
            table.append(Float(taylorSine(angle)))
        }
        return table
    }()

    static func taylorSine(_ x: Double) -> Double {
        var term = x, sum = x
        for n in stride(from: 3, through: 49, by: 2) {
            term *= -x * x / Double((n - 1) * n)
            sum += term
        }
        return sum
    }

    static func taylorCosine(_ x: Double) -> Double {
        var term = 1.0, sum = 1.0
        for n in stride(from: 2, through: 48, by: 2) {
            term *= -x * x / Double((n - 1) * n)
            sum += term
        }
        return sum
    }
}
