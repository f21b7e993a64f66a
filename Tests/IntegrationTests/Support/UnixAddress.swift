import Glibc

/// An `AF_UNIX` address: a filesystem path, or with a leading `@` an abstract name (the
/// `NOTIFY_SOCKET` and `systemd-socket-activate -l` convention).
struct UnixAddress: Sendable, CustomStringConvertible {
    /// The path, or `@name`.
    let path: String

    var description: String { path }

    /// Calls `body` with the `sockaddr_un` and its exact length.
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) throws -> R {
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw SupportError.unavailable("socket path longer than \(capacity - 1) bytes: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        // An abstract name is exactly its bytes; a path is NUL-terminated.
        let terminator = bytes.first == 0 ? 0 : 1
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + terminator
        return try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(length))
            }
        }
    }

    /// A connected, non-blocking stream socket. A full backlog (EAGAIN) is retried until
    /// `timeout`; any other failure throws at once.
    func connectStream(timeout: Duration) throws -> Int32 {
        let type = SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue
        let fd = try SupportError.check(socket(AF_UNIX, Int32(type), 0), "socket")
        let deadline = Deadline(after: timeout)
        do {
            while true {
                if try withSockaddr({ connect(fd, $0, $1) }) == 0 { return fd }
                guard errno == EAGAIN || errno == EINTR else {
                    throw SupportError.system("connect \(path)", errno: errno)
                }
                guard !deadline.hasPassed else {
                    throw SupportError.timedOut("connect \(path): backlog full")
                }
                _ = poll(nil, 0, deadline.pollTimeout(cap: .milliseconds(5)))
            }
        } catch {
            close(fd)
            throw error
        }
    }
}
