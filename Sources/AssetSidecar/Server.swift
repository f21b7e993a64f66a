import Atomics
import Glibc
import Logging

/// The running server: sockets, document roots and event loops, and the main thread's
/// lifecycle duties (readiness, status, watchdog, signals, reload, idle exit, drain).
final class Server {
    private let configuration: Configuration
    private let logger: Logger
    private var listeners: [Listener] = []
    private var controls: [LoopControl] = []
    private var stats: [LoopStats] = []

    /// How often `STATUS=` is refreshed.
    private static let statusInterval: UInt64 = 2_000_000
    /// How long a SIGHUP waits for the loops to drop their caches before `READY=1`.
    private static let reloadWait: UInt64 = 1_000_000

    init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sets up sockets and roots, starts the loops and runs until a signal or idle exit ends
    /// the process. Returns the exit status.
    func run() throws -> Int32 {
        try SignalSet.blockLifecycleSignals()
        let watchdog = Notifier.watchdogInterval()
        let heartbeat = watchdog.map { max(10, min(1000, Int64($0 / 4000))) } ?? 1000
        let mime: MIMETable
        do {
            mime = try MIMETable(extra: configuration.mimeTypes)
        } catch {
            throw StartupError("--mime-type: \(error)")
        }
        let responder = Responder(
            dotfiles: configuration.dotfiles, mime: mime, maxRanges: configuration.maxRanges,
            cachePolicy: try CachePolicy(rules: configuration.cacheControl))
        listeners = try makeListeners()
        let threads = configuration.threads
        let perLoop = (configuration.maxConnections + threads - 1) / threads
        stats = (0..<threads).map { _ in LoopStats() }
        var loops: [EventLoop] = []
        for index in 0..<threads {
            let control = try LoopControl()
            var loopLogger = logger
            loopLogger[metadataKey: "loop"] = "\(index)"
            loops.append(
                try EventLoop(
                    configuration: configuration, listeners: listeners, responder: responder,
                    control: control, stats: stats[index], allStats: stats, capacity: perLoop,
                    heartbeat: heartbeat, logger: loopLogger))
            controls.append(control)
        }
        // Every listener is in every loop's epoll set and listening: connections queue in the
        // backlog from here on, and none is answered before READY=1 has been sent.
        Notifier.ready()
        for (index, loop) in loops.enumerated() {
            // Each loop is handed to its thread and never touched by this one again.
            nonisolated(unsafe) let owned = loop
            try LoopThread.start(name: "loop-\(index)") { owned.run() }
        }
        loops.removeAll()
        logger.info(
            "serving",
            metadata: [
                "sockets": "\(listeners.map(\.name).joined(separator: ","))",
                "threads": "\(threads)",
                "watchdog_usec": "\(watchdog.map(String.init) ?? "off")",
            ])
        return supervise(watchdog: watchdog)
    }

    /// The main thread's loop: signals, `STATUS=`, watchdog pings and the idle exit.
    private func supervise(watchdog: UInt64?) -> Int32 {
        let now = Self.monotonicMicroseconds()
        var nextStatus = now
        var watchdogState = watchdog.map { WatchdogState(interval: $0 / 2, now: now) }
        var idleSince: UInt64? = nil
        var lastAccepted = 0
        while true {
            let now = Self.monotonicMicroseconds()
            if now >= nextStatus {
                Notifier.status(statusLine())
                nextStatus = now + Self.statusInterval
            }
            if var state = watchdogState, now >= state.next {
                let turns = stats.map { $0.turns.load(ordering: .relaxed) }
                if state.allAdvanced(turns) {
                    Notifier.watchdog()
                } else {
                    logger.error("an event loop made no progress: withholding WATCHDOG=1")
                }
                state.record(turns, now: now)
                watchdogState = state
            }
            if let limit = configuration.exitIdleAfter {
                // Idle means no connection open now and none accepted since the last look: a
                // stream of short connections is activity even if none is open at the instant.
                let open = stats.reduce(0) { $0 + $1.openConnections.load(ordering: .relaxed) }
                let accepted = stats.reduce(0) {
                    $0 + $1.acceptedConnections.load(ordering: .relaxed)
                }
                defer { lastAccepted = accepted }
                if open > 0 || accepted != lastAccepted {
                    idleSince = nil
                } else if let since = idleSince {
                    if now - since >= UInt64(limit) * 1000 {
                        Notifier.stopping()
                        logger.info("idle: exiting; the next connection activates a new process")
                        return drain()
                    }
                } else {
                    idleSince = now
                }
            }
            var wait = nextStatus - min(nextStatus, now)
            if let state = watchdogState { wait = min(wait, state.next - min(state.next, now)) }
            if configuration.exitIdleAfter != nil { wait = min(wait, 100_000) }
            switch SignalSet.wait(microseconds: max(wait, 1000)) {
            case SIGTERM, SIGINT:
                Notifier.stopping()
                logger.info("stopping: draining connections")
                return drain()
            case SIGHUP:
                reload()
            default:
                break
            }
        }
    }

    /// SIGHUP: `RELOADING=1`, every loop drops its file cache, then `READY=1`. Logs go to
    /// stderr (the journal), so there is no file to reopen.
    private func reload() {
        Notifier.reloading(monotonicMicroseconds: Self.monotonicMicroseconds())
        for control in controls { control.reload() }
        let deadline = Self.monotonicMicroseconds() + Self.reloadWait
        while !controls.allSatisfy({
            $0.reloadDone.load(ordering: .acquiring) == $0.reloadRequested.load(ordering: .relaxed)
        }) && Self.monotonicMicroseconds() < deadline {
            _ = SignalSet.wait(microseconds: 1000)
        }
        logger.info("reloaded: file caches dropped")
        Notifier.ready()
    }

    /// Stops accepting, closes this process's copies of the listening sockets once no loop
    /// polls them (connections still queued stay with systemd's copy for the next activation),
    /// and waits up to the drain timeout for in-flight responses.
    private func drain() -> Int32 {
        for control in controls { control.drain() }
        let deadline = Self.monotonicMicroseconds() + UInt64(configuration.drainTimeout) * 1000
        var listenersClosed = false
        while !controls.allSatisfy({ $0.finished.load(ordering: .acquiring) }) {
            if !listenersClosed
                && controls.allSatisfy({ $0.listenersReleased.load(ordering: .acquiring) })
            {
                for listener in listeners { close(listener.descriptor) }
                listenersClosed = true
            }
            if Self.monotonicMicroseconds() >= deadline {
                logger.warning("drain timeout reached; exiting with responses in flight")
                break
            }
            _ = SignalSet.wait(microseconds: 5000)
        }
        if !listenersClosed {
            for listener in listeners { close(listener.descriptor) }
        }
        return 0
    }

    /// One line for `STATUS=`: connections, requests, bytes.
    func statusLine() -> String {
        let open = stats.reduce(0) { $0 + $1.openConnections.load(ordering: .relaxed) }
        let requests = stats.reduce(0) { $0 + $1.requests }
        let bytes = stats.reduce(Int64(0)) { $0 + $1.bytesSent }
        return "\(open) connections, \(requests) requests, \(bytes) bytes sent"
    }

    /// Inherited sockets (socket activation) or `--listen` ones, each mapped to its role.
    private func makeListeners() throws -> [Listener] {
        let inherited = try Activation.inheritedSockets()
        var sockets: [(descriptor: Int32, name: String?)] = []
        if !inherited.isEmpty {
            guard configuration.listen.isEmpty else {
                throw StartupError("--listen cannot be combined with socket activation")
            }
            for socket in inherited {
                try SocketSetup.adopt(socket.descriptor, backlog: configuration.backlog)
                sockets.append((socket.descriptor, socket.name))
            }
        } else {
            guard !configuration.listen.isEmpty else {
                throw StartupError("no socket: run under socket activation or give --listen PATH")
            }
            for address in configuration.listen {
                let descriptor = try SocketSetup.bind(
                    path: address.path, mode: configuration.socketMode,
                    backlog: configuration.backlog)
                sockets.append((descriptor, address.name))
            }
        }
        let paths = try configuration.roots(forSocketsNamed: sockets.map(\.name))
        var roots: [String: DocumentRoot] = [:]
        return try zip(sockets, paths).map { socket, path in
            let name = socket.name ?? "listen"
            guard let path else {
                return Listener(descriptor: socket.descriptor, name: name, role: .metrics)
            }
            let root =
                try roots[path] ?? DocumentRoot(path: path, symlinks: configuration.symlinks)
            roots[path] = root
            return Listener(descriptor: socket.descriptor, name: name, role: .files(root))
        }
    }

    static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
