/// A request head as llhttp parsed it. Every `Range<Int>` is a span of byte offsets into the
/// buffer that was parsed.
public struct LLHTTPHead: Sendable {
    /// The method name as sent.
    public var method: Range<Int>
    /// The request-target as sent.
    public var target: Range<Int>
    public var major: Int
    public var minor: Int
    /// Every field line in order: the name, and the value as llhttp reports it (without the
    /// whitespace before it).
    public var fields: [(name: Range<Int>, value: Range<Int>)]
    /// The `Content-Length`, when llhttp saw one (`F_CONTENT_LENGTH`).
    public var contentLength: UInt64?
    /// The body is chunked (`F_CHUNKED`).
    public var chunked: Bool
    /// Some `Transfer-Encoding` field was present (`F_TRANSFER_ENCODING`).
    public var hasTransferEncoding: Bool
    /// `llhttp_should_keep_alive` at the end of the head.
    public var keepAlive: Bool
    /// The offset just after the LF of the empty line that ends the head (where llhttp
    /// paused).
    public var length: Int
}
