import Files
import Loop

/// The listening sockets the server runs with, each with the document root it serves (nil for
/// the metrics socket): inherited from systemd, or bound for `--listen` (behaviour §1.2–1.4).
enum Sockets {
    /// One listener and what it serves.
    struct Binding {
        var listener: Listener
        /// The root served on this socket; nil for the metrics page.
        var root: DocumentRoot?
    }

    /// The inherited or `--listen` sockets of `configuration`, roots opened (one per path).
    static func open(_ configuration: Configuration) throws -> [Binding] {
        let inherited = try Activation.inheritedSockets()
        var sockets: [(descriptor: Int32, name: String?)] = []
        if !inherited.isEmpty {
            guard configuration.listen.isEmpty else {
                throw StartupError("--listen cannot be combined with socket activation")
            }
            for socket in inherited {
                try SocketSetup.adopt(socket.descriptor, backlog: configuration.backlog)
                sockets.append((socket.descriptor, socket.name))
            }
        } else {
            guard !configuration.listen.isEmpty else {
                throw StartupError("no socket: run under socket activation or give --listen PATH")
            }
            for address in configuration.listen {
                let descriptor = try SocketSetup.bind(
                    path: address.path, mode: configuration.socketMode,
                    backlog: configuration.backlog)
                sockets.append((descriptor, address.name))
            }
        }
        let paths = try configuration.roots(forSocketsNamed: sockets.map(\.name))
        var roots: [String: DocumentRoot] = [:]
        return try zip(sockets, paths).map { socket, path in
            let listener = Listener(descriptor: socket.descriptor, name: socket.name ?? "listen")
            guard let path else { return Binding(listener: listener, root: nil) }
            if let root = roots[path] { return Binding(listener: listener, root: root) }
            let root: DocumentRoot
            do {
                root = try DocumentRoot(path: path, symlinks: configuration.symlinks)
            } catch {
                throw StartupError("\(error)")
            }
            try SitePageCheck.verify(configuration.site, root: root)
            roots[path] = root
            return Binding(listener: listener, root: root)
        }
    }
}
