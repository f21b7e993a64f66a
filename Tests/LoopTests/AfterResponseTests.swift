import Testing

@testable import Loop

/// behaviour §2.4: what a connection does with bytes its session will not use, over a real
/// socket pair: an unused body dropped before the next request, and the lingering close
/// (RFC 9112 §9.6). Each step drives the connection as epoll would after an edge; no step
/// waits for time to pass.
@Suite("After the response")
struct AfterResponseTests {
    private static let moment = LoopMoment(now: 0, seconds: 0, draining: false)

    private static func connection(
        _ socket: PeerSocket, _ session: LineSession, lingerBytes: Int64 = 1 << 20
    ) -> Connection {
        Connection(
            descriptor: socket.local, slot: 0, generation: 1, session: session,
            bufferLimit: 4096, lingerBytes: lingerBytes)
    }

    /// One drive after the peer's bytes arrived (an edge for both directions).
    private static func drive(_ connection: Connection) -> Connection.Next {
        connection.readable = true
        connection.writable = true
        var progress = Connection.Progress()
        return connection.drive(moment, sendChunk: 1 << 20, progress: &progress)
    }

    private static func isWaiting(_ next: Connection.Next, on kind: DeadlineKind) -> Bool {
        if case .wait(let waiting) = next { return waiting == kind }
        return false
    }

    private static func isClosing(_ next: Connection.Next, for reason: CloseReason) -> Bool {
        if case .close(let closing) = next { return closing == reason }
        return false
    }

    /// The body (line ends in it included) is never handed to the session: the next request
    /// is read from the byte after it, whether the body came with the head or later.
    @Test func discardDropsTheBodyThenReadsTheNextRequest() throws {
        let socket = try PeerSocket()
        let session = LineSession(plan: [.discard(10)])
        let connection = Self.connection(socket, session)
        try socket.send("post\nb1\nb2")
        #expect(Self.isWaiting(Self.drive(connection), on: .discard))
        #expect(try socket.receive() == ("answer post\n", false))
        #expect(!connection.isIdle)
        try socket.send("\nb3\n!get\n")
        #expect(Self.isWaiting(Self.drive(connection), on: .idle))
        #expect(try socket.receive() == ("answer get\n", false))
        #expect(session.requests == ["post", "get"])
        #expect(connection.isIdle)
    }

    /// A discard still waiting for body bytes ends, at its deadline, as a discard timeout.
    @Test func aBodyThatNeverArrivesIsADiscardTimeout() throws {
        let socket = try PeerSocket()
        let session = LineSession(plan: [.discard(1000)])
        let connection = Self.connection(socket, session)
        try socket.send("post\n12345")
        #expect(Self.isWaiting(Self.drive(connection), on: .discard))
        #expect(connection.discardExpiry == .discardTimeout)
    }

    /// A lingering close: the peer reads the answer and then the end of the stream, may go
    /// on sending without being reset, and nothing it sends is parsed; its close ends it.
    @Test func lingerAnswersShutsDownAndDropsUntilThePeerCloses() throws {
        let socket = try PeerSocket()
        let session = LineSession(plan: [.linger])
        let connection = Self.connection(socket, session)
        try socket.send("post\nbody\nmore\n")
        #expect(Self.isWaiting(Self.drive(connection), on: .discard))
        #expect(try socket.receive() == ("answer post\n", true))
        #expect(try socket.send(Array(repeating: 10, count: 20_000)))
        #expect(Self.isWaiting(Self.drive(connection), on: .discard))
        #expect(session.requests == ["post"])
        #expect(session.endings.map(\.1) == [.response])
        #expect(connection.discardExpiry == .response)
        socket.closePeer()
        #expect(Self.isClosing(Self.drive(connection), for: .response))
    }

    /// Lingering reads no more than its byte bound.
    @Test func lingerStopsAtItsByteBound() throws {
        let socket = try PeerSocket()
        let connection = Self.connection(socket, LineSession(plan: [.linger]), lingerBytes: 8192)
        try socket.send("post\n")
        #expect(Self.isWaiting(Self.drive(connection), on: .discard))
        #expect(try socket.send(Array(repeating: 65, count: 4096)))
        #expect(Self.isWaiting(Self.drive(connection), on: .discard))
        #expect(try socket.send(Array(repeating: 65, count: 4097)))
        #expect(Self.isClosing(Self.drive(connection), for: .response))
    }

    /// A plain close with nothing unread closes at once; with pipelined bytes unread it
    /// lingers, since closing would reset the connection under the answer.
    @Test func closeLingersOnlyOverUnreadBytes() throws {
        let quiet = try PeerSocket()
        let alone = Self.connection(quiet, LineSession(plan: [.close]))
        try quiet.send("get\n")
        #expect(Self.isClosing(Self.drive(alone), for: .response))

        let busy = try PeerSocket()
        let session = LineSession(plan: [.close])
        let pipelined = Self.connection(busy, session)
        try busy.send("get\nget2\n")
        #expect(Self.isWaiting(Self.drive(pipelined), on: .discard))
        #expect(try busy.receive() == ("answer get\n", true))
        #expect(session.requests == ["get"])
    }

    /// The 408 of a header timeout is followed by a lingering close that ends as a header
    /// timeout: the trickling peer reads the 408, not a reset.
    @Test func timeoutResponseIsFollowedByALinger() throws {
        let socket = try PeerSocket()
        let session = LineSession(plan: [])
        let connection = Self.connection(socket, session)
        try socket.send("slow")
        #expect(Self.isWaiting(Self.drive(connection), on: .header))
        #expect(connection.sendTimeoutResponse(Self.moment))
        #expect(connection.beginLinger(.headerTimeout))
        #expect(Self.isWaiting(Self.drive(connection), on: .discard))
        #expect(try socket.receive() == ("timeout\n", true))
        #expect(try socket.send("ly\n"))
        #expect(Self.isWaiting(Self.drive(connection), on: .discard))
        #expect(connection.discardExpiry == .headerTimeout)
        #expect(session.requests.isEmpty)
        socket.closePeer()
        #expect(Self.isClosing(Self.drive(connection), for: .headerTimeout))
    }
}
