/// What one loop needs to know of the configuration: timeouts, budgets and bounds, all in
/// milliseconds or bytes. Plain values, shared read-only.
public struct LoopSettings: Sendable {
    /// How long a peer may take to send a complete request head.
    public var headerTimeout: Int64
    /// How long an idle keep-alive connection stays open.
    public var idleTimeout: Int64
    /// How long a response may make no progress.
    public var sendTimeout: Int64
    /// How long a connection may spend reading and dropping an unused body, or lingering
    /// after its final response.
    public var discardTimeout: Int64
    /// The most bytes a lingering close reads and drops before it closes anyway.
    public var lingerBytes: Int64
    /// The most bytes one connection sends per turn.
    public var sendChunk: Int64
    /// The receive buffer's limit: the longest request head.
    public var bufferLimit: Int
    /// The most connections this loop holds at once.
    public var capacity: Int
    /// The longest `epoll_wait`: an idle loop still turns this often, for the watchdog.
    public var heartbeat: Int64

    public init(
        headerTimeout: Int64, idleTimeout: Int64, sendTimeout: Int64, discardTimeout: Int64,
        lingerBytes: Int64, sendChunk: Int64, bufferLimit: Int, capacity: Int, heartbeat: Int64
    ) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.sendTimeout = sendTimeout
        self.discardTimeout = discardTimeout
        self.lingerBytes = lingerBytes
        self.sendChunk = sendChunk
        self.bufferLimit = bufferLimit
        self.capacity = capacity
        self.heartbeat = heartbeat
    }
}
