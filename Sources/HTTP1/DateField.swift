/// The `Date` field line (`Date: ` IMF-fixdate CRLF, RFC 9110 §6.6.1, §5.6.7) of the current
/// second, rendered once per second rather than once per response.
public struct DateField {
    private var second: Int64 = .min
    private var bytes: [UInt8] = []

    public init() {}

    /// The line for wall-clock `seconds` since the epoch.
    public mutating func line(at seconds: Int64) -> [UInt8] {
        if seconds != second {
            second = seconds
            bytes.removeAll(keepingCapacity: true)
            ASCII.append("Date: ", to: &bytes)
            HTTPDate.format(seconds, into: &bytes)
            bytes.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        }
        return bytes
    }
}
