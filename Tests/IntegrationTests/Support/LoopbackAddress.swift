import Glibc

/// A TCP port on 127.0.0.1, where the nginx under test listens (tests open no other IP socket).
struct LoopbackAddress: Sendable, CustomStringConvertible {
    /// The port number.
    let port: Int

    var description: String { "127.0.0.1:\(port)" }

    /// A port the kernel just handed out for 127.0.0.1 and that was free a moment ago.
    static func unusedPort() throws -> LoopbackAddress {
        let fd = try SupportError.check(
            socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0), "socket")
        defer { close(fd) }
        var address = Self.loopback(port: 0)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                try SupportError.check(bind(fd, $0, length), "bind 127.0.0.1:0")
                try SupportError.check(getsockname(fd, $0, &length), "getsockname")
            }
        }
        return LoopbackAddress(port: Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A connected, non-blocking stream socket, or an error (ECONNREFUSED while nothing
    /// listens); a connection on the loopback interface completes within `timeout` or fails.
    func connectStream(timeout: Duration) throws -> Int32 {
        let type = SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue
        let fd = try SupportError.check(socket(AF_INET, Int32(type), 0), "socket")
        do {
            var address = Self.loopback(port: port)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result == -1 {
                guard errno == EINPROGRESS else {
                    throw SupportError.system("connect \(self)", errno: errno)
                }
                guard try PollWait.ready(fd, for: POLLOUT, until: Deadline(after: timeout)) != nil
                else { throw SupportError.timedOut("connect \(self)") }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                guard error == 0 else { throw SupportError.system("connect \(self)", errno: error) }
            }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }
}
