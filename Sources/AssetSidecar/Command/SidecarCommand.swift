import ArgumentParser
import Files
import HTTP1
import Serve

/// The command line of `asset-sidecar` (swift-argument-parser), turned into a ``Configuration``.
struct SidecarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asset-sidecar",
        abstract: "Serve static files over Unix domain sockets, socket-activated by systemd.",
        discussion: """
            Serves GET and HEAD, byte ranges and conditional requests for files under a document \
            root, with zero-copy sendfile(2). Sockets come from systemd socket activation \
            (LISTEN_FDS) or from --listen. Startup errors exit with status 78.

            Examples:
              systemd-socket-activate -l /run/assets.sock --fdname=assets -- \\
                  asset-sidecar --root /srv/assets
              asset-sidecar --listen /run/assets.sock --socket-mode 0660 --root /srv/assets
              asset-sidecar --site assets=/srv/assets --site docs=/srv/docs   # two named sockets
              curl --unix-socket /run/assets.sock -r 0-99 http://localhost/app.js
            """,
        version: sidecarVersion
    )

    @Option(help: "Document root for every socket not named by --site. Example: --root /srv/assets")
    var root: String?

    @Option(
        name: .customLong("site"),
        help: ArgumentHelp(
            "Document root for the socket whose FileDescriptorName= (or --listen NAME=) is NAME.",
            discussion: "Repeatable. Example: --site assets=/srv/assets",
            valueName: "NAME=ROOT"))
    var sites: [String] = []

    @Option(
        help: ArgumentHelp(
            "Bind and listen on this Unix socket path when not socket-activated.",
            discussion: "Repeatable; NAME= selects a --site. Example: --listen /run/a.sock",
            valueName: "[NAME=]PATH"))
    var listen: [String] = []

    @Option(help: "Octal permissions for --listen sockets. Example: --socket-mode 0660")
    var socketMode: String?

    @Option(help: "Event loop threads (default: one per CPU). Example: --threads 2")
    var threads: Int?

    @Option(help: "Listen backlog, also applied to inherited sockets. Example: --backlog 4096")
    var backlog: Int32 = 4096

    @Option(help: "Most open connections; beyond it new ones wait in the backlog. Example: 10000")
    var maxConnections: Int = 10_000

    @Option(help: "Time allowed for a complete request head (408, then close). Example: 10s")
    var headerTimeout = DurationArgument(milliseconds: 10_000)

    @Option(help: "Idle keep-alive timeout, above nginx's keepalive_timeout. Example: 75s")
    var idleTimeout = DurationArgument(milliseconds: 75_000)

    @Option(help: "Close a response that makes no progress for this long. Example: 60s")
    var sendTimeout = DurationArgument(milliseconds: 60_000)

    @Option(help: "Largest unused request body read and dropped to keep the connection. Ex.: 1m")
    var maxDiscardBody = ByteCountArgument(bytes: 1 << 20)

    @Option(help: "Time to drop an unused body, or linger after a final answer. Example: 5s")
    var discardTimeout = DurationArgument(milliseconds: 5_000)

    @Option(help: "On SIGTERM, wait this long for in-flight responses. Example: 10s")
    var drainTimeout = DurationArgument(milliseconds: 10_000)

    @Option(help: "Exit after this long with no connection (activation restarts it). Ex.: 10min")
    var exitIdleAfter: DurationArgument?

    @Option(help: "Most bytes one connection sends per loop turn (sendfile_max_chunk). Ex.: 2m")
    var sendChunk = ByteCountArgument(bytes: 2 << 20)

    @Option(help: "'beneath' follows links staying in the root; 'deny' none. Ex.: --symlinks deny")
    var symlinks: SymlinkPolicy = .beneath

    @Option(help: "'deny': 404 for dot-segments but /.well-known/. Ex.: --dotfiles allow")
    var dotfiles: DotfilePolicy = .deny

    @Option(help: "Longest request line (414 beyond). Example: 8k")
    var maxRequestLine = ByteCountArgument(bytes: 8 << 10)

    @Option(help: "Largest header section (431 beyond). Example: 16k")
    var maxHeaderBytes = ByteCountArgument(bytes: 16 << 10)

    @Option(help: "Most header fields (431 beyond). Example: 100")
    var maxHeaderFields: Int = 100

    @Option(help: "Open files cached per loop, revalidated per request (0: off). Example: 1024")
    var openFileCache: Int = 1024

    @Option(help: "Most ranges in one request; more get the whole file (200). Example: 16")
    var maxRanges: Int = 16

    @Option(
        name: .customLong("mime-type"),
        help: ArgumentHelp(
            "Content type for an extension, over the built-in table. Example: --mime-type md=text/markdown",
            valueName: "EXT=TYPE"))
    var mimeTypes: [String] = []

    @Option(
        name: .customLong("cache-control"),
        help: ArgumentHelp(
            "Cache-Control for paths matching a glob; first match wins.",
            discussion:
                "Example: --cache-control '*.html=no-cache' --cache-control '/static/**=public, max-age=3600'",
            valueName: "PATTERN=VALUE"))
    var cacheControl: [String] = []

    @Option(
        name: .customLong("header"),
        help: ArgumentHelp(
            "A field for 200, 206 and 304 responses of paths matching a glob (never errors).",
            discussion: """
                Repeatable; the same globs as --cache-control, and the first pattern that \
                matches adds every --header given with that pattern. Fields the server writes \
                itself are refused. Examples: --header '*.woff2=Access-Control-Allow-Origin: *' \
                --header '*.html=X-Content-Type-Options: nosniff' \
                --header '*.html=Referrer-Policy: same-origin' \
                --header '/index.html=Link: </app.css>; rel=preload; as=style'
                """,
            valueName: "PATTERN=NAME: VALUE"))
    var headers: [String] = []

    @Option(
        help: ArgumentHelp(
            "Answer GET/HEAD for a missing extensionless path with this file, status 200.",
            discussion:
                "For single-page apps; its Cache-Control is no-cache unless a rule matches it. Example: --fallback /index.html",
            valueName: "PATH"))
    var fallback: String?

    @Option(
        help:
            "'none': only paths without an extension fall back; 'any': every missing path. Ex.: any"
    )
    var fallbackExtensions: Fallback.Extensions = .none

    @Option(
        name: .customLong("error-page"),
        help: ArgumentHelp(
            "The body of 403, 404 or 416 responses: a file under the root (status kept).",
            discussion: "Repeatable. Example: --error-page 404=/404.html",
            valueName: "STATUS=PATH"))
    var errorPages: [String] = []

    @Flag(help: "Log one line per request (method, target, status, bytes, time). Ex.: --access-log")
    var accessLog = false

    @Option(
        help: "trace, debug, info, notice, warning, error or critical. Example: --log-level debug")
    var logLevel: String = "info"

    /// Checks every value and produces the configuration; throws ``StartupError``.
    func makeConfiguration(processorCount: Int) throws -> Configuration {
        var config = Configuration()
        config.defaultRoot = root
        for site in sites {
            guard let (name, path) = Self.split(site), !name.isEmpty, !path.isEmpty else {
                throw StartupError("--site needs NAME=ROOT, got '\(site)'")
            }
            guard config.sites[name] == nil else {
                throw StartupError("--site \(name) is given twice")
            }
            config.sites[name] = path
        }
        for spec in listen {
            if let (name, path) = Self.split(spec) {
                guard !name.isEmpty, !path.isEmpty else {
                    throw StartupError("--listen needs [NAME=]PATH, got '\(spec)'")
                }
                config.listen.append(.init(name: name, path: path))
            } else {
                config.listen.append(.init(name: nil, path: spec))
            }
        }
        if let socketMode {
            guard let mode = UInt32(socketMode, radix: 8), mode <= 0o777 else {
                throw StartupError("--socket-mode needs octal permissions like 0660")
            }
            config.socketMode = mode
        }
        let threadCount = threads ?? processorCount
        guard (1...256).contains(threadCount) else {
            throw StartupError("--threads must be between 1 and 256")
        }
        config.threads = threadCount
        guard backlog > 0 else { throw StartupError("--backlog must be positive") }
        config.backlog = backlog
        guard maxConnections > 0 else { throw StartupError("--max-connections must be positive") }
        config.maxConnections = maxConnections
        for (flag, value) in [
            ("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout),
            ("--send-timeout", sendTimeout), ("--discard-timeout", discardTimeout),
        ] where value.milliseconds <= 0 {
            throw StartupError("\(flag) must be positive")
        }
        config.headerTimeout = headerTimeout.milliseconds
        config.idleTimeout = idleTimeout.milliseconds
        config.sendTimeout = sendTimeout.milliseconds
        config.discardTimeout = discardTimeout.milliseconds
        guard (0...(1 << 30)).contains(maxDiscardBody.bytes) else {
            throw StartupError("--max-discard-body must be between 0 and 1g")
        }
        config.maxDiscardBody = maxDiscardBody.bytes
        config.drainTimeout = drainTimeout.milliseconds
        if let exitIdleAfter {
            guard exitIdleAfter.milliseconds > 0 else {
                throw StartupError("--exit-idle-after must be positive")
            }
            config.exitIdleAfter = exitIdleAfter.milliseconds
        }
        guard sendChunk.bytes >= 4096 else { throw StartupError("--send-chunk must be ≥ 4k") }
        config.sendChunk = sendChunk.bytes
        config.symlinks = symlinks
        config.site.dotfiles = dotfiles
        guard (64...(1 << 20)).contains(maxRequestLine.bytes) else {
            throw StartupError("--max-request-line must be between 64 and 1m")
        }
        guard (256...(1 << 20)).contains(maxHeaderBytes.bytes) else {
            throw StartupError("--max-header-bytes must be between 256 and 1m")
        }
        guard (1...10_000).contains(maxHeaderFields) else {
            throw StartupError("--max-header-fields must be between 1 and 10000")
        }
        config.limits = ParserLimits(
            requestLine: Int(maxRequestLine.bytes), headerSection: Int(maxHeaderBytes.bytes),
            headerCount: maxHeaderFields)
        guard (0...1_000_000).contains(openFileCache) else {
            throw StartupError("--open-file-cache must be between 0 and 1000000")
        }
        config.site.openFileCache = openFileCache
        guard (1...1000).contains(maxRanges) else {
            throw StartupError("--max-ranges must be between 1 and 1000")
        }
        config.site.maxRanges = maxRanges
        config.accessLog = accessLog
        var extraTypes: [(ext: String, type: String)] = []
        for spec in mimeTypes {
            guard let (ext, type) = Self.split(spec), !ext.isEmpty, !type.isEmpty else {
                throw StartupError("--mime-type needs EXT=TYPE, got '\(spec)'")
            }
            extraTypes.append((ext, type))
        }
        do {
            config.site.mime = try MIMETable(extra: extraTypes)
        } catch {
            throw StartupError("--mime-type: \(error)")
        }
        var cacheRules = try cacheControl.map(Self.cacheRule)
        config.site.headers = HeaderRules(rules: try Self.headerRules(headers))
        if let fallback {
            guard let page = SitePage(fallback) else {
                throw StartupError("--fallback \(fallback): \(Self.pageRequirement)")
            }
            config.site.fallback = Fallback(page: page, extensions: fallbackExtensions)
            cacheRules.append(
                CacheControlRules.Rule(
                    pattern: Array(fallback.utf8), value: Array("no-cache".utf8)))
        }
        config.site.cacheControl = CacheControlRules(rules: cacheRules)
        config.site.errorPages = try Self.errorPages(errorPages)
        guard config.defaultRoot != nil || !config.sites.isEmpty else {
            throw StartupError("no document root: give --root ROOT or --site NAME=ROOT")
        }
        return config
    }

    /// One `--cache-control PATTERN=VALUE`: a non-empty pattern, a printable ASCII value.
    private static func cacheRule(_ spec: String) throws -> CacheControlRules.Rule {
        guard let (pattern, value) = split(spec), !pattern.isEmpty else {
            throw StartupError("--cache-control needs PATTERN=VALUE, got '\(spec)'")
        }
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else {
            throw StartupError("--cache-control \(spec): the value must be printable ASCII")
        }
        return CacheControlRules.Rule(pattern: Array(pattern.utf8), value: Array(value.utf8))
    }

    /// Splits `NAME=VALUE` at the first `=`; nil when there is none.
    static func split(_ text: String) -> (String, String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}
