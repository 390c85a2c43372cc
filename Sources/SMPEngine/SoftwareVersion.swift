/// The version written into every PNG's `Software` chunk and every report.
public enum SoftwareVersion {
    public static let number = "0.1.0"
    public static let nameAndNumber = "smp \(number)"
}
