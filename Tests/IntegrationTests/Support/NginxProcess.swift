import Foundation
import Glibc

/// nginx under test, with its configuration, pid file, logs and temp files in a temporary
/// prefix directory; stopped by its PID (and killed when the value goes away).
final class NginxProcess {
    /// Where it listens: the loopback address, or nil when it listens on a Unix socket.
    let address: LoopbackAddress?
    /// The Unix socket it listens on, if it does.
    let socketPath: String?

    private let directory: TempDirectory
    private let process: ChildProcess

    /// Starts nginx (`$NGINX`, else /usr/sbin/nginx, else `nginx` from PATH) for `site` on a
    /// free 127.0.0.1 port, or on a Unix socket in its prefix directory when `unixSocket` is
    /// set; returns once it accepts connections.
    init(
        _ site: NginxConfig.Site, unixSocket: Bool = false, httpDirectives: String = "",
        locationDirectives: String = ""
    ) throws {
        directory = try TempDirectory(prefix: "asset-sidecar-nginx")
        socketPath = unixSocket ? directory.path("nginx.sock") : nil
        let prefix = directory.path
        let configuration = { (listen: NginxConfig.Listen) in
            NginxConfig(
                prefix: prefix, listen: listen, site: site,
                httpDirectives: httpDirectives, locationDirectives: locationDirectives)
        }
        (process, address) = try Self.start(in: directory, socketPath: socketPath, configuration)
    }

    /// nginx's process ID.
    var pid: pid_t { process.pid }

    /// The error log so far (nginx writes `info` and above).
    var errorLog: String { read("error.log") }

    /// The access log so far.
    var accessLog: String { read("access.log") }

    /// A new connection to nginx.
    func connect(timeout: Duration = .seconds(5)) throws -> UnixHTTPClient {
        if let address {
            return try UnixHTTPClient(loopback: address, timeout: timeout)
        }
        return try UnixHTTPClient(path: directory.path("nginx.sock"), timeout: timeout)
    }

    /// Stops nginx with SIGTERM (fast shutdown) and waits up to `timeout` for it to exit.
    @discardableResult
    func stop(timeout: Duration = .seconds(10)) throws -> ExitStatus {
        process.signal(SIGTERM)
        return try process.waitForExit(timeout: timeout)
    }

    private func read(_ name: String) -> String {
        (try? String(contentsOfFile: directory.path(name), encoding: .utf8)) ?? ""
    }

    /// Writes the configuration and starts nginx until it accepts. A port that was free a
    /// moment ago can be taken before nginx binds it, so a loopback start is tried three times.
    private static func start(
        in directory: TempDirectory, socketPath: String?,
        _ configuration: (NginxConfig.Listen) -> NginxConfig
    ) throws -> (ChildProcess, LoopbackAddress?) {
        let environment = ProcessInfo.processInfo.environment
        let executable =
            environment["NGINX"]
            ?? (access("/usr/sbin/nginx", X_OK) == 0 ? "/usr/sbin/nginx" : "nginx")
        var attempt = 1
        while true {
            let address = socketPath == nil ? try LoopbackAddress.unusedPort() : nil
            let listen = address.map { NginxConfig.Listen.loopback($0) } ?? .unix(socketPath!)
            try configuration(listen).text.write(
                toFile: directory.path("nginx.conf"), atomically: true, encoding: .utf8)
            let process = try ChildProcess([
                executable, "-p", directory.path + "/", "-e", directory.path("error.log"),
                "-c", directory.path("nginx.conf"),
            ])
            do {
                try process.waitUntil("nginx accepts connections", timeout: .seconds(10)) {
                    accepts(address: address, socketPath: socketPath)
                }
                return (process, address)
            } catch {
                guard attempt < 3, address != nil, process.exitStatus() != nil else { throw error }
                attempt += 1
            }
        }
    }

    private static func accepts(address: LoopbackAddress?, socketPath: String?) -> Bool {
        let fd =
            if let address {
                try? address.connectStream(timeout: .milliseconds(100))
            } else {
                try? UnixAddress(path: socketPath!).connectStream(timeout: .zero)
            }
        guard let fd else { return false }
        close(fd)
        return true
    }
}
