/// The protocol version of a request; both are served with HTTP/1.1 responses.
///
/// A request line naming `HTTP/1.x` with x > 1 is treated as HTTP/1.1, the highest minor version
/// this server conforms to (RFC 9112 §2.6); any other major version fails the parse with
/// `ParseError.unsupportedVersion`.
public enum HTTPVersion: Sendable, Equatable {
    case http10
    case http11
}
