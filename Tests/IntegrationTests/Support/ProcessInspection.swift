import Foundation
import Glibc

/// What `/proc` says about a running sidecar: its threads by name and their scheduler state,
/// its descriptors (count, targets, those held for clients), CPU time and resident size. Every
/// file is read with ``ProcFile``.
enum ProcessInspection {
    /// The thread ID of the thread of `pid` whose name (`/proc/PID/task/TID/comm`) is `name`,
    /// e.g. `loop-1`; nil when there is none.
    static func threadID(named name: String, in pid: pid_t) throws -> pid_t? {
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") {
            guard let tid = pid_t(entry),
                let comm = try? ProcFile.read("/proc/\(pid)/task/\(tid)/comm")
            else { continue }
            if comm.trimmingCharacters(in: .newlines) == name { return tid }
        }
        return nil
    }

    /// The thread ID of `pid`'s thread `name`, waiting (bounded) for it to appear: loops get
    /// their threads just after the sidecar reports ready.
    static func awaitThread(named name: String, in pid: pid_t) throws -> pid_t {
        var found: pid_t?
        try BoundedWait.until("thread \(name) in /proc/\(pid)/task") {
            found = try threadID(named: name, in: pid)
            return found != nil
        }
        return found!
    }

    /// The scheduler state letter of thread `tid` of `pid` (field 3 of its `stat`): `R`, `S`,
    /// `t` for a tracing stop, `Z`, …
    static func threadState(_ tid: pid_t, of pid: pid_t) throws -> Character {
        let stat = try ProcFile.read("/proc/\(pid)/task/\(tid)/stat")
        guard let close = stat.lastIndex(of: ")"),
            let state = stat[stat.index(after: close)...].first(where: { $0 != " " })
        else { throw SupportError.unavailable("unexpected /proc/\(pid)/task/\(tid)/stat: \(stat)") }
        return state
    }

    /// The number of descriptors `pid` has open (entries of `/proc/PID/fd`).
    static func descriptorCount(_ pid: pid_t) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
    }

    /// The resident set size of `pid` in bytes (`VmRSS` of `/proc/PID/status`).
    static func residentBytes(_ pid: pid_t) throws -> Int {
        for line in try ProcFile.read("/proc/\(pid)/status").split(separator: "\n")
        where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 3, let kilobytes = Int(fields[1]), fields[2] == "kB" {
                return kilobytes * 1024
            }
        }
        throw SupportError.unavailable("no VmRSS in /proc/\(pid)/status")
    }

    /// The real user ID of `pid` (first field of `Uid:` in `/proc/PID/status`).
    static func userID(_ pid: pid_t) throws -> uid_t {
        for line in try ProcFile.read("/proc/\(pid)/status").split(separator: "\n")
        where line.hasPrefix("Uid:") {
            if let field = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst()
                .first,
                let uid = uid_t(field)
            {
                return uid
            }
        }
        throw SupportError.unavailable("no Uid in /proc/\(pid)/status")
    }

    /// User plus system CPU time used by `pid` so far (`utime` + `stime`, fields 14 and 15 of
    /// `/proc/PID/stat`).
    static func cpuTime(_ pid: pid_t) throws -> Duration {
        let stat = try ProcFile.read("/proc/\(pid)/stat")
        guard let close = stat.lastIndex(of: ")") else {
            throw SupportError.unavailable("unexpected /proc/\(pid)/stat: \(stat)")
        }
        // After the parenthesised name: state is field 3, so utime is the 12th field here.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12])
        else { throw SupportError.unavailable("unexpected /proc/\(pid)/stat: \(stat)") }
        let ticksPerSecond = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return .milliseconds((user + system) * 1000 / ticksPerSecond)
    }

    /// How busy `pid` is while `duration` passes, for "does not spin" checks: the CPU time it
    /// uses (`utime` + `stime`), and the longest time any one of its threads is runnable —
    /// running or waiting for a CPU (`/proc/PID/task/TID/schedstat`). A spinning thread is
    /// runnable all the time even on a machine so loaded that it gets little CPU; a thread
    /// that blocks between events is runnable only briefly.
    static func activity(of pid: pid_t, during duration: Duration) throws
        -> (cpu: Duration, busiestThreadRunnable: Duration)
    {
        let cpuBefore = try cpuTime(pid)
        let before = try runnableTimes(pid)
        BoundedWait.pause(duration)
        let cpu = try cpuTime(pid) - cpuBefore
        let after = try runnableTimes(pid)
        let busiest =
            after.map { tid, nanoseconds in nanoseconds - (before[tid] ?? nanoseconds) }
            .max() ?? 0
        return (cpu, .nanoseconds(busiest))
    }

    /// Each thread's time on a CPU plus time waiting for one, in nanoseconds (the first two
    /// fields of its `schedstat`).
    private static func runnableTimes(_ pid: pid_t) throws -> [pid_t: Int64] {
        var times: [pid_t: Int64] = [:]
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") {
            guard let tid = pid_t(entry),
                let fields = try? ProcFile.read("/proc/\(pid)/task/\(tid)/schedstat").split(
                    separator: " "),
                fields.count >= 2, let running = Int64(fields[0]),
                let waiting = Int64(fields[1].trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            times[tid] = running + waiting
        }
        return times
    }

    /// What every epoll instance of `pid` watches: for each registered descriptor, the event
    /// mask it asked for (the `tfd:` lines of `/proc/PID/fdinfo/N`, whose `events:` field is
    /// hexadecimal).
    static func epollRegistrations(_ pid: pid_t) throws -> [(descriptor: Int32, events: UInt32)] {
        var registrations: [(descriptor: Int32, events: UInt32)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fdinfo") {
            guard let info = try? ProcFile.read("/proc/\(pid)/fdinfo/\(name)") else { continue }
            for line in info.split(separator: "\n") where line.hasPrefix("tfd:") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 4, fields[2] == "events:", let descriptor = Int32(fields[1]),
                    let events = UInt32(fields[3], radix: 16)
                else { throw SupportError.unavailable("unexpected fdinfo line: \(line)") }
                registrations.append((descriptor, events))
            }
        }
        return registrations
    }

    /// Each open descriptor of `pid` with what it refers to (`socket:[1234]`, a path, …).
    static func descriptors(_ pid: pid_t) throws -> [Int32: String] {
        var result: [Int32: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") {
            guard let fd = Int32(name),
                let target = try? FileManager.default.destinationOfSymbolicLink(
                    atPath: "/proc/\(pid)/fd/\(name)")
            else { continue }
            result[fd] = target
        }
        return result
    }

    /// What `pid` holds on behalf of clients: open files beneath `root` and connected Unix
    /// stream sockets (connections), described as `/proc/PID/fd` shows them. Descriptors the
    /// process holds for itself (listeners, epoll, eventfds, a short-lived `sd_notify`
    /// socket) are left out, so the list is stable between requests.
    static func clientResources(_ pid: pid_t, root: String) throws -> [String] {
        let connections = UnixSocketTable.connectedStreamInodes()
        return try descriptors(pid).sorted { $0.key < $1.key }.compactMap { fd, target in
            if target.hasPrefix(root + "/") { return "\(fd): \(target)" }
            if target.hasPrefix("socket:["), target.hasSuffix("]"),
                connections.contains(String(target.dropFirst(8).dropLast()))
            {
                return "\(fd): \(target)"
            }
            return nil
        }
    }
}
