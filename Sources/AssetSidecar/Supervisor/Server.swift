import Atomics
import Glibc
import Logging
import Loop
import Serve

/// The composition root: sockets and roots, one HTTP handler per listener and loop (files or
/// metrics), the loops on their threads; then the main thread supervises until exit.
final class Server {
    private let configuration: Configuration
    private let logger: Logger

    init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sets up sockets and roots, starts the loops and runs until a signal or idle exit ends
    /// the process. Returns the exit status.
    func run() throws -> Int32 {
        try SignalSet.blockLifecycleSignals()
        let watchdog = Notifier.watchdogInterval()
        // Loops wake at least every quarter watchdog interval, so a stalled one is noticed.
        let heartbeat = watchdog.map { max(10, min(1000, Int64($0 / 4000))) } ?? 1000
        let bindings = try Sockets.open(configuration)
        let threads = configuration.threads
        let settings = LoopSettings(
            headerTimeout: configuration.headerTimeout, idleTimeout: configuration.idleTimeout,
            sendTimeout: configuration.sendTimeout, discardTimeout: configuration.discardTimeout,
            lingerBytes: configuration.lingerBytes, sendChunk: configuration.sendChunk,
            bufferLimit: configuration.limits.requestLine + configuration.limits.headerSection,
            capacity: (configuration.maxConnections + threads - 1) / threads,
            heartbeat: heartbeat)
        let loopStats = (0..<threads).map { _ in LoopStats() }
        let responseStats = (0..<threads).map { _ in ResponseStats() }
        // One histogram per listener per loop, written by that loop alone (behaviour §7.2).
        let durations = (0..<threads).map { _ in bindings.map { _ in RequestDurations() } }
        let sites = Self.sites(bindings.map(\.listener.name), durations)
        let accessLog = configuration.accessLog ? logger : nil
        var loops: [EventLoop] = []
        var controls: [LoopControl] = []
        for index in 0..<threads {
            let control: LoopControl
            let loop: EventLoop
            var loopLogger = logger
            loopLogger[metadataKey: "loop"] = "\(index)"
            do {
                let handlers = bindings.enumerated().map { position, binding in
                    let application: any Application =
                        if let root = binding.root {
                            FileResponder(
                                root: root, settings: configuration.site,
                                stats: responseStats[index])
                        } else {
                            MetricsResponder(
                                loops: loopStats, responses: responseStats, sites: sites,
                                health: LoopHealth(heartbeat: heartbeat))
                        }
                    return HTTPHandler(
                        limits: configuration.limits,
                        maxDiscardBody: configuration.maxDiscardBody, application: application,
                        stats: responseStats[index], accessLog: accessLog.map { _ in loopLogger },
                        durations: durations[index][position])
                }
                control = try LoopControl()
                loop = try EventLoop(
                    settings: settings, listeners: bindings.map(\.listener), handlers: handlers,
                    control: control, stats: loopStats[index], logger: loopLogger)
            } catch let error as LoopSetupError {
                throw StartupError(error.description)
            }
            loops.append(loop)
            controls.append(control)
        }
        // Every listener is in every loop's epoll set and listening: connections queue in the
        // backlog from here on, and none is answered before READY=1 has been sent.
        Notifier.ready()
        for (index, loop) in loops.enumerated() {
            // Each loop is handed to its thread and never touched by this one again.
            nonisolated(unsafe) let owned = loop
            do {
                try LoopThread.start(name: "loop-\(index)") { owned.run() }
            } catch let error as LoopSetupError {
                throw StartupError(error.description)
            }
        }
        loops.removeAll()
        logger.info(
            "serving",
            metadata: [
                "sockets": "\(bindings.map(\.listener.name).joined(separator: ","))",
                "threads": "\(threads)",
                "watchdog_usec": "\(watchdog.map(String.init) ?? "off")",
            ])
        let supervisor = Supervisor(
            configuration: configuration, logger: logger, listeners: bindings.map(\.listener),
            controls: controls, loopStats: loopStats, responseStats: responseStats)
        return supervisor.run(watchdog: watchdog)
    }

    /// The histograms by socket name (the `site` label), in first-seen order: listeners that
    /// share a name share a series.
    private static func sites(_ names: [String], _ durations: [[RequestDurations]])
        -> [MetricsPage.Site]
    {
        var sites: [MetricsPage.Site] = []
        for (position, name) in names.enumerated() {
            let loops = durations.map { $0[position] }
            if let index = sites.firstIndex(where: { $0.name == name }) {
                sites[index].durations += loops
            } else {
                sites.append(MetricsPage.Site(name: name, durations: loops))
            }
        }
        return sites
    }
}
