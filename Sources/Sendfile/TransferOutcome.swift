import SystemPackage

/// What one call to ``Transfer/send(to:limit:)`` achieved.
public enum TransferOutcome: Sendable, Equatable {
    /// Every segment has been written.
    case done
    /// The socket's buffer is full: wait for it to become writable (`EPOLLOUT`), then call again.
    case wouldBlock
    /// The per-call byte limit was reached with the socket still writable: call again on a later
    /// turn of the event loop so that other connections get their share.
    case yielded
    /// The peer closed its end (`EPIPE`, `ECONNRESET`); nothing more can be sent.
    case peerGone(Errno)
    /// `sendfile` hit the end of the file before the planned end of a segment: the file shrank
    /// while it was being sent. `missing` bytes of the segment were never sent; the stream is now
    /// shorter than announced, so the connection must be closed.
    case fileTruncated(missing: Int64)
    /// Any other error from `sendmsg` or `sendfile`.
    case failed(Errno)
}
