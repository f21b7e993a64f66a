import HTTP1

/// The result of evaluating a request's preconditions (RFC 9110 §13.2.2).
public enum PreconditionOutcome: Sendable, Equatable {
    /// Every present precondition holds: go on to Range and the normal response.
    case proceed
    /// 304 (Not Modified): ETag, Last-Modified, Cache-Control, Vary and Date; no body.
    case notModified
    /// 412 (Precondition Failed).
    case preconditionFailed
}
