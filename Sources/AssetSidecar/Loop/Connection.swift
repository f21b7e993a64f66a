import Glibc
import Sendfile
import SystemPackage

/// One accepted connection, owned by one event loop for its whole life: its receive buffer,
/// the response in progress, and readiness as last reported by edge-triggered epoll.
final class Connection {
    /// Where the connection is in its request/response cycle.
    enum Phase {
        /// Waiting for (the rest of) a request head.
        case reading
        /// Sending a response.
        case writing
    }

    /// What the loop should do after ``Connection/drive(_:)``.
    enum Next {
        /// Wait for readiness; the connection is in the given deadline list (or none).
        case wait(DeadlineKind?)
        /// The send budget for this turn is spent: drive again on the next turn.
        case yield
        /// Close the connection.
        case close(CloseReason)
    }

    /// Why a connection is closed, for counters and logs.
    enum CloseReason {
        case finished, peerClosed, peerGone, truncated, failed, protocolError
    }

    let descriptor: Int32
    let slot: Int
    let generation: UInt32
    /// What this connection's listener serves.
    let role: Listener.Role
    var buffer: ReadBuffer
    var exchange = Exchange()
    var phase = Phase.reading
    /// Edge-triggered readiness: true until a read or write reports the socket exhausted.
    var readable = true
    var writable = true
    /// The peer shut down its sending side; no more requests will come.
    var readClosed = false
    /// epoll reported the peer's shutdown (`EPOLLRDHUP`/`EPOLLHUP`) that a read has not yet
    /// seen: a short read then does not mean the socket is drained, since the end of the stream
    /// still waits behind the data and no further edge will announce it.
    var pendingEOF = false
    /// Requests answered on this connection.
    var served = 0
    /// Whether the buffered bytes may now hold a complete head: the parser keeps no state, so
    /// it runs again only once a line end arrived (or the buffer is full), keeping a client
    /// that trickles bytes from costing work quadratic in the head size.
    private var needsParse = false

    init(
        descriptor: Int32, slot: Int, generation: UInt32, role: Listener.Role, bufferLimit: Int
    ) {
        self.descriptor = descriptor
        self.slot = slot
        self.generation = generation
        self.role = role
        self.buffer = ReadBuffer(limit: bufferLimit)
    }

    /// Advances the connection as far as readiness allows: parse, respond, send, repeat for
    /// pipelined requests.
    func drive(_ loop: EventLoop) -> Next {
        while true {
            switch phase {
            case .reading:
                switch readRequest(loop) {
                case .some(let next): return next
                case .none: continue
                }
            case .writing:
                switch sendResponse(loop) {
                case .some(let next): return next
                case .none: continue
                }
            }
        }
    }

    /// Parses the buffered bytes; answers a complete head, or reads more. Nil means "the phase
    /// changed, go on".
    private func readRequest(_ loop: EventLoop) -> Next? {
        if needsParse && !buffer.isEmpty {
            needsParse = false
            let result = loop.parser.parse(buffer.pending)
            switch result {
            case .complete(let head):
                loop.respond(to: head, on: self)
                buffer.consume(head.length)
                phase = .writing
                return nil
            case .failed(let error):
                loop.respond(to: error, on: self)
                buffer.consume(buffer.count)
                phase = .writing
                return nil
            case .incomplete:
                break
            }
        }
        if loop.isDraining && buffer.isEmpty && served > 0 {
            return .close(.finished)
        }
        guard readable, !readClosed else {
            if readClosed { return .close(.peerClosed) }
            return .wait(buffer.isEmpty && served > 0 ? .idle : .header)
        }
        let space = buffer.freeSpace()
        if space.isEmpty {
            loop.respond(to: .headerSectionTooLarge, on: self)
            buffer.consume(buffer.count)
            phase = .writing
            return nil
        }
        let received = recv(descriptor, space.baseAddress, space.count, 0)
        if received > 0 {
            needsParse =
                received == space.count
                || memchr(space.baseAddress!, 10, received) != nil
            buffer.commit(received)
            if received < space.count && !pendingEOF { readable = false }
            return nil
        }
        if received == 0 {
            readClosed = true
            return .close(.peerClosed)
        }
        switch errno {
        case EAGAIN, EWOULDBLOCK:
            readable = false
            return .wait(buffer.isEmpty && served > 0 ? .idle : .header)
        case EINTR:
            return nil
        default:
            return .close(.peerGone)
        }
    }

    /// Sends the current response as far as the socket and the turn's budget allow.
    private func sendResponse(_ loop: EventLoop) -> Next? {
        guard writable else { return .wait(.send) }
        let before = exchange.transfer.bytesSent
        let fileBefore = exchange.transfer.fileBytesSent
        let outcome = exchange.transfer.send(
            to: FileDescriptor(rawValue: descriptor), limit: loop.configuration.sendChunk)
        loop.recordSent(
            exchange.transfer.bytesSent - before, file: exchange.transfer.fileBytesSent - fileBefore
        )
        switch outcome {
        case .done:
            loop.logAccess(self, outcome: "ok")
            exchange.finish()
            served += 1
            if exchange.closeAfter {
                return .close(.finished)
            }
            phase = .reading
            needsParse = true
            if buffer.isEmpty { buffer.shrinkIfLarge() }
            return nil
        case .wouldBlock:
            writable = false
            return .wait(.send)
        case .yielded:
            return .yield
        case .peerGone:
            loop.logAccess(self, outcome: "peer-gone")
            return .close(.peerGone)
        case .fileTruncated(let missing):
            loop.recordTruncation(missing: missing, connection: self)
            loop.logAccess(self, outcome: "truncated")
            return .close(.truncated)
        case .failed:
            loop.logAccess(self, outcome: "failed")
            return .close(.failed)
        }
    }

    /// Releases the response's file. The loop closes the socket.
    func release() {
        exchange.finish()
    }
}
