import Files
import HTTP1

/// One response on a connection: its rendered head and the file it reads from (the segments
/// go into the connection's transfer, which the loop owns). The buffers are reused from one
/// request to the next.
public struct Exchange {
    /// Scratch space for the decoded, NUL-terminated lookup path.
    public var path: [UInt8] = []
    /// The response head being rendered.
    public var head: [UInt8] = []
    /// The file the transfer reads from, held open until ``finish()``.
    public var source: OpenFile?
    /// The status sent, for counters and logs.
    public var status: Status = .ok
    /// Whether the connection closes once this response is sent.
    public var closeAfter = false
    /// The access log's record of the request being answered, when the log is on.
    public var access: AccessRecord?
    /// When the head of the request being answered was complete (monotonic microseconds), or
    /// nil for a rejection (no request to time).
    public var started: UInt64?

    public init() {
        path.reserveCapacity(256)
        head.reserveCapacity(512)
    }

    /// Releases the file and the access record (the loop empties the transfer).
    public mutating func finish() {
        source = nil
        access = nil
        started = nil
    }

    /// Takes the head buffer out for rendering, emptied but with its storage kept (the loop's
    /// transfer no longer references it once the previous response ended, so no copy is made).
    public mutating func takeHead() -> [UInt8] {
        var head = self.head
        self.head = []
        head.removeAll(keepingCapacity: true)
        return head
    }
}
