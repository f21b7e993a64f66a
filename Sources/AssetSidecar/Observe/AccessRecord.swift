import Glibc

/// What the access log says of one request (SPEC §7.1): method, target, status, bytes and
/// duration. Built only when `--access-log` is on.
struct AccessRecord {
    var method: String
    var target: String
    /// Monotonic microseconds when the request head was complete.
    var start: UInt64

    init(_ head: RequestHead, _ bytes: UnsafeRawBufferPointer) {
        method = Self.printable(bytes[head.methodName])
        var end = head.path.upperBound
        if let query = head.query { end = query.upperBound }
        target = Self.printable(bytes[head.path.lowerBound..<end])
        start = Self.microseconds()
    }

    /// A request rejected before its head could be parsed: method `-`, and as target the
    /// first line received (at most 256 bytes), escaped.
    init(rejected bytes: UnsafeRawBufferPointer) {
        method = "-"
        var end = 0
        while end < min(bytes.count, 256) && bytes[end] != 10 && bytes[end] != 13 { end += 1 }
        target = end == 0 ? "-" : Self.printable(bytes[0..<end])
        start = Self.microseconds()
    }

    /// The log line for a response of `status` that wrote `bytes` and ended with `outcome`.
    func line(status: Status, bytes: Int64, outcome: String) -> String {
        let elapsed = Self.microseconds() - start
        return "\(method) \(target) \(status.rawValue) bytes=\(bytes) us=\(elapsed) end=\(outcome)"
    }

    /// Request bytes as log text: printable ASCII kept, anything else as `\xNN`, so a client
    /// cannot forge log lines.
    static func printable(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
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

    static func microseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
