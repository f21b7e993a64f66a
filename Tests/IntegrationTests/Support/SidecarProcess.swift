import Glibc

/// The asset-sidecar binary under test, as one process: socket-activated the way systemd
/// does it (`systemd-socket-activate -l SOCKET… [--fdname=…] -E … -- asset-sidecar ARGS`), or
/// listening by itself (`--listen`), or bare. Its sockets live in a temporary directory; it
/// is killed when the value goes away, whatever the test did.
final class SidecarProcess {
    /// How the process gets its listening sockets.
    enum Sockets: Sendable {
        /// One socket per entry, created by `systemd-socket-activate` and inherited as fd 3,
        /// 4, …; the names become `LISTEN_FDNAMES` (all `nil`: the variable stays unset).
        case activated([String?])
        /// One `--listen NAME=PATH` (or `--listen PATH` for `nil`) per entry.
        case listen([String?])
        /// No sockets at all (for startup errors).
        case none
    }

    /// The process ID. Under `systemd-socket-activate` it is the activator's until the first
    /// connection, then the sidecar's: the activator execs it in place.
    var pid: pid_t { process.pid }
    /// The listening sockets' paths, in the order given.
    let socketPaths: [String]
    /// The first listening socket's path.
    var socketPath: String { socketPaths[0] }

    private let process: ChildProcess
    private let directory: TempDirectory

    /// Starts the sidecar with `arguments` (e.g. `["--root", site.root]`) and returns once
    /// its sockets listen: the activator's (checked in `/proc/net/unix`, without connecting),
    /// or, with `.listen`, the sidecar's own (accepting).
    /// `notify` becomes `NOTIFY_SOCKET`; `environment` adds variables (`WATCHDOG_USEC`, …);
    /// `binary` defaults to `SidecarBinary.path()`.
    init(
        _ arguments: [String], sockets: Sockets = .activated(["assets"]),
        notify: NotifySink? = nil, environment: [String: String] = [:], binary: String? = nil
    ) throws {
        let binary = try binary ?? SidecarBinary.path()
        directory = try TempDirectory(prefix: "asset-sidecar-run")
        var variables = environment
        variables["NOTIFY_SOCKET"] = notify?.address
        let commandLine: [String]
        switch sockets {
        case .activated(let names):
            socketPaths = Self.paths(for: names, in: directory)
            let given = names.compactMap { $0 }
            precondition(given.isEmpty || given.count == names.count, "name all sockets or none")
            var activator = ["systemd-socket-activate"]
            for path in socketPaths {
                activator += ["-l", path]
            }
            if !given.isEmpty {
                activator.append("--fdname=" + given.joined(separator: ":"))
            }
            for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
                activator += ["-E", "\(name)=\(value)"]
            }
            commandLine = activator + ["--", binary] + arguments
            variables = [:]
        case .listen(let names):
            socketPaths = Self.paths(for: names, in: directory)
            var listen: [String] = []
            for (name, path) in zip(names, socketPaths) {
                listen += ["--listen", name.map { "\($0)=\(path)" } ?? path]
            }
            commandLine = [binary] + listen + arguments
        case .none:
            socketPaths = []
            commandLine = [binary] + arguments
        }
        // Nothing of the test runner's own service manager may leak into the process.
        var overrides: [String: String?] = [
            "LISTEN_FDS": nil, "LISTEN_PID": nil, "LISTEN_FDNAMES": nil,
            "NOTIFY_SOCKET": nil, "WATCHDOG_USEC": nil, "WATCHDOG_PID": nil,
        ]
        for (name, value) in variables { overrides[name] = value }
        process = try ChildProcess(commandLine, environment: overrides)

        let paths = socketPaths
        switch sockets {
        case .activated:
            try process.waitUntil("the activator listens", timeout: .seconds(10)) {
                paths.allSatisfy(UnixSocketTable.isListening)
            }
        case .listen:
            try process.waitUntil("listening sockets accept", timeout: .seconds(10)) {
                paths.allSatisfy(Self.accepts)
            }
        case .none:
            break
        }
    }

    /// Everything the sidecar (or the activator) wrote to stderr so far.
    var standardError: String { process.standardError }

    /// A new connection to socket `index`. Under socket activation the first connection is
    /// what starts the sidecar.
    func connect(socket index: Int = 0, timeout: Duration = .seconds(5)) throws -> UnixHTTPClient {
        try UnixHTTPClient(path: socketPaths[index], timeout: timeout)
    }

    /// Sends SIGTERM, as systemd does on stop.
    func terminate() {
        process.signal(SIGTERM)
    }

    /// Sends `signal` (SIGHUP, SIGINT, SIGSTOP, …).
    func signal(_ signal: Int32) {
        process.signal(signal)
    }

    /// Waits up to `timeout` for the process to end.
    func waitForExit(timeout: Duration = .seconds(15)) throws -> ExitStatus {
        try process.waitForExit(timeout: timeout)
    }

    /// How the process ended, if it has; never blocks.
    func exitStatus() -> ExitStatus? {
        process.exitStatus()
    }

    /// Kills the process now (SIGKILL) unless it has ended.
    func kill() {
        process.stop()
    }

    private static func paths(for names: [String?], in directory: TempDirectory) -> [String] {
        names.enumerated().map { directory.path("\($0.element ?? "socket")-\($0.offset).sock") }
    }

    private static func accepts(_ path: String) -> Bool {
        guard let fd = try? UnixAddress(path: path).connectStream(timeout: .zero) else {
            return false
        }
        close(fd)
        return true
    }
}
