import Foundation
import Glibc

/// A program started with `posix_spawn` in a process group of its own, with stdin from
/// `/dev/null`, stdout and stderr captured to files, default signal handling, and no
/// descriptor of the test process. Whatever still runs of it when the value goes away is
/// killed and reaped.
final class ChildProcess {
    /// The process ID (also its process group ID).
    let pid: pid_t
    /// The command line it was started with.
    let arguments: [String]

    private let output: TempDirectory
    private let exitDescriptor: Int32
    private var status: ExitStatus?

    /// Starts `arguments[0]` (looked up in `PATH`) with the test process's environment,
    /// changed by `environment`: a value replaces a variable, `nil` removes it.
    init(_ arguments: [String], environment: [String: String?] = [:]) throws {
        precondition(!arguments.isEmpty, "ChildProcess needs a program")
        self.arguments = arguments
        output = try TempDirectory(prefix: "asset-sidecar-child")
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment {
            variables[name] = value
        }
        pid = try Spawner.spawn(
            arguments, environment: variables.map { "\($0.key)=\($0.value)" },
            stdout: output.path("stdout"), stderr: output.path("stderr"))
        exitDescriptor = (try? LinuxCalls.pidfdOpen(pid)) ?? -1
    }

    deinit {
        stop()
        if exitDescriptor >= 0 { close(exitDescriptor) }
    }

    /// Everything it wrote to stdout so far.
    var standardOutput: [UInt8] {
        (try? Array(Data(contentsOf: URL(fileURLWithPath: output.path("stdout"))))) ?? []
    }

    /// Everything it wrote to stderr so far, as text.
    var standardError: String {
        (try? String(contentsOfFile: output.path("stderr"), encoding: .utf8)) ?? ""
    }

    /// Sends `signal` to the process (not to its group).
    func signal(_ signal: Int32) {
        if status == nil { kill(pid, signal) }
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
                throw SupportError.timedOut("\(arguments[0]) (pid \(pid)) did not exit")
            }
            try waitForExitEvent(until: deadline)
        }
    }

    /// Waits up to `timeout` until `condition` holds, re-checking it every few milliseconds;
    /// fails at once, with its stderr, if the process ends first.
    func waitUntil(_ what: String, timeout: Duration, _ condition: () throws -> Bool) throws {
        let deadline = Deadline(after: timeout)
        while try !condition() {
            if let status = exitStatus() {
                throw SupportError.unavailable(
                    "\(arguments[0]) ended (\(status)) before \(what); stderr:\n\(standardError)")
            }
            guard !deadline.hasPassed else {
                throw SupportError.timedOut("\(what) (\(arguments[0]), pid \(pid))")
            }
            try waitForExitEvent(until: Deadline(after: .milliseconds(5)))
        }
    }

    /// Kills its whole process group with SIGKILL and reaps it, unless it has ended already.
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

    /// Blocks until the process exits or `deadline` passes (polls the pidfd; without one,
    /// re-checks every 10 ms).
    private func waitForExitEvent(until deadline: Deadline) throws {
        if exitDescriptor >= 0 {
            _ = try PollWait.ready(exitDescriptor, for: POLLIN, until: deadline)
        } else {
            _ = poll(nil, 0, deadline.pollTimeout(cap: .milliseconds(10)))
        }
    }
}
