/// What llhttp made of a buffer that starts with a request head.
public enum LLHTTPResult: Sendable {
    /// llhttp consumed every byte without reaching the end of the head or an error.
    case incomplete
    /// llhttp reached the end of the head: `on_headers_complete` fired.
    case complete(LLHTTPHead)
    /// llhttp refused the bytes.
    case rejected(LLHTTPRejection)
}

/// An llhttp parse error: its `llhttp_errno`, the reason llhttp gives, and the offset of the
/// byte it stopped at.
public struct LLHTTPRejection: Sendable {
    /// The `llhttp_errno` value (`HPE_*`).
    public var errno: Int32
    /// llhttp's own description of the error.
    public var reason: String
    /// The offset into the buffer where llhttp stopped.
    public var offset: Int
}
