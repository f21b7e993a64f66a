import Sendfile

/// One response on a connection: its rendered head, the transfer that sends it, and the file
/// it reads from. The buffers are reused from one request to the next.
struct Exchange {
    /// Scratch space for the decoded, NUL-terminated lookup path.
    var path: [UInt8] = []
    /// The response head being rendered.
    var head: [UInt8] = []
    /// What goes on the wire: the head, then file ranges (and multipart part headers).
    var transfer = Transfer()
    /// The file the transfer reads from, held open until ``finish()``.
    var source: OpenFile?
    /// The status sent, for counters and logs.
    var status: Status = .ok
    /// Whether the connection closes once this response is sent.
    var closeAfter = false
    /// The access log's record of the request, when the log is on.
    var access: AccessRecord?

    init() {
        path.reserveCapacity(256)
        head.reserveCapacity(512)
    }

    /// Releases the file and empties the transfer (keeping storage for the next response).
    mutating func finish() {
        transfer.reset()
        source = nil
    }

    /// Starts the access log record of a request.
    mutating func startLog(_ head: RequestHead, _ bytes: UnsafeRawBufferPointer) {
        access = AccessRecord(head, bytes)
    }

    /// Starts the access log record of a request that could not be parsed.
    mutating func startLog(rejected bytes: UnsafeRawBufferPointer) {
        access = AccessRecord(rejected: bytes)
    }

    /// The access log line, once per response (nil when logging is off or already done).
    mutating func accessLine(outcome: String) -> String? {
        defer { access = nil }
        return access?.line(status: status, bytes: transfer.bytesSent, outcome: outcome)
    }

    /// Takes the head buffer out for rendering, emptied but with its storage kept (the transfer
    /// no longer references it once ``finish()`` ran, so no copy is made).
    mutating func takeHead() -> [UInt8] {
        var head = self.head
        self.head = []
        head.removeAll(keepingCapacity: true)
        return head
    }
}
