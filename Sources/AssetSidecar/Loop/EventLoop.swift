import CLinux
import Glibc
import Logging
import Sendfile

/// One event loop: a thread with its own epoll, every listener registered with
/// `EPOLLEXCLUSIVE`, and the connections it accepted, which never leave it. Nothing here is
/// shared with other loops, so the hot path takes no locks.
final class EventLoop {
    let configuration: Configuration
    let parser: RequestParser
    let responder: Responder
    let control: LoopControl
    let stats: LoopStats
    private let listeners: [Listener]
    private let logger: Logger
    private let epoll: Int32
    /// The most connections this loop holds at once.
    private let capacity: Int

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
    private(set) var isDraining = false
    /// Open files and their rendered fields, for this loop alone.
    private var cache: FileCache
    /// Counts responses, for multipart boundaries unique per response.
    private var sequence: UInt64
    /// Every loop's counters, for the metrics page.
    private let allStats: [LoopStats]
    /// The largest `epoll_wait` timeout: an idle loop still turns this often, proving to the
    /// watchdog that it is alive.
    private let heartbeat: Int64

    /// Tokens at or above this are connections (slot in the low 32 bits, generation above).
    private static let connectionBase: UInt64 = 1 << 62
    private static let wakeToken: UInt64 = 1 << 61
    private static let maxEvents: Int32 = 256

    init(
        configuration: Configuration, listeners: [Listener], responder: Responder,
        control: LoopControl, stats: LoopStats, allStats: [LoopStats], capacity: Int,
        heartbeat: Int64, logger: Logger
    ) throws {
        self.configuration = configuration
        self.parser = RequestParser(limits: configuration.limits)
        self.responder = responder
        self.listeners = listeners
        self.control = control
        self.stats = stats
        self.allStats = allStats
        self.heartbeat = heartbeat
        self.capacity = capacity
        self.logger = logger
        cache = FileCache(capacity: configuration.openFileCache)
        sequence = UInt64.random(in: 0...UInt64.max)
        epoll = clinux_epoll_create()
        guard epoll >= 0 else { throw StartupError("epoll_create1: \(ErrorText.describe(errno))") }
        guard clinux_epoll_add(epoll, control.wakeDescriptor, CLINUX_EPOLLIN, Self.wakeToken) == 0
        else { throw StartupError("epoll_ctl: \(ErrorText.describe(errno))") }
        try setAccepting(true)
    }

    deinit {
        close(epoll)
    }

    /// Runs until drained: every listener removed and every connection closed.
    func run() {
        let eventSize = Int(clinux_epoll_event_size())
        let events = UnsafeMutableRawPointer.allocate(
            byteCount: eventSize * Int(Self.maxEvents), alignment: 8)
        defer { events.deallocate() }
        while !(isDraining && openCount == 0) {
            let count = clinux_epoll_wait(epoll, events, Self.maxEvents, waitTimeout())
            clock.update()
            LoopStats.bump(stats.turns)
            if count < 0 && errno != EINTR {
                logger.critical("epoll_wait failed: \(ErrorText.describe(errno))")
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
        var until = heartbeat
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
                cache.removeAll()
                control.reloadDone.store(reload, ordering: .releasing)
            }
        } else {
            acceptAll(from: listeners[Int(token)])
        }
    }

    /// Drives one connection and acts on its answer.
    private func drive(_ connection: Connection) {
        let sentBefore = connection.exchange.transfer.bytesSent
        let next = connection.drive(self)
        switch next {
        case .wait(let kind):
            guard let kind else {
                deadlines.cancel(connection.slot)
                return
            }
            let current = deadlines.kind(of: connection.slot)
            let progressed = connection.exchange.transfer.bytesSent != sentBefore
            if current != kind || (kind == .send && progressed) {
                deadlines.schedule(connection.slot, kind, at: clock.now + duration(of: kind))
            }
        case .yield:
            deadlines.schedule(
                connection.slot, .send, at: clock.now + configuration.sendTimeout)
            yielded.append(connection.slot)
        case .close:
            closeConnection(connection)
        }
    }

    private func duration(of kind: DeadlineKind) -> Int64 {
        switch kind {
        case .header: configuration.headerTimeout
        case .idle: configuration.idleTimeout
        case .send: configuration.sendTimeout
        }
    }

    /// Accepts until the backlog is empty, the loop is full, or descriptors run out.
    private func acceptAll(from listener: Listener) {
        while accepting {
            if openCount >= capacity {
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
                        "accept paused: \(ErrorText.describe(errno))",
                        metadata: ["socket": "\(listener.name)"])
                    try? setAccepting(false)
                    acceptRetryAt = clock.now + 100
                    return
                default:
                    logger.error("accept failed: \(ErrorText.describe(errno))")
                    return
                }
            }
            adopt(descriptor, listener: listener)
        }
    }

    /// Registers a freshly accepted socket and tries to read its first request at once.
    private func adopt(_ descriptor: Int32, listener: Listener) {
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
        let limit = configuration.limits.requestLine + configuration.limits.headerSection
        let connection = Connection(
            descriptor: descriptor, slot: slot, generation: generations[slot],
            role: listener.role, bufferLimit: limit)
        let token = Self.connectionBase + (UInt64(generations[slot]) << 32) + UInt64(slot)
        let interest = CLINUX_EPOLLIN | CLINUX_EPOLLOUT | CLINUX_EPOLLRDHUP | CLINUX_EPOLLET
        guard clinux_epoll_add(epoll, descriptor, interest, token) == 0 else {
            logger.error("epoll_ctl add failed: \(ErrorText.describe(errno))")
            close(descriptor)
            freeSlots.append(slot)
            return
        }
        connections[slot] = connection
        LoopStats.bump(stats.acceptedConnections)
        openCount += 1
        stats.openConnections.store(openCount, ordering: .relaxed)
        deadlines.schedule(slot, .header, at: clock.now + configuration.headerTimeout)
        drive(connection)
    }

    private func closeConnection(_ connection: Connection) {
        deadlines.cancel(connection.slot)
        connection.release()
        close(connection.descriptor)
        connections[connection.slot] = nil
        freeSlots.append(connection.slot)
        openCount -= 1
        stats.openConnections.store(openCount, ordering: .relaxed)
        if !accepting && !isDraining && acceptRetryAt == nil && openCount < capacity {
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
            guard result == 0 else {
                throw StartupError("epoll_ctl on listener: \(ErrorText.describe(errno))")
            }
        }
        accepting = on
    }

    private func resumeAcceptingIfDue() {
        guard let retry = acceptRetryAt, retry <= clock.now else { return }
        acceptRetryAt = nil
        if !isDraining && openCount < capacity { try? setAccepting(true) }
    }

    /// Handles expired deadlines: 408 for an unfinished head, a close otherwise.
    private func expireDeadlines() {
        while let (slot, kind) = deadlines.popExpired(now: clock.now) {
            guard let connection = connections[slot] else { continue }
            switch kind {
            case .header:
                LoopStats.bump(stats.headerTimeouts)
                if connection.phase == .reading {
                    sendTimeoutResponse(connection)
                }
                closeConnection(connection)
            case .idle:
                LoopStats.bump(stats.idleTimeouts)
                closeConnection(connection)
            case .send:
                LoopStats.bump(stats.sendTimeouts)
                closeConnection(connection)
            }
        }
    }

    /// A best-effort 408 (one nonblocking write; the connection closes either way).
    private func sendTimeoutResponse(_ connection: Connection) {
        var exchange = Exchange()
        exchange.closeAfter = true
        responder.error(
            .requestTimeout, request: nil, context(for: connection, keepAlive: false), &exchange)
        _ = exchange.transfer.send(to: .init(rawValue: connection.descriptor))
        exchange.finish()
    }

    /// SIGTERM or idle exit: stop accepting (new connections wait in the backlog), close
    /// keep-alive connections between requests, let the rest finish. A connection accepted but
    /// not yet answered is served, never dropped.
    private func beginDrain() {
        isDraining = true
        try? setAccepting(false)
        acceptRetryAt = nil
        control.listenersReleased.store(true, ordering: .releasing)
        for case let connection? in connections
        where connection.phase == .reading && connection.buffer.isEmpty && connection.served > 0 {
            closeConnection(connection)
        }
    }

    // MARK: - Called by connections

    private func context(for connection: Connection, keepAlive: Bool) -> Responder.Context {
        Responder.Context(
            seconds: clock.seconds, date: clock.date,
            keepAlive: keepAlive && !isDraining, version: .http11, sequence: sequence)
    }

    /// Answers a parsed request head.
    func respond(to head: RequestHead, on connection: Connection) {
        deadlines.cancel(connection.slot)
        var context = context(for: connection, keepAlive: head.keepAlive)
        context.version = head.version
        sequence &+= 1
        if configuration.accessLog { connection.exchange.startLog(head, connection.buffer.pending) }
        switch connection.role {
        case .files(let root):
            let (hits, misses) = (cache.hits, cache.misses)
            responder.respond(
                to: head, in: connection.buffer.pending, root: root, context: context,
                cache: &cache, exchange: &connection.exchange)
            if cache.hits != hits { LoopStats.bump(stats.cacheHits) }
            if cache.misses != misses { LoopStats.bump(stats.cacheMisses) }
        case .metrics:
            responder.metrics(
                MetricsPage.render(allStats), request: head, context,
                &connection.exchange)
        }
        stats.count(connection.exchange.status)
    }

    /// Answers a request that could not be parsed, and closes after.
    func respond(to error: ParseError, on connection: Connection) {
        deadlines.cancel(connection.slot)
        let status = Status(rawValue: error.status) ?? .badRequest
        if configuration.accessLog {
            connection.exchange.startLog(rejected: connection.buffer.pending)
        }
        connection.exchange.closeAfter = true
        responder.error(
            status, request: nil, context(for: connection, keepAlive: false), &connection.exchange)
        stats.count(status)
    }

    func recordSent(_ bytes: Int64, file: Int64) {
        if file != 0 { LoopStats.bump(stats.bytesSendfile, by: file) }
        if bytes != file { LoopStats.bump(stats.bytesCopied, by: bytes - file) }
    }

    /// Writes the access log line of a finished (or abandoned) response.
    func logAccess(_ connection: Connection, outcome: String) {
        guard configuration.accessLog, let line = connection.exchange.accessLine(outcome: outcome)
        else { return }
        logger.info("\(line)")
    }

    func recordTruncation(missing: Int64, connection: Connection) {
        LoopStats.bump(stats.truncations)
        logger.warning(
            "file shrank while being sent; connection closed",
            metadata: ["missing_bytes": "\(missing)"])
    }

}
