import Glibc

/// A raw HTTP/1.1 client: sends exactly the bytes a test gives it and reads responses with a
/// strict parser, so a test sees what the server really wrote. Connects to a Unix socket (the
/// sidecar) or to 127.0.0.1 (nginx in front). Every read is bounded by a timeout.
final class UnixHTTPClient {
    /// The peer, for messages.
    let peer: String

    private var fd: Int32
    /// Received bytes not yet returned (the start of the next pipelined response).
    private var buffer: [UInt8] = []

    /// Connects to the Unix stream socket at `path` (`@name` for an abstract one).
    convenience init(path: String, timeout: Duration = .seconds(5)) throws {
        let address = UnixAddress(path: path)
        try self.init(fd: address.connectStream(timeout: timeout), peer: path)
    }

    /// Connects to 127.0.0.1:`port`.
    convenience init(loopback: LoopbackAddress, timeout: Duration = .seconds(5)) throws {
        try self.init(fd: loopback.connectStream(timeout: timeout), peer: loopback.description)
    }

    private init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    deinit {
        close()
    }

    /// The text of a request: `METHOD target HTTP/1.1`, `Host: localhost` unless `fields`
    /// has a Host, then `fields` (each `Name: value`), then the empty line.
    static func request(_ method: String, _ target: String, _ fields: [String] = []) -> String {
        let hasHost = fields.contains { $0.lowercased().hasPrefix("host:") }
        let lines = ["\(method) \(target) HTTP/1.1"] + (hasHost ? [] : ["Host: localhost"]) + fields
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    /// Sends `bytes`, all of them, waiting for buffer space up to `timeout`.
    func send(_ bytes: [UInt8], timeout: Duration = .seconds(5)) throws {
        let deadline = Deadline(after: timeout)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count >= 0 {
                sent += count
            } else if errno == EAGAIN || errno == EINTR {
                guard try PollWait.ready(fd, for: POLLOUT, until: deadline) != nil else {
                    throw SupportError.timedOut("send to \(peer): \(sent) of \(bytes.count) bytes")
                }
            } else {
                throw SupportError.system("send to \(peer)", errno: errno)
            }
        }
    }

    /// Sends `text` as UTF-8.
    func send(_ text: String, timeout: Duration = .seconds(5)) throws {
        try send(Array(text.utf8), timeout: timeout)
    }

    /// Sends a request built by `request(_:_:_:)` and reads its response.
    func get(_ target: String, _ fields: [String] = [], method: String = "GET") throws
        -> HTTPResponse
    {
        try send(Self.request(method, target, fields))
        return try readResponse(method: method)
    }

    /// Reads the next response (a 1xx counts as one) to a request made with `method`, which
    /// decides whether a body follows (none for HEAD).
    func readResponse(method: String = "GET", timeout: Duration = .seconds(10)) throws
        -> HTTPResponse
    {
        let deadline = Deadline(after: timeout)
        var parsed = try HTTPResponseParser.parseHead(buffer[...])
        while parsed == nil {
            try receive(until: deadline)
            parsed = try HTTPResponseParser.parseHead(buffer[...])
        }
        guard case (var response, let headLength)? = parsed else { preconditionFailure("parsed") }
        let bodyLength = try HTTPResponseParser.bodyLength(of: response, requestMethod: method)
        buffer.reserveCapacity(headLength + bodyLength)
        while buffer.count - headLength < bodyLength {
            try receive(until: deadline)
        }
        response.body = Array(buffer[headLength..<headLength + bodyLength])
        buffer.removeFirst(headLength + bodyLength)
        return response
    }

    /// Reads one response per entry of `methods`, in order (the answers to pipelined
    /// requests), all within `timeout`.
    func readResponses(methods: [String], timeout: Duration = .seconds(10)) throws
        -> [HTTPResponse]
    {
        let deadline = Deadline(after: timeout)
        return try methods.map { try readResponse(method: $0, timeout: deadline.instant - .now) }
    }

    /// Reads the next response's head and leaves its body unread; returns the response (with
    /// an empty body) and the number of body bytes that follow, for a request made with
    /// `method`. Read the body with ``readBytes(atMost:timeout:)`` or ``readUntilClosed(timeout:)``.
    func readHead(method: String = "GET", timeout: Duration = .seconds(10)) throws
        -> (response: HTTPResponse, bodyLength: Int)
    {
        let deadline = Deadline(after: timeout)
        var parsed = try HTTPResponseParser.parseHead(buffer[...])
        while parsed == nil {
            try receive(until: deadline)
            parsed = try HTTPResponseParser.parseHead(buffer[...])
        }
        guard case (let response, let headLength)? = parsed else { preconditionFailure("parsed") }
        buffer.removeFirst(headLength)
        return (response, try HTTPResponseParser.bodyLength(of: response, requestMethod: method))
    }

    /// Up to `count` bytes: those already received first, else whatever arrives next, waiting
    /// up to `timeout` for at least one; empty at end-of-file. Throws `timedOut` when nothing
    /// arrives in time.
    func readBytes(atMost count: Int, timeout: Duration = .seconds(10)) throws -> [UInt8] {
        if buffer.isEmpty {
            do {
                try receive(until: Deadline(after: timeout))
            } catch HTTPClientError.closed {
                return []
            }
        }
        let taken = Array(buffer.prefix(count))
        buffer.removeFirst(taken.count)
        return taken
    }

    /// Bytes the kernel holds for this socket that nobody has read yet (`FIONREAD`), plus those
    /// this client has received but not returned: nonzero once the peer has started to answer.
    func queuedBytes() throws -> Int {
        var count: Int32 = 0
        try SupportError.check(ioctl(fd, UInt(FIONREAD), &count), "ioctl FIONREAD")
        return Int(count) + buffer.count
    }

    /// Everything the peer sends until it closes the connection (after any responses already
    /// read); throws `timedOut` if it does not close within `timeout`.
    func readUntilClosed(timeout: Duration = .seconds(10)) throws -> [UInt8] {
        let deadline = Deadline(after: timeout)
        do {
            while true { try receive(until: deadline) }
        } catch HTTPClientError.closed(let unread) {
            buffer = []
            return unread
        }
    }

    /// Half-closes the connection: the peer reads end-of-file, responses can still arrive.
    func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes the connection (idempotent).
    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// Appends at least one byte to `buffer`; throws `closed` at end-of-file (or on a reset)
    /// and `timedOut` at the deadline, both with the unread bytes.
    private func receive(until deadline: Deadline) throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return
            }
            if count == 0 || errno == ECONNRESET {
                throw HTTPClientError.closed(unread: buffer)
            }
            guard errno == EAGAIN || errno == EINTR else {
                throw SupportError.system("recv from \(peer)", errno: errno)
            }
            guard try PollWait.ready(fd, for: POLLIN, until: deadline) != nil else {
                throw HTTPClientError.timedOut(unread: buffer)
            }
        }
    }
}
