/// Why no (complete, well-formed) response could be read.
enum HTTPClientError: Error, CustomStringConvertible {
    /// The peer closed the connection first; `unread` is what it had sent of the response.
    case closed(unread: [UInt8])
    /// Nothing complete arrived in time; `unread` is what had arrived.
    case timedOut(unread: [UInt8])
    /// The bytes break RFC 9112 (or this client's stricter rules, e.g. no chunked coding).
    case malformed(String)

    var description: String {
        switch self {
        case .closed(let unread):
            "connection closed with \(unread.count) unread bytes\(Self.show(unread))"
        case .timedOut(let unread):
            "timed out with \(unread.count) unread bytes\(Self.show(unread))"
        case .malformed(let why): "malformed response: \(why)"
        }
    }

    private static func show(_ bytes: [UInt8]) -> String {
        bytes.isEmpty
            ? "" : ": \(String(decoding: bytes.prefix(200), as: UTF8.self).debugDescription)"
    }
}
