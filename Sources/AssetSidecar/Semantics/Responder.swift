import Sendfile
import SystemPackage

/// HTTP semantics for one request: maps a parsed request onto a file beneath the site's root
/// and fills an ``Exchange`` with the response. Knows nothing of sockets.
struct Responder: Sendable {
    let dotfiles: DotfilePolicy
    let mime: MIMETable
    let maxRanges: Int

    /// What the loop needs to know about the request being answered.
    struct Context {
        var root: DocumentRoot
        var seconds: Int64
        var date: [UInt8]
        /// The connection may stay open after this response.
        var keepAlive: Bool
        var version: HTTPVersion
    }

    /// Answers `request`, whose fields point into `bytes`.
    func respond(
        to request: RequestHead, in bytes: UnsafeRawBufferPointer, context: Context,
        exchange: inout Exchange
    ) {
        exchange.closeAfter = !context.keepAlive
        switch request.method {
        case .get, .head: break
        case .known: return error(.methodNotAllowed, request: request, context, &exchange)
        case .unknown: return error(.notImplemented, request: request, context, &exchange)
        }
        if (request.contentLength ?? 0) > 0 || request.transferEncoding != .none {
            exchange.closeAfter = true
            return error(.contentTooLarge, request: request, context, &exchange)
        }
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
        if decoded.length == 0 {
            exchange.path = [46, 0]
        }
        switch lookup(context.root, &exchange.path) {
        case .file(let file, let snapshot):
            if decoded.trailingSlash && decoded.length > 0 {
                _ = try? file.close()
                return error(.notFound, request: request, context, &exchange)
            }
            return serve(file, snapshot, request, bytes, context, &exchange)
        case .directory:
            guard decoded.trailingSlash else {
                return redirect(request, bytes, context, &exchange)
            }
            exchange.path.removeLast()
            if decoded.length == 0 {
                exchange.path.removeAll(keepingCapacity: true)
            } else {
                exchange.path.append(47)
            }
            exchange.path.append(contentsOf: Self.indexName)
            exchange.path.append(0)
            guard case .file(let file, let snapshot) = lookup(context.root, &exchange.path) else {
                return error(.notFound, request: request, context, &exchange)
            }
            return serve(file, snapshot, request, bytes, context, &exchange)
        case .failure(let failure):
            let status: Status =
                switch failure {
                case .notFound: .notFound
                case .forbidden: .forbidden
                case .exhausted: .serviceUnavailable
                case .unsupported, .other: .internalServerError
                }
            return error(status, request: request, context, &exchange)
        }
    }

    /// The name served for a directory requested with a trailing slash.
    static let indexName: [UInt8] = Array("index.html".utf8)

    /// Opens the NUL-terminated `path` beneath `root`.
    private func lookup(_ root: DocumentRoot, _ path: inout [UInt8]) -> LookupOutcome {
        path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { root.open($0.baseAddress!) }
        }
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

    /// Serves an open regular file: validators, range resolution, head, then the file bytes.
    private func serve(
        _ file: FileDescriptor, _ snapshot: FileSnapshot, _ request: RequestHead,
        _ bytes: UnsafeRawBufferPointer, _ context: Context, _ exchange: inout Exchange
    ) {
        exchange.file = file
        var resolution = RangeResolution.whole
        if request.method == .get, let range = request.range {
            resolution = ByteRangeRequest.resolve(
                UnsafeRawBufferPointer(rebasing: bytes[range]), length: snapshot.size,
                maxRanges: maxRanges)
        }
        var head = exchange.head
        exchange.head = []
        head.removeAll(keepingCapacity: true)
        let status: Status
        var bodyOffset: Int64 = 0
        var bodyLength = snapshot.size
        switch resolution {
        case .whole, .multiple:
            status = .ok
        case .single(let offset, let length):
            status = .partialContent
            bodyOffset = offset
            bodyLength = length
        case .unsatisfiable:
            status = .rangeNotSatisfiable
        }
        head.append(contentsOf: HeadWriter.statusLine(status))
        HeadWriter.field("Date", bytes: context.date, into: &head)
        if status == .rangeNotSatisfiable {
            let body = Self.errorBody(status)
            HeadWriter.field("Content-Type", "text/plain; charset=utf-8", into: &head)
            HeadWriter.field("Content-Length", decimal: Int64(body.count), into: &head)
            HeadWriter.append("Content-Range: bytes */", into: &head)
            HeadWriter.decimal(snapshot.size, into: &head)
            head.append(contentsOf: [13, 10])
            finishHead(&head, context, exchange.closeAfter)
            head.append(contentsOf: body)
            exchange.status = status
            exchange.transfer.append(.bytes(head))
            exchange.head = head
            return
        }
        HeadWriter.append("Content-Type: ", into: &head)
        exchange.path.withUnsafeBytes { path in
            head.append(contentsOf: mime.contentType(forName: Self.lastSegment(of: path)))
        }
        head.append(contentsOf: [13, 10])
        HeadWriter.field("Content-Length", decimal: bodyLength, into: &head)
        if status == .partialContent {
            HeadWriter.append("Content-Range: bytes ", into: &head)
            HeadWriter.decimal(bodyOffset, into: &head)
            head.append(45)
            HeadWriter.decimal(bodyOffset + bodyLength - 1, into: &head)
            head.append(47)
            HeadWriter.decimal(snapshot.size, into: &head)
            head.append(contentsOf: [13, 10])
        }
        HeadWriter.append("Last-Modified: ", into: &head)
        HTTPDate.format(snapshot.modifiedSeconds, into: &head)
        head.append(contentsOf: [13, 10])
        HeadWriter.append("ETag: ", into: &head)
        FileValidators.appendETag(of: snapshot, now: context.seconds, into: &head)
        head.append(contentsOf: [13, 10])
        HeadWriter.field("Accept-Ranges", "bytes", into: &head)
        finishHead(&head, context, exchange.closeAfter)
        exchange.status = status
        exchange.transfer.append(.bytes(head))
        if request.method == .get {
            exchange.transfer.append(.file(file, offset: bodyOffset, length: bodyLength))
        }
        exchange.head = head
    }

    /// The final path segment (after the last `/`) of a NUL-terminated lookup path.
    static func lastSegment(of path: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = path.count
        if end > 0 && path[end - 1] == 0 { end -= 1 }
        var start = end
        while start > 0 && path[start - 1] != 47 { start -= 1 }
        return UnsafeRawBufferPointer(rebasing: path[start..<end])
    }

    /// Adds the connection field when needed and the empty line.
    private func finishHead(_ head: inout [UInt8], _ context: Context, _ close: Bool) {
        if close {
            HeadWriter.field("Connection", "close", into: &head)
        } else if context.version == .http10 {
            HeadWriter.field("Connection", "keep-alive", into: &head)
        }
        head.append(contentsOf: [13, 10])
    }

    /// A short plain-text response for an error or redirect; HEAD gets the same head without
    /// the body. Errors that leave framing in doubt set `closeAfter` before calling this.
    func error(
        _ status: Status, request: RequestHead?, _ context: Context, _ exchange: inout Exchange,
        location: [UInt8]? = nil
    ) {
        if status == .badRequest || status == .notImplemented { exchange.closeAfter = true }
        var head = exchange.head
        exchange.head = []
        head.removeAll(keepingCapacity: true)
        let body = Self.errorBody(status)
        head.append(contentsOf: HeadWriter.statusLine(status))
        HeadWriter.field("Date", bytes: context.date, into: &head)
        HeadWriter.field("Content-Type", "text/plain; charset=utf-8", into: &head)
        HeadWriter.field("Content-Length", decimal: Int64(body.count), into: &head)
        if status == .methodNotAllowed { HeadWriter.field("Allow", "GET, HEAD", into: &head) }
        if let location { HeadWriter.field("Location", bytes: location, into: &head) }
        finishHead(&head, context, exchange.closeAfter)
        if request?.method != .head { head.append(contentsOf: body) }
        exchange.status = status
        exchange.transfer.append(.bytes(head))
        exchange.head = head
    }

    /// The body of an error response: the status and its reason, never a path.
    static func errorBody(_ status: Status) -> [UInt8] {
        Array("\(status.rawValue) ".utf8) + status.reason.bytes + [10]
    }
}
