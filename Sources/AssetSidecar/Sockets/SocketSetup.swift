import CLinux
import Glibc
import SystemPackage

/// Prepares listening sockets: adopts inherited ones and binds `--listen` paths (behaviour §1.2–1.4).
enum SocketSetup {
    /// Makes an inherited listener nonblocking and close-on-exec and applies `backlog`
    /// (systemd's `Backlog=` may be lower; the behaviour contract asks for the configured one).
    static func adopt(_ descriptor: Int32, backlog: Int32) throws {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0,
            fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0
        else {
            throw StartupError("descriptor \(descriptor): \(Errno(rawValue: errno).description)")
        }
        guard listen(descriptor, backlog) == 0 else {
            throw StartupError(
                "listen on descriptor \(descriptor): \(Errno(rawValue: errno).description)")
        }
    }

    /// Binds and listens on `path`, replacing a stale socket file only when nothing accepts
    /// connections on it.
    static func bind(path: String, mode: UInt32?, backlog: Int32) throws -> Int32 {
        guard var address = UnixAddress(path: path) else {
            throw StartupError("--listen \(path): path too long for a Unix socket")
        }
        try removeStale(path: path, address: &address)
        let descriptor = socket(
            AF_UNIX, CLINUX_SOCK_STREAM | CLINUX_SOCK_NONBLOCK | CLINUX_SOCK_CLOEXEC, 0)
        guard descriptor >= 0 else {
            throw StartupError("socket: \(Errno(rawValue: errno).description)")
        }
        let bound = address.withSockaddr { Glibc.bind(descriptor, $0, $1) }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            throw StartupError("bind \(path): \(Errno(rawValue: code).description)")
        }
        if let mode, chmod(path, mode_t(mode)) != 0 {
            let code = errno
            close(descriptor)
            throw StartupError("chmod \(path): \(Errno(rawValue: code).description)")
        }
        guard listen(descriptor, backlog) == 0 else {
            let code = errno
            close(descriptor)
            throw StartupError("listen \(path): \(Errno(rawValue: code).description)")
        }
        return descriptor
    }

    /// Unlinks `path` if it is a socket file nobody listens on; refuses a live socket or any
    /// other kind of file.
    private static func removeStale(path: String, address: inout UnixAddress) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw StartupError("--listen \(path): exists and is not a socket")
        }
        let probe = socket(AF_UNIX, CLINUX_SOCK_STREAM | CLINUX_SOCK_CLOEXEC, 0)
        guard probe >= 0 else {
            throw StartupError("socket: \(Errno(rawValue: errno).description)")
        }
        defer { close(probe) }
        let connected = address.withSockaddr { connect(probe, $0, $1) }
        if connected == 0 {
            throw StartupError("--listen \(path): another process is listening on it")
        }
        guard errno == ECONNREFUSED else {
            throw StartupError("--listen \(path): \(Errno(rawValue: errno).description)")
        }
        guard unlink(path) == 0 else {
            throw StartupError(
                "--listen \(path): cannot remove stale socket: "
                    + Errno(rawValue: errno).description)
        }
    }
}
