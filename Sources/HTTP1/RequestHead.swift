/// A parsed request head. Every `Range<Int>` is a span of byte offsets into the buffer that was
/// parsed, valid for as long as those bytes are; field values have their surrounding whitespace
/// (OWS) trimmed.
public struct RequestHead: Sendable {
    public var method: Method = .unknown
    /// The method name as sent, for access logs of methods the server does not handle.
    public var methodName: Range<Int> = 0..<0
    public var version: HTTPVersion = .http11
    /// The raw, still percent-encoded path of the request-target, never including the query.
    ///
    /// Origin-form: the path as sent. Absolute-form (`http://host/p?q`): its path (`/p`); when
    /// that is empty, the span of the `/` in the request line's `HTTP/`, so that the path always
    /// reads `/`. Asterisk-form and authority-form, which the parser accepts only for methods
    /// other than GET and HEAD (the server answers those 405 or 501 whatever their target): an
    /// empty span.
    public var path: Range<Int> = 0..<0
    /// The bytes after the first `?` of the target, without the `?`; nil when there is no `?`.
    public var query: Range<Int>? = nil
    /// The authority the request is for: the `Host` field value, or, for an absolute-form
    /// target, the target's authority, which takes precedence (RFC 9112 §3.2.2). Nil only for an
    /// HTTP/1.0 request with neither.
    public var host: Range<Int>? = nil
    /// Some `Connection` line lists the option `close` (case-insensitive).
    public var connectionClose: Bool = false
    /// Some `Connection` line lists the option `keep-alive` (case-insensitive).
    public var connectionKeepAlive: Bool = false
    /// The body length announced by `Content-Length`; nil when the field is absent.
    public var contentLength: Int64? = nil
    public var transferEncoding: TransferCoding = .none
    /// The `Range` value; nil when the field is absent or repeated: the lines of a repeated
    /// singleton field would combine into an invalid value (RFC 9110 §5.3), so it is ignored.
    public var range: Range<Int>? = nil
    public var ifMatch: FieldLines = FieldLines()
    public var ifNoneMatch: FieldLines = FieldLines()
    public var acceptEncoding: FieldLines = FieldLines()
    /// The `If-Modified-Since` value; nil when absent or repeated.
    public var ifModifiedSince: Range<Int>? = nil
    /// The `If-Unmodified-Since` value; nil when absent or repeated.
    public var ifUnmodifiedSince: Range<Int>? = nil
    /// The `If-Range` value; nil when absent or repeated.
    public var ifRange: Range<Int>? = nil
    /// The bytes the head occupies, from the start of the buffer (including skipped empty lines)
    /// through the empty line that ends it; a pipelined request starts here.
    public var length: Int = 0

    /// A head with nothing parsed yet, for ``RequestParser/parse(_:into:)`` to fill in.
    public init() {}

    /// Forgets the previous parse, in place: the head a connection reuses for every request is
    /// never copied, so its list fields' arrays are neither retained nor released, and one is
    /// only touched when a repeated field filled it.
    mutating func clear() {
        method = .unknown
        methodName = 0..<0
        version = .http11
        path = 0..<0
        query = nil
        host = nil
        connectionClose = false
        connectionKeepAlive = false
        contentLength = nil
        transferEncoding = .none
        range = nil
        ifMatch.clear()
        ifNoneMatch.clear()
        acceptEncoding.clear()
        ifModifiedSince = nil
        ifUnmodifiedSince = nil
        ifRange = nil
        length = 0
    }

    /// Whether the connection may stay open after the response (behaviour §2.6, RFC 9112 §9.3).
    public var keepAlive: Bool {
        switch version {
        case .http11: !connectionClose
        case .http10: connectionKeepAlive && !connectionClose
        }
    }
}
