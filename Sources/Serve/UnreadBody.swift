import HTTP1
import Loop

/// What becomes of a request's body, which the server never uses (it serves only GET and
/// HEAD): nothing is ever parsed from its bytes. A body framed by `Content-Length` (RFC 9112
/// §6.2) within the discard limit is read and dropped after the answer, so the connection can
/// stay open; any other body closes the connection after the answer with a lingering close
/// (RFC 9112 §9.6), so the peer, still sending, reads the answer instead of a reset.
enum UnreadBody: Equatable {
    /// The request has no body.
    case none
    /// A `Content-Length` body of this many bytes, at most the discard limit.
    case discard(Int64)
    /// A body above the discard limit, or a chunked one (its end is known only by decoding it).
    case linger

    /// The body of `request`, with bodies above `limit` bytes too large to discard.
    init(_ request: RequestHead, limit: Int64) {
        if request.transferEncoding != .none {
            self = .linger
        } else if let length = request.contentLength, length > 0 {
            self = length <= limit ? .discard(length) : .linger
        } else {
            self = .none
        }
    }

    /// Whether the connection may stay open after the answer.
    var allowsKeepAlive: Bool { self != .linger }

    /// What the connection does after an answer that closes it (`closing`) or not.
    func after(closing: Bool) -> AfterResponse {
        switch self {
        case .none: closing ? .close : .next
        case .discard(let length): closing ? .linger : .discard(length)
        case .linger: .linger
        }
    }
}
