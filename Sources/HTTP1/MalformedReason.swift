/// The rule a malformed request head breaks; each is answered with 400 and a close.
public enum MalformedReason: Sendable, Equatable {
    /// More empty lines precede the request line than the parser skips (RFC 9112 §2.2).
    case leadingEmptyLines
    /// The request line is not `method SP request-target SP HTTP-version CRLF`.
    case requestLine
    /// The method is not a token.
    case method
    /// The request-target has a byte its form does not allow (RFC 9112 §3.2), or is `*` or
    /// authority-form on GET or HEAD.
    case target
    /// The HTTP-version is not `HTTP/` DIGIT `.` DIGIT.
    case version
    /// A CR that is not followed by LF.
    case bareCR
    /// An LF that is not preceded by CR.
    case bareLF
    /// Whitespace between the request line and the first field line (RFC 9112 §2.2).
    case whitespaceBeforeFirstField
    /// A field line starting with whitespace: obsolete line folding (RFC 9112 §5.2).
    case obsFold
    /// A field name that is empty, not a token, or not followed by a colon.
    case fieldName
    /// Whitespace between a field name and its colon (RFC 9112 §5.1).
    case whitespaceBeforeColon
    /// A field value holding NUL, another control byte, or DEL (RFC 9110 §5.5).
    case fieldValue
    /// An HTTP/1.1 request without `Host` (RFC 9112 §3.2).
    case missingHost
    /// More than one `Host` field line (RFC 9112 §3.2).
    case duplicateHost
    /// A `Host` value that is not `uri-host [":" port]` (RFC 9110 §7.2).
    case invalidHost
    /// A `Content-Length` that is not a list of 1–18 digit numbers (RFC 9110 §8.6).
    case invalidContentLength
    /// `Content-Length` values that differ (RFC 9112 §6.3).
    case conflictingContentLength
    /// Both `Content-Length` and `Transfer-Encoding` (RFC 9112 §6.1; behaviour §2.4).
    case contentLengthWithTransferEncoding
    /// `Transfer-Encoding` in an HTTP/1.0 request, whose framing is then faulty (RFC 9112 §6.1).
    case transferEncodingInHTTP10
    /// A `Transfer-Encoding` whose final coding is not `chunked`, or which lists no coding
    /// (RFC 9112 §6.3 requires 400).
    case chunkedNotFinal
    /// A `Transfer-Encoding` that applies `chunked` more than once (RFC 9112 §7).
    case chunkedRepeated
}
