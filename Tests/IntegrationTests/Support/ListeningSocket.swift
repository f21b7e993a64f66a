import Glibc

/// A listening `AF_UNIX` stream socket the test itself owns, as systemd owns the socket of a
/// `.socket` unit: sidecars started on it with ``InheritingProcess`` get a copy as fd 3, and
/// connections queue in its backlog while no sidecar is running.
final class ListeningSocket {
    /// The socket file's path.
    let path: String
    /// The test's own descriptor (close-on-exec, so no other child inherits it).
    let descriptor: Int32
    private let directory: TempDirectory

    /// Binds a fresh socket file in a temporary directory and listens with `backlog`.
    init(backlog: Int32 = 128) throws {
        directory = try TempDirectory(prefix: "asset-sidecar-listen")
        path = directory.path("assets.sock")
        let type = SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue
        descriptor = try SupportError.check(socket(AF_UNIX, Int32(type), 0), "socket")
        do {
            let fd = descriptor
            _ = try UnixAddress(path: path).withSockaddr {
                try SupportError.check(bind(fd, $0, $1), "bind \(path)")
            }
            try SupportError.check(listen(descriptor, backlog), "listen \(path)")
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit {
        close(descriptor)
    }

    /// A new connection (it waits in the backlog until some process accepts it).
    func connect(timeout: Duration = .seconds(5)) throws -> UnixHTTPClient {
        try UnixHTTPClient(path: path, timeout: timeout)
    }
}
