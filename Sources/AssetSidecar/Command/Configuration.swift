import Files
import HTTP1
import Serve

/// The validated settings every part of the server reads: built once at startup from the
/// command line, then shared read-only by all event loops.
struct Configuration: Sendable {
    /// A `--listen [NAME=]PATH` request: a socket the server binds itself.
    struct ListenAddress: Sendable, Equatable {
        var name: String?
        var path: String
    }

    /// Document roots by socket name (`--site NAME=ROOT`).
    var sites: [String: String] = [:]
    /// The root for sockets no `--site` names (`--root`).
    var defaultRoot: String?
    /// Sockets to bind when not socket-activated.
    var listen: [ListenAddress] = []
    /// Permissions for sockets bound with `--listen`.
    var socketMode: UInt32?
    /// The number of event loops (threads).
    var threads = 1
    /// The listen backlog applied to every listening socket, inherited ones included.
    var backlog: Int32 = 4096
    /// The most connections open at once, over all loops.
    var maxConnections = 10_000
    /// How long a client may take to send a complete request head.
    var headerTimeout: Int64 = 10_000
    /// How long an idle keep-alive connection stays open.
    var idleTimeout: Int64 = 75_000
    /// How long a response may make no progress before the connection is dropped.
    var sendTimeout: Int64 = 60_000
    /// How long an unused request body may take to arrive and be dropped, and how long a
    /// connection lingers after its final answer (RFC 9112 §9.6).
    var discardTimeout: Int64 = 5_000
    /// The largest `Content-Length` body read and dropped to keep the connection open.
    var maxDiscardBody: Int64 = 1 << 20
    /// How long SIGTERM waits for in-flight responses.
    var drainTimeout: Int64 = 10_000
    /// The most bytes one connection sends per turn of its loop.
    var sendChunk: Int64 = 2 << 20
    /// Which symbolic links lookups follow.
    var symlinks: SymlinkPolicy = .beneath
    /// Request size limits.
    var limits = ParserLimits()
    /// How every site's files are served: dotfiles, MIME table (with `--mime-type`),
    /// Cache-Control rules, ranges, the open-file cache.
    var site = SiteSettings(
        dotfiles: .deny, mime: MIMETable(), maxRanges: 16,
        cacheControl: CacheControlRules(rules: []), openFileCache: 1024)
    /// Whether each request gets an access log line on stderr.
    var accessLog = false
    /// Exit after this long without connections (milliseconds), or never.
    var exitIdleAfter: Int64?

    /// The most bytes a lingering close drops before closing anyway: the discard limit, but
    /// never so little that the rest of a refused request head is cut off.
    var lingerBytes: Int64 { max(maxDiscardBody, 64 << 10) }

    /// The socket name that selects the metrics page (behaviour §7.2).
    static let metricsSocketName = "metrics"

    /// The document root for a socket called `name`, if any (behaviour §1.3: a `--site` for that
    /// name, else `--root`).
    func root(forSocketNamed name: String?) -> String? {
        if let name, let root = sites[name] { return root }
        return defaultRoot
    }

    /// The root of each socket, in order (nil for the metrics socket, which serves no files);
    /// throws for a socket no root covers.
    func roots(forSocketsNamed names: [String?]) throws -> [String?] {
        try names.map { name in
            if name == Self.metricsSocketName { return nil }
            guard let root = root(forSocketNamed: name) else {
                throw StartupError(
                    "socket '\(name ?? "unnamed")' maps to no document root "
                        + "(give --site \(name ?? "NAME")=ROOT or --root ROOT)")
            }
            return root
        }
    }
}
