/// The framing a request's `Transfer-Encoding` asks for.
///
/// The only coding this server accepts is a lone `chunked`: any other list fails the parse (see
/// `MalformedReason.chunkedNotFinal`, `MalformedReason.chunkedRepeated` and
/// `ParseError.unsupportedTransferCoding`), so there is no case for other codings.
public enum TransferCoding: Sendable, Equatable {
    /// No `Transfer-Encoding` field: the body, if any, is framed by `Content-Length`.
    case none
    /// The body is chunked (RFC 9112 §7.1).
    case chunked
}
