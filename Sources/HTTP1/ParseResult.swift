/// The outcome of `RequestParser.parse(_:)`: the head by value, for tests and tools.
public enum ParseResult: Sendable {
    /// The buffer holds a valid prefix of a head: read more and parse again.
    case incomplete
    /// A complete, valid head; the next request (if any) starts at `RequestHead.length`.
    case complete(RequestHead)
    /// The head is invalid or exceeds a limit: answer `ParseError.status` and close.
    case failed(ParseError)
}
