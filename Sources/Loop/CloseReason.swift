/// Why a connection was closed: counted in `closes_total{reason}` and written in the access
/// line of the response it closed after.
public enum CloseReason: String, CaseIterable, Sendable {
    /// The response ended the connection (`Connection: close`, an error whose framing is in
    /// doubt, HTTP/1.0 without keep-alive, or a drain).
    case response
    /// The peer closed its end between requests.
    case peerClosed = "peer_closed"
    /// The peer reset the connection (`ECONNRESET`, `EPIPE`).
    case peerReset = "peer_reset"
    /// The file shrank while it was sent.
    case truncated
    /// Another receive or send error.
    case failed
    /// No complete request head within the header timeout.
    case headerTimeout = "header_timeout"
    /// Idle between requests for the idle timeout.
    case idleTimeout = "idle_timeout"
    /// A response made no progress for the send timeout.
    case sendTimeout = "send_timeout"
    /// Idle when the loop began to drain.
    case drained
    /// An unused request body did not arrive in full within the discard timeout.
    case discardTimeout = "discard_timeout"
}
