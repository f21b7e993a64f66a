import Atomics
import Glibc
import Logging
import Loop
import Serve

/// The main thread's duties once the loops run: `STATUS=`, watchdog pings from loop progress,
/// the idle exit, signals (SIGHUP reload, SIGTERM/SIGINT drain), and the drain itself.
struct Supervisor {
    let configuration: Configuration
    let logger: Logger
    let listeners: [Listener]
    let controls: [LoopControl]
    let loopStats: [LoopStats]
    let responseStats: [ResponseStats]

    /// How often `STATUS=` is refreshed.
    private static let statusInterval: UInt64 = 2_000_000
    /// How long a SIGHUP waits for the loops to drop their caches before `READY=1`.
    private static let reloadWait: UInt64 = 1_000_000

    /// Runs until a signal or the idle exit; returns the exit status.
    func run(watchdog: UInt64?) -> Int32 {
        let now = Clock.monotonicMicroseconds()
        var nextStatus = now
        var watchdogState = watchdog.map { WatchdogState(interval: $0 / 2, now: now) }
        var idleSince: UInt64? = nil
        var lastAccepted = 0
        while true {
            let now = Clock.monotonicMicroseconds()
            if now >= nextStatus {
                Notifier.status(statusLine())
                nextStatus = now + Self.statusInterval
            }
            if var state = watchdogState, now >= state.next {
                let turns = loopStats.map { $0.turns.load(ordering: .relaxed) }
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
                let open = loopStats.reduce(0) { $0 + $1.openConnections.load(ordering: .relaxed) }
                let accepted = loopStats.reduce(0) {
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
        Notifier.reloading(monotonicMicroseconds: Clock.monotonicMicroseconds())
        for control in controls { control.reload() }
        let deadline = Clock.monotonicMicroseconds() + Self.reloadWait
        while !controls.allSatisfy({
            $0.reloadDone.load(ordering: .acquiring) == $0.reloadRequested.load(ordering: .relaxed)
        }) && Clock.monotonicMicroseconds() < deadline {
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
        let deadline = Clock.monotonicMicroseconds() + UInt64(configuration.drainTimeout) * 1000
        var listenersClosed = false
        while !controls.allSatisfy({ $0.finished.load(ordering: .acquiring) }) {
            if !listenersClosed
                && controls.allSatisfy({ $0.listenersReleased.load(ordering: .acquiring) })
            {
                for listener in listeners { close(listener.descriptor) }
                listenersClosed = true
            }
            if Clock.monotonicMicroseconds() >= deadline {
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
        let open = loopStats.reduce(0) { $0 + $1.openConnections.load(ordering: .relaxed) }
        let requests = responseStats.reduce(0) { $0 + $1.requests }
        let bytes = loopStats.reduce(Int64(0)) { $0 + $1.bytesSent }
        return "\(open) connections, \(requests) requests, \(bytes) bytes sent"
    }
}
