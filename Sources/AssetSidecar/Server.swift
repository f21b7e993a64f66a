import Atomics
import Glibc
import Logging

/// The running server: sockets, document roots and event loops, and the main thread's
/// lifecycle duties (readiness, status, signals, drain).
final class Server {
    private let configuration: Configuration
    private let logger: Logger
    private var listeners: [Listener] = []
    private var controls: [LoopControl] = []
    private var stats: [LoopStats] = []

    /// How often `STATUS=` is refreshed.
    private static let statusInterval: Int64 = 2000

    init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sets up sockets and roots, starts the loops and runs until a signal or idle exit ends
    /// the process. Returns the exit status.
    func run() throws -> Int32 {
        try SignalSet.blockLifecycleSignals()
        listeners = try makeListeners()
        let mime = try MIMETable(extra: [])
        let responder = Responder(
            dotfiles: configuration.dotfiles, mime: mime, maxRanges: configuration.maxRanges)
        let perLoop =
            (configuration.maxConnections + configuration.threads - 1) / configuration.threads
        for index in 0..<configuration.threads {
            let control = try LoopControl()
            let loopStats = LoopStats()
            var loopLogger = logger
            loopLogger[metadataKey: "loop"] = "\(index)"
            let loop = try EventLoop(
                configuration: configuration, listeners: listeners, responder: responder,
                control: control, stats: loopStats, capacity: perLoop, logger: loopLogger)
            controls.append(control)
            stats.append(loopStats)
            // The loop is handed to its thread and never touched by this one again.
            nonisolated(unsafe) let owned = loop
            try LoopThread.start { owned.run() }
        }
        while !controls.allSatisfy({ $0.started.load(ordering: .acquiring) }) {
            sched_yield()
        }
        Notifier.ready()
        logger.info(
            "serving",
            metadata: [
                "sockets": "\(listeners.map(\.name).joined(separator: ","))",
                "threads": "\(configuration.threads)",
            ])
        return superviseUntilStopped()
    }

    /// The main thread's loop: signals, `STATUS=`, and the drain on SIGTERM/SIGINT.
    private func superviseUntilStopped() -> Int32 {
        while true {
            switch SignalSet.wait(milliseconds: Self.statusInterval) {
            case SIGTERM, SIGINT:
                Notifier.stopping()
                logger.info("stopping: draining connections")
                return drain()
            case SIGHUP:
                Notifier.reloading(monotonicMicroseconds: Self.monotonicMicroseconds())
                logger.info("reloaded")
                Notifier.ready()
            default:
                Notifier.status(statusLine())
            }
        }
    }

    /// Tells every loop to drain and waits up to the drain timeout for them.
    private func drain() -> Int32 {
        for control in controls { control.drain() }
        let deadline = Self.monotonicMicroseconds() + UInt64(configuration.drainTimeout) * 1000
        while !controls.allSatisfy({ $0.finished.load(ordering: .acquiring) }) {
            if Self.monotonicMicroseconds() >= deadline {
                logger.warning("drain timeout reached; exiting with responses in flight")
                break
            }
            _ = SignalSet.wait(milliseconds: 10)
        }
        return 0
    }

    /// One line for `STATUS=`: connections, requests, bytes.
    func statusLine() -> String {
        let open = stats.reduce(0) { $0 + $1.openConnections.load(ordering: .relaxed) }
        let requests = stats.reduce(0) { $0 + $1.requests.load(ordering: .relaxed) }
        let bytes = stats.reduce(Int64(0)) { $0 + $1.bytesSent.load(ordering: .relaxed) }
        return "\(open) connections, \(requests) requests, \(bytes) bytes sent"
    }

    /// Inherited sockets (socket activation) or `--listen` ones, each mapped to its root.
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
            let root =
                try roots[path] ?? DocumentRoot(path: path, symlinks: configuration.symlinks)
            roots[path] = root
            return Listener(
                descriptor: socket.descriptor, name: socket.name ?? "listen", root: root)
        }
    }

    static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
