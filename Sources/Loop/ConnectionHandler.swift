import Sendfile

/// What a listener's connections are served by: one per listener and loop, so it may keep
/// per-loop state (caches, counters) without locks. The loop knows nothing of what it serves.
public protocol ConnectionHandler: AnyObject {
    /// The state of one new connection.
    func makeSession() -> any ConnectionSession
    /// SIGHUP: drop whatever the handler caches.
    func reload()
}

/// The protocol spoken on one connection: received bytes in, response segments out. The loop
/// calls it only from the connection's own thread, in request order.
public protocol ConnectionSession: AnyObject {
    /// Looks at the unconsumed bytes whenever they may hold a complete request, or fill the
    /// buffer (`full`). Either asks for more, or appends one response to `transfer` and says
    /// how many bytes the request took.
    func receive(
        _ bytes: UnsafeRawBufferPointer, full: Bool, moment: LoopMoment,
        into transfer: inout Transfer
    ) -> Reception
    /// The header deadline passed with `bytes` of an unfinished request received: appends the
    /// response the peer is owed (a 408), if any; the connection closes after one attempt to
    /// send it.
    func headerTimedOut(
        _ bytes: UnsafeRawBufferPointer, moment: LoopMoment, into transfer: inout Transfer)
    /// The response last appended has ended, sent in full or not (`ending`), after `bytesSent`
    /// bytes; `closing` says why the connection closes now, or nil when it stays open.
    func responseEnded(_ ending: ResponseEnding, bytesSent: Int64, closing: CloseReason?)
}

/// What a session made of the received bytes.
public enum Reception: Equatable {
    /// No complete request yet: read more.
    case incomplete
    /// A response is in the transfer; the request took `consumed` bytes, and `then` says what
    /// becomes of the connection once the response is sent.
    case respond(consumed: Int, then: AfterResponse)
}

/// What a connection does once a response is sent: the transport side of a request body the
/// session will not use. Answering first and reading the rest afterwards lets a peer that
/// waits for the answer (or for `100 Continue`) get it, while its body never reaches the next
/// request's parse.
public enum AfterResponse: Equatable, Sendable {
    /// Read the next request.
    case next
    /// Read and drop `count` more bytes (an unused body of known length), within the discard
    /// timeout, then read the next request from what follows.
    case discard(Int64)
    /// Close the connection.
    case close
    /// Close the connection gracefully (RFC 9112 §9.6): shut down the sending side, read and
    /// drop what still arrives (up to the discard bound, for at most the discard timeout) so
    /// the peer is not reset with the response unread, then close.
    case linger
}

/// How a response's transfer ended.
public enum ResponseEnding: String, Sendable {
    /// Every byte was sent.
    case complete = "ok"
    /// The peer closed or reset the connection.
    case peerGone = "peer-gone"
    /// The file shrank while it was sent; the connection was closed short of `Content-Length`.
    case truncated
    /// A send failed otherwise.
    case failed
}

/// The loop's view of now, handed to sessions with every call.
public struct LoopMoment: Sendable {
    /// Monotonic milliseconds.
    public var now: Int64
    /// Wall-clock seconds since the epoch.
    public var seconds: Int64
    /// The loop is draining: no response may keep its connection open.
    public var draining: Bool

    public init(now: Int64, seconds: Int64, draining: Bool) {
        self.now = now
        self.seconds = seconds
        self.draining = draining
    }
}
