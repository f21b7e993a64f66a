import Sendfile
import SystemPackage

/// HTTP semantics for one request: maps a parsed request onto a file beneath the site's root
/// and fills an ``Exchange`` with the response. Knows nothing of sockets.
struct Responder: Sendable {
    let dotfiles: DotfilePolicy
    let mime: MIMETable
    let maxRanges: Int
    let cachePolicy: CachePolicy

    /// What the loop knows about the request being answered.
    struct Context {
        /// Wall-clock seconds, and the `Date` value for them.
        var seconds: Int64
        var date: [UInt8]
        /// The connection may stay open after this response.
        var keepAlive: Bool
        var version: HTTPVersion
        /// A number unique to this response on this loop (multipart boundaries).
        var sequence: UInt64
    }

    /// SPEC §2.1 and §2.4: answers anything but a bodiless GET or HEAD (405, 501, 413) and
    /// returns false; true means go on. A body is never read: the connection closes after the
    /// answer, so its bytes can never be taken for a next request (RFC 9112 §6.3), whatever
    /// the method.
    private func admit(
        _ request: RequestHead, _ context: Context, _ exchange: inout Exchange
    ) -> Bool {
        let hasBody = (request.contentLength ?? 0) > 0 || request.transferEncoding != .none
        exchange.closeAfter = !context.keepAlive || hasBody
        switch request.method {
        case .get, .head:
            if hasBody { error(.contentTooLarge, request: request, context, &exchange) }
            return !hasBody
        case .known:
            error(.methodNotAllowed, request: request, context, &exchange)
        case .unknown:
            error(.notImplemented, request: request, context, &exchange)
        }
        return false
    }

    /// The name served for a directory requested with a trailing slash.
    static let indexName: [UInt8] = Array("index.html".utf8)

    /// Answers `request`, whose fields point into `bytes`.
    func respond(
        to request: RequestHead, in bytes: UnsafeRawBufferPointer, root: DocumentRoot,
        context: Context, cache: inout FileCache, exchange: inout Exchange
    ) {
        guard admit(request, context, &exchange) else { return }
        let decoded: DecodedPath
        switch RequestTarget.decode(
            UnsafeRawBufferPointer(rebasing: bytes[request.path]), into: &exchange.path)
        {
        case .success(let path): decoded = path
        case .failure: return error(.badRequest, request: request, context, &exchange)
        }
        if decoded.hasDotSegment, dotfiles == .deny, Self.hasHiddenSegment(exchange.path, decoded) {
            return error(.notFound, request: request, context, &exchange)
        }
        if cache.isEnabled {
            if decoded.trailingSlash {
                Self.appendIndex(to: &exchange.path, length: decoded.length)
            }
            if let cached = cache.lookup(exchange.path, root: root) {
                if request.acceptEncoding.isEmpty
                    || Self.variantsCurrent(cached, exchange.path, root)
                {
                    return serve(cached, request, bytes, context, &exchange)
                }
                cache.evict(exchange.path, root: root)
            }
            if decoded.trailingSlash { Self.truncate(&exchange.path, to: decoded.length) }
        }
        respondFromDisk(request, bytes, decoded, root, context, &cache, &exchange)
    }

    /// The uncached path: open beneath the root, redirect directories, serve index files.
    private func respondFromDisk(
        _ request: RequestHead, _ bytes: UnsafeRawBufferPointer, _ decoded: DecodedPath,
        _ root: DocumentRoot, _ context: Context, _ cache: inout FileCache,
        _ exchange: inout Exchange
    ) {
        if decoded.length == 0 {
            exchange.path.removeAll(keepingCapacity: true)
            exchange.path.append(contentsOf: [46, 0])
        }
        switch lookup(root, exchange.path) {
        case .file(let descriptor, let snapshot):
            let file = OpenFile(descriptor: descriptor, snapshot: snapshot)
            if decoded.trailingSlash && decoded.length > 0 {
                return error(.notFound, request: request, context, &exchange)
            }
            serveOpened(file, request, bytes, root, context, &cache, &exchange)
        case .directory:
            guard decoded.trailingSlash else {
                return redirect(request, bytes, context, &exchange)
            }
            Self.truncate(&exchange.path, to: decoded.length)
            Self.appendIndex(to: &exchange.path, length: decoded.length)
            guard case .file(let descriptor, let snapshot) = lookup(root, exchange.path)
            else {
                return error(.notFound, request: request, context, &exchange)
            }
            let file = OpenFile(descriptor: descriptor, snapshot: snapshot)
            serveOpened(file, request, bytes, root, context, &cache, &exchange)
        case .failure(let failure):
            let status: Status =
                switch failure {
                case .notFound: .notFound
                case .forbidden: .forbidden
                case .exhausted: .serviceUnavailable
                case .unsupported, .other: .internalServerError
                }
            error(status, request: request, context, &exchange)
        }
    }

    /// Renders the fields of a freshly opened file and of its precompressed siblings
    /// (`NAME.br`, `NAME.zst`, `NAME.gz`, SPEC §4.3), caches them, and serves the request.
    private func serveOpened(
        _ file: OpenFile, _ request: RequestHead, _ bytes: UnsafeRawBufferPointer,
        _ root: DocumentRoot, _ context: Context, _ cache: inout FileCache,
        _ exchange: inout Exchange
    ) {
        let path = exchange.path
        let (contentType, cacheControl) = path.withUnsafeBytes { raw in
            (
                mime.contentType(forName: Self.lastSegment(of: raw)),
                cachePolicy.value(for: UnsafeRawBufferPointer(rebasing: raw.dropLast()))
            )
        }
        var variants: [Representation] = []
        for coding in [ContentCoding.brotli, .zstd, .gzip] {
            guard
                case .file(let descriptor, let snapshot) = lookup(
                    root, Self.variantPath(path, coding))
            else { continue }
            variants.append(
                Representation(
                    file: OpenFile(descriptor: descriptor, snapshot: snapshot),
                    contentType: contentType, encoding: coding, cacheControl: cacheControl,
                    now: context.seconds, inline: cache.isEnabled))
        }
        let representation = Representation(
            file: file, contentType: contentType, encoding: .identity, cacheControl: cacheControl,
            now: context.seconds, inline: cache.isEnabled)
        representation.variants = variants
        representation.directoryStamp = FileCache.stamp(Self.parentPath(path), root: root).map(
            FileSnapshot.init)
        cache.insert(representation, path: path, root: root)
        serve(representation, request, bytes, context, &exchange)
    }

    /// Whether the variants found when `representation` was cached are still the ones on disk:
    /// the directory is unchanged (none added, removed or renamed) and each variant file is.
    static func variantsCurrent(
        _ representation: Representation, _ path: [UInt8], _ root: DocumentRoot
    ) -> Bool {
        guard let stamp = representation.directoryStamp,
            FileCache.isCurrent(parentPath(path), root: root, stamp)
        else { return false }
        return representation.variants.allSatisfy {
            FileCache.isCurrent(variantPath(path, $0.encoding), root: root, $0.file.snapshot)
        }
    }

    /// The NUL-terminated lookup path of `path`'s variant in `coding`.
    static func variantPath(_ path: [UInt8], _ coding: ContentCoding) -> [UInt8] {
        var variant = path
        variant.removeLast()
        let suffix = coding.fileSuffix
        variant.append(
            contentsOf: UnsafeBufferPointer(
                start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
        variant.append(0)
        return variant
    }

    /// The NUL-terminated lookup path of the directory holding `path` ("." for the root).
    static func parentPath(_ path: [UInt8]) -> [UInt8] {
        guard let slash = path.lastIndex(of: 47) else { return [46, 0] }
        return Array(path[..<slash]) + [0]
    }

    /// Opens the NUL-terminated `path` beneath `root`.
    private func lookup(_ root: DocumentRoot, _ path: [UInt8]) -> LookupOutcome {
        path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { root.open($0.baseAddress!) }
        }
    }

    /// Turns the NUL-terminated lookup path of a directory (`length` bytes) into that of its
    /// index file.
    static func appendIndex(to path: inout [UInt8], length: Int) {
        truncate(&path, to: length)
        path.removeLast()
        if length > 0 { path.append(47) }
        path.append(contentsOf: indexName)
        path.append(0)
    }

    /// Cuts the lookup path back to its first `length` bytes plus the NUL.
    static func truncate(_ path: inout [UInt8], to length: Int) {
        path.removeSubrange(length...)
        path.append(0)
    }

    /// SPEC §3.2: a segment beginning with `.` is hidden, except a leading `.well-known`.
    static func hasHiddenSegment(_ path: [UInt8], _ decoded: DecodedPath) -> Bool {
        var index = 0
        var first = true
        while index < decoded.length {
            var end = index
            while end < decoded.length && path[end] != 47 { end += 1 }
            if path[index] == 46 && !(first && decoded.isWellKnown) { return true }
            first = false
            index = end + 1
        }
        return false
    }

    /// The final path segment (after the last `/`) of a NUL-terminated lookup path.
    static func lastSegment(of path: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = path.count
        if end > 0 && path[end - 1] == 0 { end -= 1 }
        var start = end
        while start > 0 && path[start - 1] != 47 { start -= 1 }
        return UnsafeRawBufferPointer(rebasing: path[start..<end])
    }

    /// SPEC §3.3: 301 to the same path plus `/`, as a relative reference (the last raw segment
    /// and `/`, prefixed with `./` when the segment could read as a scheme), query kept.
    private func redirect(
        _ request: RequestHead, _ bytes: UnsafeRawBufferPointer, _ context: Context,
        _ exchange: inout Exchange
    ) {
        let raw = bytes[request.path]
        let lastSlash = raw.lastIndex(of: 47) ?? raw.startIndex
        var location: [UInt8] = []
        let segment = raw[(lastSlash + 1)...]
        if segment.contains(58) { location.append(contentsOf: [46, 47]) }
        location.append(contentsOf: segment)
        location.append(47)
        if let query = request.query {
            location.append(63)
            location.append(contentsOf: bytes[query])
        }
        error(.movedPermanently, request: request, context, &exchange, location: location)
    }

    /// Adds the connection field when needed and the empty line.
    func finishHead(_ head: inout [UInt8], _ context: Context, _ close: Bool) {
        if close {
            HeadWriter.field("Connection", "close", into: &head)
        } else if context.version == .http10 {
            HeadWriter.field("Connection", "keep-alive", into: &head)
        }
        head.append(contentsOf: [13, 10])
    }

    /// A short plain-text response for an error or redirect; HEAD gets the same head without
    /// the body. 400 and 501 close the connection: the request's framing is in doubt.
    func error(
        _ status: Status, request: RequestHead?, _ context: Context, _ exchange: inout Exchange,
        location: [UInt8]? = nil, extra: [UInt8] = []
    ) {
        if status == .badRequest || status == .notImplemented { exchange.closeAfter = true }
        var head = exchange.takeHead()
        let body = Self.errorBody(status)
        head.append(contentsOf: HeadWriter.statusLine(status))
        HeadWriter.field("Date", bytes: context.date, into: &head)
        HeadWriter.field("Content-Type", "text/plain; charset=utf-8", into: &head)
        HeadWriter.field("Content-Length", decimal: Int64(body.count), into: &head)
        if status == .methodNotAllowed { HeadWriter.field("Allow", "GET, HEAD", into: &head) }
        if let location { HeadWriter.field("Location", bytes: location, into: &head) }
        head.append(contentsOf: extra)
        finishHead(&head, context, exchange.closeAfter)
        if request?.method != .head { head.append(contentsOf: body) }
        exchange.status = status
        exchange.transfer.append(.bytes(head))
        exchange.head = head
    }

    /// The metrics page (SPEC §7.2) for GET or HEAD on any path of the metrics socket.
    func metrics(
        _ page: [UInt8], request: RequestHead, _ context: Context, _ exchange: inout Exchange
    ) {
        guard admit(request, context, &exchange) else { return }
        var head = exchange.takeHead()
        head.append(contentsOf: HeadWriter.statusLine(.ok))
        HeadWriter.field("Date", bytes: context.date, into: &head)
        HeadWriter.field(
            "Content-Type", "text/plain; version=0.0.4; charset=utf-8", into: &head)
        HeadWriter.field("Content-Length", decimal: Int64(page.count), into: &head)
        HeadWriter.field("Cache-Control", "no-store", into: &head)
        finishHead(&head, context, exchange.closeAfter)
        if request.method == .get { head.append(contentsOf: page) }
        exchange.status = .ok
        exchange.transfer.append(.bytes(head))
        exchange.head = head
    }

    /// The body of an error response: the status and its reason, never a path.
    static func errorBody(_ status: Status) -> [UInt8] {
        Array("\(status.rawValue) ".utf8) + status.reason.bytes + [10]
    }
}
