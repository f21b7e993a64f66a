/// The `Date` field value (an IMF-fixdate, RFC 9110 §5.6.7) of the current second, formatted
/// once per second rather than once per response.
public struct DateField {
    private var second: Int64 = .min
    private var bytes: [UInt8] = []

    public init() {}

    /// The value for wall-clock `seconds` since the epoch.
    public mutating func value(at seconds: Int64) -> [UInt8] {
        if seconds != second {
            second = seconds
            bytes.removeAll(keepingCapacity: true)
            HTTPDate.format(seconds, into: &bytes)
        }
        return bytes
    }
}
