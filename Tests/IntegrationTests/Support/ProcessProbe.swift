import Foundation
import Glibc

/// What `/proc` says about a running process: its open descriptors and the CPU time it used.
enum ProcessProbe {
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

    /// User plus system CPU time used by `pid` so far (`utime` + `stime` of `/proc/PID/stat`,
    /// in clock ticks).
    static func cpuTime(_ pid: pid_t) throws -> Duration {
        let stat = try ProcFile.read("/proc/\(pid)/stat")
        // Fields after the command name, which is in parentheses and may contain spaces:
        // state is field 3, utime field 14, stime field 15.
        guard let close = stat.lastIndex(of: ")") else {
            throw SupportError.unavailable("unexpected /proc/\(pid)/stat: \(stat)")
        }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12])
        else { throw SupportError.unavailable("unexpected /proc/\(pid)/stat: \(stat)") }
        let ticksPerSecond = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return .milliseconds((user + system) * 1000 / ticksPerSecond)
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
