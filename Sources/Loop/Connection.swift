import Glibc
import Sendfile
import SystemPackage

/// One accepted connection, owned by one event loop for its whole life: its receive buffer,
/// the transfer of the response in progress, its session, and readiness as last reported by
/// edge-triggered epoll. Bytes in, segments out: what the bytes mean is the session's business;
/// what becomes of bytes the session will not use (``AfterResponse``) is the connection's.
final class Connection {
    /// Where the connection is in its request/response cycle.
    enum Phase {
        /// Waiting for (the rest of) a request, or dropping the rest of an unused body.
        case reading
        /// Sending a response.
        case writing
        /// The final response is sent and the sending side shut down: reading and dropping
        /// whatever still arrives until the peer closes (RFC 9112 §9.6).
        case lingering
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
        /// Responses sent in full.
        var completed = 0
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
    /// Whether the loop asked epoll for `EPOLLOUT` on this socket. Only while a send waits
    /// for room (``EventLoop``): an edge fires each time the peer reads, so a socket registered
    /// for it for good would wake an idle loop once more per response.
    var watchesOutput = false
    /// epoll reported the peer's shutdown (`EPOLLRDHUP`/`EPOLLHUP`) that a read has not yet
    /// seen: a short read then does not mean the socket is drained, since the end of the stream
    /// still waits behind the data and no further edge will announce it.
    var pendingEOF = false
    /// Requests answered on this connection.
    var served = 0
    /// What happens once the response in progress is sent.
    private var after = AfterResponse.next
    /// Bytes of an unused body still to be read and dropped before the next request; while
    /// positive the buffer is empty.
    private var discarding: Int64 = 0
    /// The most bytes a lingering close reads (more closes it at once), and what is left of it.
    private let lingerBytes: Int64
    private var lingerBudget: Int64 = 0
    /// Why the connection closes once lingering ends.
    private var lingerReason = CloseReason.response
    /// Whether the buffered bytes may now hold a complete request: sessions keep no parse
    /// state, so they run again only once a line end arrived (or the buffer is full), keeping a
    /// peer that trickles bytes from costing work quadratic in the head size.
    private var needsParse = false

    init(
        descriptor: Int32, slot: Int, generation: UInt32, session: any ConnectionSession,
        bufferLimit: Int, lingerBytes: Int64
    ) {
        self.lingerBytes = lingerBytes
        self.descriptor = descriptor
        self.slot = slot
        self.generation = generation
        self.session = session
        self.buffer = ReadBuffer(limit: bufferLimit)
    }

    /// Whether the connection sits between requests with nothing received: it may be closed
    /// without cutting a request short.
    var isIdle: Bool { phase == .reading && buffer.isEmpty && served > 0 && discarding == 0 }

    /// Why the connection closes when its discard deadline passes: the reason of the close it
    /// was lingering before, or a body that never arrived in full.
    var discardExpiry: CloseReason { phase == .lingering ? lingerReason : .discardTimeout }

    /// The deadline a connection waiting for bytes is on.
    private var readDeadline: DeadlineKind {
        discarding > 0 ? .discard : buffer.isEmpty && served > 0 ? .idle : .header
    }

    /// Advances the connection as far as readiness allows: receive, respond, send, repeat for
    /// pipelined requests.
    func drive(_ moment: LoopMoment, sendChunk: Int64, progress: inout Progress) -> Next {
        while true {
            let next: Next? =
                switch phase {
                case .reading: receive(moment)
                case .writing: send(sendChunk, &progress)
                case .lingering: linger()
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
            case .respond(let consumed, let then):
                buffer.consume(consumed)
                after = then
                if case .discard(let count) = then {
                    discarding = count
                    dropDiscarded()
                }
                phase = .writing
                return nil
            case .incomplete:
                break
            }
        }
        guard readable else { return .wait(readDeadline) }
        let space = buffer.freeSpace()
        // Only a session that leaves a full buffer unanswered gets here with no space.
        guard !space.isEmpty else { return .close(.failed) }
        let received = recv(descriptor, space.baseAddress, space.count, 0)
        if received > 0 {
            needsParse = received == space.count || memchr(space.baseAddress!, 10, received) != nil
            buffer.commit(received)
            if discarding > 0 { dropDiscarded() }
            if received < space.count && !pendingEOF { readable = false }
            return nil
        }
        if received == 0 { return .close(.peerClosed) }
        switch errno {
        case EAGAIN, EWOULDBLOCK:
            readable = false
            return .wait(readDeadline)
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
            progress.completed += 1
            switch after {
            case .close where buffer.isEmpty:
                end(.complete, closing: .response)
                return .close(.response)
            case .close, .linger:
                // Asked to linger, or closing with bytes the peer sent after this request
                // still unread: a plain close now would reset the connection under the answer.
                end(.complete, closing: .response)
                return beginLinger(.response) ? nil : .close(.response)
            case .next, .discard:
                end(.complete, closing: nil)
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

    /// Drops what the buffer holds of the unused body.
    private func dropDiscarded() {
        let dropped = min(discarding, Int64(buffer.count))
        buffer.consume(Int(dropped))
        discarding -= dropped
    }

    /// Starts a lingering close, to end with `reason`: shuts down the sending side (the peer
    /// reads the response, then the end of the stream) and drops what is buffered. False when
    /// the shutdown fails (the peer is gone): close at once.
    func beginLinger(_ reason: CloseReason) -> Bool {
        guard shutdown(descriptor, Int32(SHUT_WR)) == 0 else { return false }
        buffer.consume(buffer.count)
        discarding = 0
        lingerBudget = lingerBytes
        lingerReason = reason
        phase = .lingering
        return true
    }

    /// Reads and drops what the peer still sends, until it closes, the byte bound is reached
    /// or (the loop's business) the discard deadline passes.
    private func linger() -> Next? {
        guard readable else { return .wait(.discard) }
        let space = buffer.freeSpace()
        let received = recv(descriptor, space.baseAddress, space.count, 0)
        if received > 0 {
            lingerBudget -= Int64(received)
            if lingerBudget < 0 { return .close(lingerReason) }
            if received < space.count && !pendingEOF { readable = false }
            return nil
        }
        if received == 0 { return .close(lingerReason) }
        switch errno {
        case EAGAIN, EWOULDBLOCK:
            readable = false
            return .wait(.discard)
        case EINTR:
            return nil
        default:
            return .close(lingerReason)
        }
    }

    /// Tells the session its response ended, and empties the transfer for the next one.
    private func end(_ ending: ResponseEnding, closing: CloseReason?) {
        session.responseEnded(ending, bytesSent: transfer.bytesSent, closing: closing)
        transfer.reset()
    }

    /// The header deadline passed: one nonblocking attempt at the response the session owes an
    /// unfinished request. True when it was sent in full (the connection then lingers, as the
    /// peer may still be sending its head); else the connection closes at once.
    func sendTimeoutResponse(_ moment: LoopMoment) -> Bool {
        guard phase == .reading else { return false }
        transfer.reset()
        session.headerTimedOut(buffer.pending, moment: moment, into: &transfer)
        guard transfer.totalBytes > 0 else { return false }
        let outcome = transfer.send(to: FileDescriptor(rawValue: descriptor))
        end(.complete, closing: .headerTimeout)
        return outcome == .done
    }

    /// Releases the response's resources. The loop closes the socket.
    func release() {
        transfer.reset()
    }
}
