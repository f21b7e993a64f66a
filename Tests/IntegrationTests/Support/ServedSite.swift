import Glibc

/// The usual setup of one integration test: a ``TempSite`` served by its own sidecar under
/// `systemd-socket-activate -l SOCK --fdname=assets -E NOTIFY_SOCKET=… -- asset-sidecar
/// --root ROOT ARGUMENTS…` with no other environment. Holding the value keeps the site, the
/// notify sink and the process alive; dropping it kills the process and removes the files.
final class ServedSite {
    /// The document root.
    let site: TempSite
    /// Where the sidecar's `sd_notify` messages arrive.
    let notify: NotifySink
    /// The process (the activator until the first connection, then the sidecar itself).
    let sidecar: SidecarProcess

    /// Starts serving `site` (populate it first) with `arguments` after `--root ROOT`.
    init(_ site: TempSite, arguments: [String] = []) throws {
        self.site = site
        notify = try NotifySink()
        sidecar = try SidecarProcess(
            ["--root", site.root] + arguments, sockets: .activated(["assets"]), notify: notify)
    }

    /// The process ID (the sidecar's once a first connection has started it).
    var pid: pid_t { sidecar.pid }

    /// A new connection to the socket.
    func connect() throws -> UnixHTTPClient {
        try sidecar.connect()
    }

    /// Sends one request on a new connection and reads its response.
    func get(_ target: String, _ fields: [String] = [], method: String = "GET") throws
        -> HTTPResponse
    {
        try connect().get(target, fields, method: method)
    }

    /// Starts the sidecar (the activator execs it on the first connection) and waits for
    /// `READY=1`, so `/proc/PID` describes the sidecar and not the activator.
    func start() throws {
        _ = try get("/")
        try notify.waitFor("READY=1", timeout: .seconds(10))
    }
}
