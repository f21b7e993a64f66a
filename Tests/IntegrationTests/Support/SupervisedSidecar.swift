import Glibc

/// A sidecar as a service manager sees it: socket-activated on a `TempSite`, optionally with a
/// second socket named `metrics`, its `sd_notify` messages going to a test-owned sink, and
/// whatever environment (`WATCHDOG_USEC`, …) and wrapper program (`prlimit`, `setpriv`) the
/// test asks for. Dropping the value kills the process and removes its sockets.
final class SupervisedSidecar {
    /// The document root.
    let site: TempSite
    /// Where `sd_notify` messages arrive.
    let notify: NotifySink
    /// The process: the activator until the first connection, then (same PID) the sidecar.
    let sidecar: SidecarProcess
    /// Whether socket 1 is the `metrics` socket.
    let hasMetrics: Bool
    /// Whether the process has `NOTIFY_SOCKET` (without it, it opens no notify socket, not
    /// even for a moment, so its descriptor count is exact).
    let notifies: Bool

    /// Starts `systemd-socket-activate -l assets.sock [-l metrics.sock] --fdname=… -E … --
    /// [WRAPPER…] asset-sidecar --root ROOT ARGUMENTS…`. `wrapper` is a command that execs its
    /// last arguments in place (`prlimit --nofile=N:N --`), so the sidecar keeps the PID the
    /// activator set in `LISTEN_PID`. `abstractNotify` binds the sink in the abstract namespace,
    /// which a sidecar running as another user can reach; `notifies: false` leaves
    /// `NOTIFY_SOCKET` unset; `binary` replaces `SidecarBinary.path()` (a path the hot-upgrade
    /// tests replace).
    init(
        _ site: TempSite, arguments: [String] = [], metrics: Bool = false,
        environment: [String: String] = [:], wrapper: [String] = [], abstractNotify: Bool = false,
        notifies: Bool = true, binary: String? = nil
    ) throws {
        self.site = site
        hasMetrics = metrics
        self.notifies = notifies
        notify = try NotifySink(abstract: abstractNotify)
        let binary = try binary ?? SidecarBinary.path()
        let command = wrapper + [binary, "--root", site.root] + arguments
        let names: [String?] = metrics ? ["assets", "metrics"] : ["assets"]
        sidecar = try SidecarProcess(
            Array(command.dropFirst()), sockets: .activated(names), notify: notifies ? notify : nil,
            environment: environment, binary: command[0])
    }

    /// The process ID (the sidecar's once the first connection has started it).
    var pid: pid_t { sidecar.pid }

    /// A new connection to the files socket.
    func connect() throws -> UnixHTTPClient {
        try sidecar.connect(socket: 0)
    }

    /// A new connection to the metrics socket.
    func connectMetrics() throws -> UnixHTTPClient {
        precondition(hasMetrics, "started without a metrics socket")
        return try sidecar.connect(socket: 1)
    }

    /// One request on a new connection to the files socket.
    func get(_ target: String, _ fields: [String] = [], method: String = "GET") throws
        -> HTTPResponse
    {
        try connect().get(target, fields, method: method)
    }

    /// One scrape of the metrics page on a new connection.
    func metrics() throws -> MetricsSample {
        let response = try connectMetrics().get("/metrics")
        guard response.status == 200 else {
            throw SupportError.unavailable("metrics page: status \(response.status)")
        }
        return try MetricsSample(text: response.text)
    }

    /// Starts the sidecar (the activator execs it on the first connection, here to the files
    /// socket, which is closed again once answered) and waits for `READY=1` (unless the
    /// process has no `NOTIFY_SOCKET`).
    func start() throws {
        do {
            let client = try connect()
            try client.send(UnixHTTPClient.request("HEAD", "/", ["Connection: close"]))
            _ = try client.readUntilClosed()
        }
        if notifies {
            try notify.waitFor("READY=1", timeout: .seconds(10))
        }
    }
}
