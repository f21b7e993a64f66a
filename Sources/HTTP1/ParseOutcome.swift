/// The outcome of `RequestParser.parse(_:into:)`, whose head holds the parse.
public enum ParseOutcome: Sendable, Equatable {
    /// The buffer holds a valid prefix of a head: read more and parse again.
    case incomplete
    /// The head is complete and valid; the next request (if any) starts at its `length`.
    case complete
    /// The head is invalid or exceeds a limit: answer `ParseError.status` and close.
    case failed(ParseError)
}
