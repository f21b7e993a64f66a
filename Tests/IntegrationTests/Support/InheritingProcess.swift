import Foundation
import Glibc

/// A program started on a ``ListeningSocket`` the way a service manager activates a service:
/// the socket as fd 3, `LISTEN_FDS=1`, `LISTEN_FDNAMES=NAME` and `LISTEN_PID` set to the
/// program's own PID (a `/bin/sh` that exports `$$` and execs the program in place). The test
/// keeps its copy of the socket, so a program that exits leaves queued connections for the next
/// one. Like ``ChildProcess``: its own process group, stdin from `/dev/null`, stdout and stderr
/// to files, default signal handling, no other descriptor of the test process; killed and
/// reaped when the value goes away.
final class InheritingProcess {
    /// The process ID (also its process group ID).
    let pid: pid_t
    private let output: TempDirectory
    private let exitDescriptor: Int32
    private var status: ExitStatus?

    /// Starts `arguments` (`arguments[0]` an absolute path) with `socket` as fd 3 named `name`,
    /// and the test process's environment changed by `environment` (nil removes a variable).
    init(
        _ arguments: [String], socket: ListeningSocket, name: String = "assets",
        environment: [String: String?] = [:]
    ) throws {
        precondition(!arguments.isEmpty, "InheritingProcess needs a program")
        output = try TempDirectory(prefix: "asset-sidecar-inherit")
        var variables = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_PID"] {
            variables[key] = nil
        }
        variables["LISTEN_FDS"] = "1"
        variables["LISTEN_FDNAMES"] = name
        for (key, value) in environment { variables[key] = value }
        let shell = ["/bin/sh", "-c", "export LISTEN_PID=$$; exec \"$0\" \"$@\""] + arguments
        pid = try Self.spawn(
            shell, socket: socket.descriptor,
            environment: variables.map { "\($0.key)=\($0.value)" },
            stdout: output.path("stdout"), stderr: output.path("stderr"))
        exitDescriptor = (try? LinuxCalls.pidfdOpen(pid)) ?? -1
    }

    deinit {
        stop()
        if exitDescriptor >= 0 { close(exitDescriptor) }
    }

    /// Everything it wrote to stderr so far.
    var standardError: String {
        (try? String(contentsOfFile: output.path("stderr"), encoding: .utf8)) ?? ""
    }

    /// How it ended, if it has; never blocks.
    func exitStatus() -> ExitStatus? {
        if status == nil {
            var word: Int32 = 0
            if waitpid(pid, &word, WNOHANG) == pid {
                status = ExitStatus(waitStatus: word)
            }
        }
        return status
    }

    /// Waits up to `timeout` for it to end.
    func waitForExit(timeout: Duration) throws -> ExitStatus {
        let deadline = Deadline(after: timeout)
        while true {
            if let status = exitStatus() { return status }
            guard !deadline.hasPassed else {
                throw SupportError.timedOut("activated process \(pid) did not exit")
            }
            if exitDescriptor >= 0 {
                _ = try PollWait.ready(exitDescriptor, for: POLLIN, until: deadline)
            } else {
                _ = poll(nil, 0, deadline.pollTimeout(cap: .milliseconds(10)))
            }
        }
    }

    /// Kills its process group with SIGKILL and reaps it, unless it has ended already.
    func stop() {
        guard exitStatus() == nil else { return }
        kill(-pid, SIGKILL)
        // Bounded: a process one of whose threads a test still traces cannot be reaped until
        // that thread is collected, and a blocking waitpid here would then never return.
        let deadline = Deadline(after: .seconds(10))
        while exitStatus() == nil && !deadline.hasPassed {
            _ = poll(nil, 0, deadline.pollTimeout(cap: .milliseconds(5)))
        }
    }

    private static func spawn(
        _ arguments: [String], socket: Int32, environment: [String], stdout: String,
        stderr: String
    ) throws -> pid_t {
        // dup2 onto fd 3 clears close-on-exec, unless the socket is fd 3 already.
        var source = socket
        var duplicate: Int32 = -1
        if source == 3 {
            duplicate = try SupportError.check(fcntl(socket, F_DUPFD_CLOEXEC, 4), "fcntl")
            source = duplicate
        }
        defer { if duplicate >= 0 { close(duplicate) } }

        return try Spawner.spawn(
            arguments, environment: environment, stdout: stdout, stderr: stderr,
            inherit: source)
    }
}
