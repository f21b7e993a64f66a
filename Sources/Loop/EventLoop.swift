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
    private static let maxEvents: Int32 = 256

    /// A loop over `listeners`, each served by the handler at the same index.
    public init(
        settings: LoopSettings, listeners: [Listener], handlers: [any ConnectionHandler],
        control: LoopControl, stats: LoopStats, logger: Logger
    ) throws {
        precondition(listeners.count == handlers.count, "one handler per listener")
        self.settings = settings
        self.listeners = listeners
        self.handlers = handlers
        self.control = control
        self.stats = stats
        // A loop counts as having turned when it is made: its thread starts right after.
        stats.lastTurn.store(clock.now, ordering: .relaxed)
        self.logger = logger
        epoll = clinux_epoll_create()
        guard epoll >= 0 else { throw LoopSetupError("epoll_create1", errno: errno) }
        guard clinux_epoll_add(epoll, control.wakeDescriptor, CLINUX_EPOLLIN, Self.wakeToken) == 0
        else { throw LoopSetupError("epoll_ctl", errno: errno) }
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
            if events & (CLINUX_EPOLLOUT | CLINUX_EPOLLHUP | CLINUX_EPOLLERR) != 0 {
                connection.writable = true
            }
            drive(connection)
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
        case .wait(let kind):
            guard let kind else {
                deadlines.cancel(connection.slot)
                return
            }
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
        let token = Self.connectionBase + (UInt64(generations[slot]) << 32) + UInt64(slot)
        let interest = CLINUX_EPOLLIN | CLINUX_EPOLLOUT | CLINUX_EPOLLRDHUP | CLINUX_EPOLLET
        guard clinux_epoll_add(epoll, descriptor, interest, token) == 0 else {
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
            }
        }
    }

    /// SIGTERM or idle exit: stop accepting (new connections wait in the backlog), close
    /// keep-alive connections between requests, let the rest finish. A connection accepted but
    /// not yet answered is served, never dropped.
    private func beginDrain() {
        isDraining = true
        try? setAccepting(false)
        acceptRetryAt = nil
        control.listenersReleased.store(true, ordering: .releasing)
        for case let connection? in connections where connection.isIdle {
            closeConnection(connection, .drained)
        }
    }
}
