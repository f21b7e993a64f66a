import HTTP1
import Loop

/// What the access log says of one request (behaviour §7.1): method, target, status, bytes and
/// duration. Built only when `--access-log` is on.
public struct AccessRecord {
    public var method: String
    public var target: String
    /// Monotonic microseconds when the request head was complete.
    public var start: UInt64

    public init(_ head: RequestHead, _ bytes: UnsafeRawBufferPointer) {
        method = Self.printable(bytes[head.methodName])
        var end = head.path.upperBound
        if let query = head.query { end = query.upperBound }
        target = Self.printable(bytes[head.path.lowerBound..<end])
        start = Clock.monotonicMicroseconds()
    }

    /// A request rejected before its head could be parsed: method `-`, and as target the
    /// first line received (at most 256 bytes), escaped.
    public init(rejected bytes: UnsafeRawBufferPointer) {
        method = "-"
        var end = 0
        while end < min(bytes.count, 256) && bytes[end] != 10 && bytes[end] != 13 { end += 1 }
        target = end == 0 ? "-" : Self.printable(bytes[0..<end])
        start = Clock.monotonicMicroseconds()
    }

    /// The log line for a response of `status` that wrote `bytes` and ended as `ending`;
    /// `closing` is why the connection closed after it (`close=-` when it stayed open).
    public func line(
        status: Status, bytes: Int64, ending: ResponseEnding, closing: CloseReason?
    ) -> String {
        let elapsed = Clock.monotonicMicroseconds() - start
        return "\(method) \(target) \(status.rawValue) bytes=\(bytes) us=\(elapsed) "
            + "end=\(ending.rawValue) close=\(closing?.rawValue ?? "-")"
    }

    /// Request bytes as log text: printable ASCII kept, anything else as `\xNN`, so a client
    /// cannot forge log lines.
    public static func printable(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        var text = ""
        for byte in bytes {
            if byte > 0x20 && byte < 0x7f && byte != 0x5c {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return text
    }
}
