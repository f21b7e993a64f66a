import CLinux
import Glibc
import Logging
import Sendfile
import SystemPackage

/// One event loop: a thread with its own epoll, every listener registered with
/// `EPOLLEXCLUSIVE`, and the connections it accepted, which never leave it. Nothing here is
/// shared with other loops, so the hot path takes no locks. It moves bytes: what they mean is
/// the business of the handler paired with each listener.
public final class EventLoop {
    public let control: LoopControl
    public let stats: LoopStats
    private let settings: LoopSettings
    private let listeners: [Listener]
    /// The handler of each listener, by index.
    private let handlers: [any ConnectionHandler]
    /// What the handlers asked the loop to poll and to run each turn.
    private let attachments: [any LoopAttachment]
    private let logger: Logger
    private let epoll: Int32

    private var connections: [Connection?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [Int] = []
    private var openCount = 0
    private var deadlines = Deadlines()
    /// Connections whose send budget ran out, driven again on the next turn.
    private var yielded: [Int] = []
    private var clock = Clock()
    /// Whether the listeners are in this loop's epoll set.
    private var accepting = false
    /// When accepting paused for lack of descriptors, the time to try again.
    private var acceptRetryAt: Int64?
    private var isDraining = false

    /// Tokens at or above this are connections (slot in the low 32 bits, generation above).
    private static let connectionBase: UInt64 = 1 << 62
    private static let wakeToken: UInt64 = 1 << 61
    /// Tokens at or above this (and below the wake token) are attachments, by index.
    private static let attachmentBase: UInt64 = 1 << 60
    private static let maxEvents: Int32 = 256
    /// What every connection is registered for; `EPOLLOUT` is added only while a send waits
    /// for room (``watchOutput(_:_:)``).
    private static let connectionInterest = CLINUX_EPOLLIN | CLINUX_EPOLLRDHUP | CLINUX_EPOLLET
    /// Milliseconds a keep-alive connection between requests stays open once the loop drains
    /// (behaviour §1.6). Whoever closes an idle connection races the peer's next request on it (a
    /// request written into a socket that is then closed unread makes the front's write fail
    /// with EPIPE, or its read with ECONNRESET), so the front should close first: the shipped
    /// nginx snippet closes idle upstream connections after 1 s. A request that comes before
    /// is read and answered with `Connection: close`. Only a peer that keeps an idle
    /// connection open longer has it closed by the sidecar, after this quiet period.
    public static let drainQuietPeriod: Int64 = 2000

    /// A loop over `listeners`, each served by the handler at the same index.
    public init(
        settings: LoopSettings, listeners: [Listener], handlers: [any ConnectionHandler],
        control: LoopControl, stats: LoopStats, logger: Logger
    ) throws {
        precondition(listeners.count == handlers.count, "one handler per listener")
        self.settings = settings
        self.listeners = listeners
        self.handlers = handlers
        attachments = handlers.compactMap(\.attachment)
        self.control = control
        self.stats = stats
        // A loop counts as having turned when it is made: its thread starts right after.
        stats.lastTurn.store(clock.now, ordering: .relaxed)
        self.logger = logger
        epoll = clinux_epoll_create()
        guard epoll >= 0 else { throw LoopSetupError("epoll_create1", errno: errno) }
        guard clinux_epoll_add(epoll, control.wakeDescriptor, CLINUX_EPOLLIN, Self.wakeToken) == 0
        else { throw LoopSetupError("epoll_ctl", errno: errno) }
        for (index, attachment) in attachments.enumerated() {
            guard let descriptor = attachment.descriptor else { continue }
            let token = Self.attachmentBase + UInt64(index)
            guard clinux_epoll_add(epoll, descriptor, CLINUX_EPOLLIN, token) == 0 else {
                throw LoopSetupError("epoll_ctl on an attachment", errno: errno)
            }
        }
        try setAccepting(true)
    }

    deinit {
        close(epoll)
    }

    private var moment: LoopMoment {
        LoopMoment(now: clock.now, seconds: clock.seconds, draining: isDraining)
    }

    /// Runs until drained: every listener removed and every connection closed.
    public func run() {
        let eventSize = Int(clinux_epoll_event_size())
        let events = UnsafeMutableRawPointer.allocate(
            byteCount: eventSize * Int(Self.maxEvents), alignment: 8)
        defer { events.deallocate() }
        while !(isDraining && openCount == 0) {
            let count = clinux_epoll_wait(epoll, events, Self.maxEvents, waitTimeout())
            clock.update()
            LoopStats.bump(stats.turns)
            stats.lastTurn.store(clock.now, ordering: .relaxed)
            if count < 0 && errno != EINTR {
                logger.critical("epoll_wait failed: \(Errno(rawValue: errno).description)")
                return
            }
            let again = yielded
            yielded.removeAll(keepingCapacity: true)
            if !attachments.isEmpty { runAttachments(events, count: count) }
            for index in 0..<max(0, Int(count)) {
                dispatch(
                    token: clinux_epoll_token_at(events, Int32(index)),
                    events: clinux_epoll_events_at(events, Int32(index)))
            }
            for slot in again {
                if let connection = connections[slot] { drive(connection) }
            }
            expireDeadlines()
            resumeAcceptingIfDue()
        }
        control.finished.store(true, ordering: .releasing)
    }

    /// Starts the turn for every attachment, then lets those reported readable (all of them
    /// when the return was full) read their descriptors: before any connection is driven, so
    /// what they learn applies to every request of the turn (see ``LoopAttachment``).
    private func runAttachments(_ events: UnsafeMutableRawPointer, count: Int32) {
        for attachment in attachments { attachment.turnBegins(now: clock.now) }
        if count >= Self.maxEvents {
            for attachment in attachments where attachment.descriptor != nil {
                attachment.readable()
            }
            return
        }
        for index in 0..<max(0, count) {
            let token = clinux_epoll_token_at(events, index)
            if token >= Self.attachmentBase && token < Self.wakeToken {
                attachments[Int(token - Self.attachmentBase)].readable()
            }
        }
    }

    /// Milliseconds until the next deadline, 0 when work is pending, capped by the heartbeat.
    private func waitTimeout() -> Int32 {
        if !yielded.isEmpty { return 0 }
        var until = settings.heartbeat
        if let earliest = deadlines.earliest { until = min(until, earliest - clock.now) }
        if let retry = acceptRetryAt { until = min(until, retry - clock.now) }
        return Int32(max(0, until))
    }

    private func dispatch(token: UInt64, events: UInt32) {
        if token >= Self.connectionBase {
            let slot = Int(token & 0xffff_ffff)
            let generation = UInt32(truncatingIfNeeded: (token - Self.connectionBase) >> 32)
            guard slot < connections.count, let connection = connections[slot],
                connection.generation == generation
            else { return }
            if events & (CLINUX_EPOLLIN | CLINUX_EPOLLHUP | CLINUX_EPOLLERR) != 0 {
                connection.readable = true
            }
            if events & (CLINUX_EPOLLRDHUP | CLINUX_EPOLLHUP) != 0 {
                connection.pendingEOF = true
            }
            if events & CLINUX_EPOLLOUT != 0 && connection.writable && connection.watchesOutput {
                // Room reported while no send waits for it: the send that wanted the watch
                // has finished, and every read of the peer would wake the loop again.
                guard watchOutput(connection, false) else { return }
            }
            if events & (CLINUX_EPOLLOUT | CLINUX_EPOLLHUP | CLINUX_EPOLLERR) != 0 {
                connection.writable = true
            }
            drive(connection)
        } else if token >= Self.attachmentBase && token < Self.wakeToken {
            return
        } else if token == Self.wakeToken {
            var value: UInt64 = 0
            _ = read(control.wakeDescriptor, &value, 8)
            if control.draining.load(ordering: .acquiring) && !isDraining { beginDrain() }
            let reload = control.reloadRequested.load(ordering: .acquiring)
            if reload != control.reloadDone.load(ordering: .relaxed) {
                for handler in handlers { handler.reload() }
                control.reloadDone.store(reload, ordering: .releasing)
            }
        } else {
            acceptAll(from: Int(token))
        }
    }

    /// Drives one connection and acts on its answer.
    private func drive(_ connection: Connection) {
        var progress = Connection.Progress()
        let next = connection.drive(moment, sendChunk: settings.sendChunk, progress: &progress)
        record(progress)
        switch next {
        case .wait(let wanted):
            if !connection.writable && !connection.watchesOutput {
                guard watchOutput(connection, true) else { return }
            }
            guard var kind = wanted else {
                deadlines.cancel(connection.slot)
                return
            }
            // Idle in a drain: the quiet period (set at its start, or now) runs on.
            if isDraining && kind == .idle { kind = .quiet }
            let current = deadlines.kind(of: connection.slot)
            // A response finished, or a send moved bytes: the deadline starts afresh. Bytes
            // received never extend a header deadline.
            let sent = kind == .send && progress.copied + progress.sendfile != 0
            if current != kind || progress.completed != 0 || sent {
                deadlines.schedule(connection.slot, kind, at: clock.now + duration(of: kind))
            }
        case .yield:
            deadlines.schedule(connection.slot, .send, at: clock.now + settings.sendTimeout)
            yielded.append(connection.slot)
        case .close(let reason):
            closeConnection(connection, reason)
        }
    }

    /// Adds `EPOLLOUT` to the connection's registration or takes it out. Adding it reports
    /// room that came between the send's EAGAIN and this call (epoll polls the socket on
    /// `EPOLL_CTL_MOD`), so no edge is lost. False when epoll refused: the connection is closed.
    private func watchOutput(_ connection: Connection, _ on: Bool) -> Bool {
        let interest = on ? Self.connectionInterest | CLINUX_EPOLLOUT : Self.connectionInterest
        guard clinux_epoll_mod(epoll, connection.descriptor, interest, token(of: connection)) == 0
        else {
            logger.error("epoll_ctl mod failed: \(Errno(rawValue: errno).description)")
            closeConnection(connection, .failed)
            return false
        }
        connection.watchesOutput = on
        return true
    }

    /// The epoll token of a connection: its slot, and the slot's generation, so an event
    /// queued for a closed connection never reaches the one that took its slot.
    private func token(of connection: Connection) -> UInt64 {
        Self.connectionBase + (UInt64(connection.generation) << 32) + UInt64(connection.slot)
    }

    /// Adds a drive's bytes to the counters; a truncation is also a warning line.
    @inline(__always)
    private func record(_ progress: Connection.Progress) {
        if progress.sendfile != 0 { LoopStats.bump(stats.bytesSendfile, by: progress.sendfile) }
        if progress.copied != 0 { LoopStats.bump(stats.bytesCopied, by: progress.copied) }
        if let missing = progress.truncated { recordTruncation(missing) }
    }

    private func recordTruncation(_ missing: Int64) {
        LoopStats.bump(stats.truncations)
        logger.warning(
            "file shrank while being sent; connection closed",
            metadata: ["missing_bytes": "\(missing)"])
    }

    private func duration(of kind: DeadlineKind) -> Int64 {
        switch kind {
        case .header: settings.headerTimeout
        case .idle: settings.idleTimeout
        case .send: settings.sendTimeout
        case .discard: settings.discardTimeout
        case .quiet: Self.drainQuietPeriod
        }
    }

    /// Accepts until the backlog is empty, the loop is full, or descriptors run out.
    private func acceptAll(from index: Int) {
        let listener = listeners[index]
        while accepting {
            if openCount >= settings.capacity {
                try? setAccepting(false)
                return
            }
            let descriptor = clinux_accept(listener.descriptor)
            if descriptor < 0 {
                switch errno {
                case EAGAIN, EWOULDBLOCK: return
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    LoopStats.bump(stats.acceptPauses)
                    logger.warning(
                        "accept paused: \(Errno(rawValue: errno).description)",
                        metadata: ["socket": "\(listener.name)"])
                    try? setAccepting(false)
                    acceptRetryAt = clock.now + 100
                    return
                default:
                    logger.error("accept failed: \(Errno(rawValue: errno).description)")
                    return
                }
            }
            adopt(descriptor, handler: handlers[index])
        }
    }

    /// Registers a freshly accepted socket and tries to read its first request at once.
    private func adopt(_ descriptor: Int32, handler: any ConnectionHandler) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
        } else {
            slot = connections.count
            connections.append(nil)
            generations.append(0)
            deadlines.reserve(slots: connections.count)
        }
        generations[slot] &+= 1
        let connection = Connection(
            descriptor: descriptor, slot: slot, generation: generations[slot],
            session: handler.makeSession(), bufferLimit: settings.bufferLimit,
            lingerBytes: settings.lingerBytes)
        let registration = token(of: connection)
        guard clinux_epoll_add(epoll, descriptor, Self.connectionInterest, registration) == 0
        else {
            logger.error("epoll_ctl add failed: \(Errno(rawValue: errno).description)")
            close(descriptor)
            freeSlots.append(slot)
            return
        }
        connections[slot] = connection
        LoopStats.bump(stats.acceptedConnections)
        openCount += 1
        stats.openConnections.store(openCount, ordering: .relaxed)
        deadlines.schedule(slot, .header, at: clock.now + settings.headerTimeout)
        drive(connection)
    }

    private func closeConnection(_ connection: Connection, _ reason: CloseReason) {
        stats.countClose(reason)
        deadlines.cancel(connection.slot)
        connection.release()
        close(connection.descriptor)
        connections[connection.slot] = nil
        freeSlots.append(connection.slot)
        openCount -= 1
        stats.openConnections.store(openCount, ordering: .relaxed)
        if !accepting && !isDraining && acceptRetryAt == nil && openCount < settings.capacity {
            try? setAccepting(true)
        }
    }

    /// Adds or removes every listener from this loop's epoll set (EPOLLEXCLUSIVE: a new
    /// connection wakes one loop, not all).
    private func setAccepting(_ on: Bool) throws {
        guard on != accepting else { return }
        for (index, listener) in listeners.enumerated() {
            let result =
                on
                ? clinux_epoll_add(
                    epoll, listener.descriptor, CLINUX_EPOLLIN | CLINUX_EPOLLEXCLUSIVE,
                    UInt64(index))
                : clinux_epoll_del(epoll, listener.descriptor)
            guard result == 0 else { throw LoopSetupError("epoll_ctl on listener", errno: errno) }
        }
        accepting = on
    }

    private func resumeAcceptingIfDue() {
        guard let retry = acceptRetryAt, retry <= clock.now else { return }
        acceptRetryAt = nil
        if !isDraining && openCount < settings.capacity { try? setAccepting(true) }
    }

    /// Handles expired deadlines: the owed response (408) for an unfinished head, then a
    /// lingering close (so the peer, perhaps still sending, reads the 408 rather than a reset).
    private func expireDeadlines() {
        while let (slot, kind) = deadlines.popExpired(now: clock.now) {
            guard let connection = connections[slot] else { continue }
            switch kind {
            case .header:
                if connection.sendTimeoutResponse(moment)
                    && connection.beginLinger(.headerTimeout)
                {
                    drive(connection)
                } else {
                    closeConnection(connection, .headerTimeout)
                }
            case .idle:
                closeConnection(connection, .idleTimeout)
            case .send:
                closeConnection(connection, .sendTimeout)
            case .discard:
                closeConnection(connection, connection.discardExpiry)
            case .quiet:
                closeConnection(connection, .drained)
            }
        }
    }

    /// SIGTERM, idle exit or a hot upgrade's handover: stop accepting (new connections wait in
    /// the backlog, for the next process), let in-flight responses finish, answer every further
    /// request with `Connection: close`, and give keep-alive connections between requests the
    /// quiet period (``drainQuietPeriod``) for the front to close them first. A connection
    /// accepted but not yet answered is served, never dropped.
    private func beginDrain() {
        isDraining = true
        try? setAccepting(false)
        acceptRetryAt = nil
        control.listenersReleased.store(true, ordering: .releasing)
        for case let connection? in connections where connection.isIdle {
            deadlines.schedule(connection.slot, .quiet, at: clock.now + Self.drainQuietPeriod)
        }
    }
}
