import CLinux
import CSystemd
import Glibc
import SystemPackage

/// The hot upgrade (behaviour §1.6, `systemctl reload`): the binary now at the executable's path
/// runs as a child of this process on the same listening sockets, handed over the way systemd
/// hands them (sd_listen_fds(3): descriptors from 3, `LISTEN_FDS`, `LISTEN_FDNAMES`, and
/// `LISTEN_PID` = the child's PID; `WATCHDOG_PID` names the child too), with the same
/// arguments. The child reports on a pipe once systemd knows it as the main process and it
/// serves (``announce()``); until then, and if it never does, this process keeps serving.
final class Handover {
    /// The variable that gives the new process the descriptor of the readiness pipe.
    static let variable = "ASSET_SIDECAR_HANDOVER_FD"
    /// How long the new process may take to report that it serves, in microseconds.
    static let startTimeout: UInt64 = 10_000_000
    /// The variables of this process's environment the child gets new values of.
    private static let replaced = [
        "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "WATCHDOG_PID", variable,
    ]

    /// Whether this process was started by a handover (and must ``announce()`` itself).
    static var requested: Bool { getenv(variable) != nil }

    /// Where the new process stands.
    enum Progress: Equatable {
        /// Started, not ready yet.
        case starting
        /// Ready and known to systemd as the main process: this process may drain now.
        case serving
        /// Gone or killed without being ready; why.
        case failed(String)
    }

    /// The new process.
    let pid: pid_t
    /// The read end of the readiness pipe (nonblocking).
    private let readiness: Int32
    /// When the new process has to be ready by (CLOCK_MONOTONIC, microseconds).
    private let deadline: UInt64
    private var done = false

    private init(pid: pid_t, readiness: Int32, deadline: UInt64) {
        self.pid = pid
        self.readiness = readiness
        self.deadline = deadline
    }

    deinit {
        close(readiness)
    }

    /// Starts `executable` with `arguments` (argv[0] first) on `sockets`, in this order.
    static func start(
        executable: String, arguments: [String], sockets: [(descriptor: Int32, name: String)],
        now: UInt64
    ) throws -> Handover {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw StartupError("pipe: \(Errno(rawValue: errno).description)")
        }
        let readEnd = ends[0]
        let writeEnd = ends[1]
        defer { close(writeEnd) }
        // Only this thread forks, so setting close-on-exec after pipe(2) is not racy.
        guard fcntl(readEnd, F_SETFD, FD_CLOEXEC) == 0, fcntl(writeEnd, F_SETFD, FD_CLOEXEC) == 0,
            fcntl(readEnd, F_SETFL, O_NONBLOCK) == 0
        else {
            let error = errno
            close(readEnd)
            throw StartupError("fcntl: \(Errno(rawValue: error).description)")
        }
        // The PID slots get the child's PID written after their '=' between fork and exec.
        let slot = String(repeating: "0", count: 20)
        var environment = currentEnvironment().filter { entry in
            !replaced.contains { entry.hasPrefix($0 + "=") }
        }
        environment.append("LISTEN_FDS=\(sockets.count)")
        environment.append("LISTEN_FDNAMES=\(sockets.map(\.name).joined(separator: ":"))")
        environment.append("\(variable)=\(3 + sockets.count)")
        var slots = ["LISTEN_PID=" + slot]
        if environment.contains(where: { $0.hasPrefix("WATCHDOG_USEC=") }) {
            slots.append("WATCHDOG_PID=" + slot)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = (environment + slots).map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        let slotPointers = Array(envp[environment.count..<(environment.count + slots.count)])
        let descriptors = sockets.map(\.descriptor)
        let pid = clinux_spawn_inheriting(
            executable, argv, envp, descriptors, Int32(descriptors.count), writeEnd,
            slotPointers, Int32(slotPointers.count))
        guard pid > 0 else {
            let error = errno
            close(readEnd)
            throw StartupError("fork: \(Errno(rawValue: error).description)")
        }
        return Handover(pid: pid, readiness: readEnd, deadline: now + startTimeout)
    }

    /// Looks at the pipe without waiting. A child that closed it without reporting, or is not
    /// ready by the deadline, is killed and reaped.
    func poll(now: UInt64) -> Progress {
        guard !done else { return .failed("already finished") }
        var byte: UInt8 = 0
        let count = read(readiness, &byte, 1)
        if count == 1 {
            done = true
            return .serving
        }
        if count < 0 && (errno == EAGAIN || errno == EINTR) {
            guard now >= deadline else { return .starting }
            return .failed("not ready within \(Self.startTimeout / 1_000_000) s; " + abandon())
        }
        return .failed(abandon())
    }

    /// Kills the child (if it still runs) and reaps it; describes how it ended.
    @discardableResult
    func abandon() -> String {
        done = true
        kill(pid, SIGKILL)
        var status: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(pid, &status, 0)
        } while result < 0 && errno == EINTR
        guard result == pid else { return "waitpid: \(Errno(rawValue: errno).description)" }
        let signal = status & 0x7f
        if signal == 0 {
            let code = (status >> 8) & 0xff
            return code == 127
                ? "exited with status 127 (the binary could not be executed)"
                : "exited with status \(code)"
        }
        return signal == SIGKILL ? "killed" : "killed by signal \(signal)"
    }

    /// In a process started by a handover: tells systemd its new main PID and `READY=1`,
    /// waits until systemd has taken that in (so the old process may exit without systemd
    /// taking its exit for the service's), then reports on the pipe. Returns false, having
    /// sent nothing, in a process started otherwise.
    @discardableResult
    static func announce() -> Bool {
        guard let value = getenv(variable), let descriptor = Int32(String(cString: value)),
            descriptor > 2
        else { return false }
        unsetenv(variable)
        // systemd takes MAINPID= in the reloading state too; READY=1 ends the reload that the
        // old process's RELOADING=1 began. The barrier returns once systemd has read both.
        Notifier.send([
            Notifier.Field(key: "MAINPID", value: "\(getpid())"),
            Notifier.Field(key: "READY", value: "1"),
        ])
        _ = sd_notify_barrier(0, 5_000_000)
        var byte: UInt8 = 1
        _ = write(descriptor, &byte, 1)
        close(descriptor)
        return true
    }

    private static func currentEnvironment() -> [String] {
        var entries: [String] = []
        guard let environment = clinux_environment() else { return entries }
        var index = 0
        while let entry = environment[index] {
            entries.append(String(cString: entry))
            index += 1
        }
        return entries
    }
}
