import Glibc
import Sendfile
import SystemPackage

/// One accepted connection, owned by one event loop for its whole life: its receive buffer,
/// the transfer of the response in progress, its session, and readiness as last reported by
/// edge-triggered epoll. Bytes in, segments out: what the bytes mean is the session's business.
final class Connection {
    /// Where the connection is in its request/response cycle.
    enum Phase {
        /// Waiting for (the rest of) a request.
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

    /// What the connection reports to its loop as it goes.
    struct Progress {
        /// Bytes written by `sendmsg` and by `sendfile`.
        var copied: Int64 = 0
        var sendfile: Int64 = 0
        /// Bytes of the announced length never sent because the file shrank.
        var truncated: Int64?
    }

    let descriptor: Int32
    let slot: Int
    let generation: UInt32
    let session: any ConnectionSession
    var buffer: ReadBuffer
    var transfer = Transfer()
    var phase = Phase.reading
    /// Edge-triggered readiness: true until a read or write reports the socket exhausted.
    var readable = true
    var writable = true
    /// epoll reported the peer's shutdown (`EPOLLRDHUP`/`EPOLLHUP`) that a read has not yet
    /// seen: a short read then does not mean the socket is drained, since the end of the stream
    /// still waits behind the data and no further edge will announce it.
    var pendingEOF = false
    /// Requests answered on this connection.
    var served = 0
    /// The response in progress closes the connection once sent.
    private var closeAfter = false
    /// Whether the buffered bytes may now hold a complete request: sessions keep no parse
    /// state, so they run again only once a line end arrived (or the buffer is full), keeping a
    /// peer that trickles bytes from costing work quadratic in the head size.
    private var needsParse = false

    init(
        descriptor: Int32, slot: Int, generation: UInt32, session: any ConnectionSession,
        bufferLimit: Int
    ) {
        self.descriptor = descriptor
        self.slot = slot
        self.generation = generation
        self.session = session
        self.buffer = ReadBuffer(limit: bufferLimit)
    }

    /// Whether the connection sits between requests with nothing received: it may be closed
    /// without cutting a request short.
    var isIdle: Bool { phase == .reading && buffer.isEmpty && served > 0 }

    /// Advances the connection as far as readiness allows: receive, respond, send, repeat for
    /// pipelined requests.
    func drive(_ moment: LoopMoment, sendChunk: Int64, progress: inout Progress) -> Next {
        while true {
            let next: Next? =
                switch phase {
                case .reading: receive(moment)
                case .writing: send(sendChunk, &progress)
                }
            if let next { return next }
        }
    }

    /// Hands the buffered bytes to the session; reads more when it needs them. Nil means "the
    /// phase changed, go on".
    private func receive(_ moment: LoopMoment) -> Next? {
        let full = buffer.isFull
        if (needsParse || full) && !buffer.isEmpty {
            needsParse = false
            switch session.receive(buffer.pending, full: full, moment: moment, into: &transfer) {
            case .respond(let consumed, let thenClose):
                buffer.consume(consumed)
                closeAfter = thenClose
                phase = .writing
                return nil
            case .incomplete:
                break
            }
        }
        if moment.draining && isIdle { return .close(.drained) }
        guard readable else { return .wait(buffer.isEmpty && served > 0 ? .idle : .header) }
        let space = buffer.freeSpace()
        // Only a session that leaves a full buffer unanswered gets here with no space.
        guard !space.isEmpty else { return .close(.failed) }
        let received = recv(descriptor, space.baseAddress, space.count, 0)
        if received > 0 {
            needsParse = received == space.count || memchr(space.baseAddress!, 10, received) != nil
            buffer.commit(received)
            if received < space.count && !pendingEOF { readable = false }
            return nil
        }
        if received == 0 { return .close(.peerClosed) }
        switch errno {
        case EAGAIN, EWOULDBLOCK:
            readable = false
            return .wait(buffer.isEmpty && served > 0 ? .idle : .header)
        case EINTR:
            return nil
        case ECONNRESET:
            return .close(.peerReset)
        default:
            return .close(.failed)
        }
    }

    /// Sends the current response as far as the socket and the turn's budget allow.
    private func send(_ sendChunk: Int64, _ progress: inout Progress) -> Next? {
        guard writable else { return .wait(.send) }
        let before = transfer.bytesSent
        let fileBefore = transfer.fileBytesSent
        let outcome = transfer.send(to: FileDescriptor(rawValue: descriptor), limit: sendChunk)
        let file = transfer.fileBytesSent - fileBefore
        progress.sendfile += file
        progress.copied += transfer.bytesSent - before - file
        switch outcome {
        case .done:
            served += 1
            let closing: CloseReason? = closeAfter ? .response : nil
            end(.complete, closing: closing)
            if let closing { return .close(closing) }
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
            end(.peerGone, closing: .peerReset)
            return .close(.peerReset)
        case .fileTruncated(let missing):
            progress.truncated = missing
            end(.truncated, closing: .truncated)
            return .close(.truncated)
        case .failed:
            end(.failed, closing: .failed)
            return .close(.failed)
        }
    }

    /// Tells the session its response ended, and empties the transfer for the next one.
    private func end(_ ending: ResponseEnding, closing: CloseReason?) {
        session.responseEnded(ending, bytesSent: transfer.bytesSent, closing: closing)
        transfer.reset()
    }

    /// The header deadline passed: one nonblocking attempt at the response the session owes an
    /// unfinished request (the connection closes either way).
    func sendTimeoutResponse(_ moment: LoopMoment) {
        guard phase == .reading else { return }
        transfer.reset()
        session.headerTimedOut(buffer.pending, moment: moment, into: &transfer)
        guard transfer.totalBytes > 0 else { return }
        _ = transfer.send(to: FileDescriptor(rawValue: descriptor))
        end(.complete, closing: .headerTimeout)
    }

    /// Releases the response's resources. The loop closes the socket.
    func release() {
        transfer.reset()
    }
}
