import Atomics
import Files
import Glibc
import Logging
import Loop
import Serve

/// The composition root: sockets and roots, one HTTP handler per listener and loop (files or
/// metrics), the loops on their threads; then the main thread supervises until exit.
final class Server {
    private let configuration: Configuration
    private let logger: Logger
    /// What a hot upgrade executes (``ExecutablePath``); nil when argv[0] did not resolve.
    private let executable: String?

    init(configuration: Configuration, logger: Logger, executable: String?) {
        self.configuration = configuration
        self.logger = logger
        self.executable = executable
    }

    /// Sets up sockets and roots, starts the loops and runs until a signal or idle exit ends
    /// the process. Returns the exit status.
    func run() throws -> Int32 {
        try SignalSet.blockLifecycleSignals()
        let watchdog = Notifier.watchdogInterval()
        // Loops wake at least every quarter watchdog interval, so a stalled one is noticed.
        let heartbeat = watchdog.map { max(10, min(1000, Int64($0 / 4000))) } ?? 1000
        var bindings = try Sockets.open(configuration)
        let listeners = bindings.map(\.listener)
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
        // Each loop caches its share of --open-file-cache, so descriptors and memory stay
        // bounded by the configured total whatever the number of loops. Per-loop caches rather
        // than one shared: a hit takes no lock, and each loop reads its own inotify instance
        // before its own requests, so the freshness argument (FileResponder.attachment) needs no
        // cross-thread ordering. The price, measured: a file hot on every loop is open once per
        // loop (100 hot files: 100 descriptors with --threads 1, 200 with --threads 2).
        var site = configuration.site
        site.openFileCache = (site.openFileCache + threads - 1) / threads
        var revalidation: [String: Set<String>] = [:]
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
                            files(root, site, responseStats[index], &revalidation)
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
                    settings: settings, listeners: listeners, handlers: handlers,
                    control: control, stats: loopStats[index], logger: loopLogger)
            } catch let error as LoopSetupError {
                throw StartupError(error.description)
            }
            loops.append(loop)
            controls.append(control)
        }
        // Only sockets from systemd are handed over: `--listen` ones keep SIGHUP a cache drop.
        let activated = !bindings.isEmpty && bindings.allSatisfy(\.inherited)
        // The loops hold the roots from here on: each lets go of a root it switched away from.
        bindings.removeAll()
        // Every listener is in every loop's epoll set and listening: connections queue in the
        // backlog from here on, and none is answered before READY=1 has been sent. A process
        // started by a hot upgrade serves alongside the old one before it announces itself, so
        // that nothing waits in the backlog while the old one stops accepting.
        let handedOver = Handover.requested
        if !handedOver { Notifier.ready() }
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
        if handedOver { Handover.announce() }
        logger.info(
            "serving",
            metadata: [
                "sockets": "\(listeners.map(\.name).joined(separator: ","))",
                "threads": "\(threads)",
                "watchdog_usec": "\(watchdog.map(String.init) ?? "off")",
            ])
        for (root, modes) in revalidation.sorted(by: { $0.key < $1.key }) {
            logger.info(
                "open-file cache revalidation",
                metadata: ["root": "\(root)", "mode": "\(modes.sorted().joined(separator: "; "))"])
        }
        let supervisor = Supervisor(
            configuration: configuration, logger: logger, listeners: listeners,
            controls: controls, loopStats: loopStats, responseStats: responseStats,
            executable: activated ? executable : nil)
        return supervisor.run(watchdog: watchdog)
    }

    /// The responder of `root`'s files for one loop; notes how its cache revalidates
    /// ("events", or "per_request (REASON)"; loops may differ, e.g. past the inotify instance
    /// limit).
    private func files(
        _ root: DocumentRoot, _ site: SiteSettings, _ stats: ResponseStats,
        _ revalidation: inout [String: Set<String>]
    ) -> FileResponder {
        let responder = FileResponder(root: root, settings: site, stats: stats)
        let mode: String =
            switch responder.revalidation {
            case .events: "events"
            case .perRequest(let reason): "per_request (\(reason))"
            }
        revalidation[root.path, default: []].insert(mode)
        return responder
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
