import HTTP1
import Semantics
import Sendfile

/// Every response head the server sends, rendered in one place: the status line and `Date`,
/// the fields of the response kind, the connection field, the empty line; then the head and
/// the body segments go into the exchange's transfer. Representations bring their fields
/// pre-rendered, so a file response copies a few spans and renders only what varies.
public enum ResponseRenderer {
    /// A short plain-text response for an error or redirect; HEAD (`method == .head`) gets the
    /// same head without the body. 400 and 501 close the connection: the request's framing is in
    /// doubt. `extra` holds more rendered field lines.
    public static func error(
        _ status: Status, method: Method?, _ context: ResponseContext, _ exchange: inout Exchange,
        _ transfer: inout Transfer,
        location: [UInt8]? = nil, extra: [UInt8] = []
    ) {
        if status == .badRequest || status == .notImplemented { exchange.closeAfter = true }
        let body = errorBody(status)
        var head = begin(status, context, &exchange)
        HeadWriter.field("Content-Type", "text/plain; charset=utf-8", into: &head)
        HeadWriter.field("Content-Length", decimal: Int64(body.count), into: &head)
        if status == .methodNotAllowed { HeadWriter.field("Allow", "GET, HEAD", into: &head) }
        if let location { HeadWriter.field("Location", bytes: location, into: &head) }
        head.append(contentsOf: extra)
        finish(&head, context, &exchange, &transfer, body: method == .head ? nil : body)
    }

    /// An in-memory body of `contentType` that no cache may store (the metrics page, 200, and
    /// `/healthz`, 200 or 503).
    public static func uncachedPage(
        _ body: [UInt8], contentType: StaticString, method: Method, _ context: ResponseContext,
        _ exchange: inout Exchange, _ transfer: inout Transfer, status: Status = .ok
    ) {
        var head = begin(status, context, &exchange)
        HeadWriter.field("Content-Type", contentType, into: &head)
        HeadWriter.field("Content-Length", decimal: Int64(body.count), into: &head)
        HeadWriter.field("Cache-Control", "no-store", into: &head)
        finish(&head, context, &exchange, &transfer, body: method == .get ? body : nil)
    }

    /// 200 with the whole representation (the head alone without `sendBody`); a small cached
    /// file goes out with the head in one write.
    static func whole(
        _ representation: Representation, sendBody: Bool, _ context: ResponseContext,
        _ exchange: inout Exchange, _ transfer: inout Transfer
    ) {
        var head = begin(.ok, context, &exchange)
        head.append(contentsOf: representation.typeLines)
        head.append(contentsOf: representation.lengthLine)
        head.append(contentsOf: representation.validatorLines)
        head.append(contentsOf: representation.extraLines)
        head.append(contentsOf: representation.cachingLines)
        finish(&head, context, &exchange, &transfer, body: nil)
        if sendBody { appendBody(representation, &exchange, &transfer) }
    }

    /// 403, 404 or 416 whose body is an operator's page (behaviour §4.6): the page's `Content-Type`
    /// and length, `extra` (a 416's `Content-Range: bytes */N` and `Vary`), and
    /// `Cache-Control: no-store` — the body belongs to another file than the one requested, so
    /// no cache may keep it under the request's URL (the file may appear the next moment) nor
    /// revalidate it; for the same reason neither validator of the page is sent.
    static func errorPage(
        _ status: Status, _ page: Representation, sendBody: Bool, _ context: ResponseContext,
        _ exchange: inout Exchange, _ transfer: inout Transfer, extra: [UInt8]
    ) {
        var head = begin(status, context, &exchange)
        head.append(contentsOf: page.typeLines)
        head.append(contentsOf: page.lengthLine)
        HeadWriter.field("Cache-Control", "no-store", into: &head)
        head.append(contentsOf: extra)
        finish(&head, context, &exchange, &transfer, body: nil)
        if sendBody { appendBody(page, &exchange, &transfer) }
    }

    /// The whole file as the body: from memory when cached inline, else zero-copy.
    private static func appendBody(
        _ representation: Representation, _ exchange: inout Exchange, _ transfer: inout Transfer
    ) {
        if let body = representation.body {
            transfer.append(.bytes(body))
        } else {
            transfer.append(
                .file(representation.file.descriptor, offset: 0, length: representation.size))
        }
    }

    /// 206 with one range and its exact `Content-Range` (RFC 9110 §14.4, §15.3.7.1).
    static func partial(
        _ representation: Representation, _ span: ByteSpan, _ context: ResponseContext,
        _ exchange: inout Exchange, _ transfer: inout Transfer
    ) {
        var head = begin(.partialContent, context, &exchange)
        head.append(contentsOf: representation.typeLines)
        HeadWriter.field("Content-Length", decimal: span.length, into: &head)
        ASCII.append("Content-Range: ", to: &head)
        span.appendContentRange(completeLength: representation.size, to: &head)
        head.append(contentsOf: lineEnd)
        head.append(contentsOf: representation.validatorLines)
        head.append(contentsOf: representation.extraLines)
        head.append(contentsOf: representation.cachingLines)
        finish(&head, context, &exchange, &transfer, body: nil)
        transfer.append(
            .file(representation.file.descriptor, offset: span.offset, length: span.length))
    }

    /// 206 `multipart/byteranges` (RFC 9110 §14.6): part headers in memory, file bytes still
    /// sent zero-copy, and the exact `Content-Length` known before the first byte.
    static func multipart(
        _ representation: Representation, _ spans: [ByteSpan], _ context: ResponseContext,
        _ exchange: inout Exchange, _ transfer: inout Transfer
    ) {
        let boundary = MultipartPlan.boundary(seed: context.sequence)
        let plan = MultipartPlan.make(
            spans: spans, representationLength: representation.size,
            contentType: representation.contentType, boundary: boundary)
        var head = begin(.partialContent, context, &exchange)
        HeadWriter.field(
            "Content-Type", bytes: MultipartPlan.contentType(boundary: boundary), into: &head)
        head.append(contentsOf: representation.encodingLine)
        HeadWriter.field("Content-Length", decimal: plan.contentLength, into: &head)
        head.append(contentsOf: representation.validatorLines)
        head.append(contentsOf: representation.extraLines)
        head.append(contentsOf: representation.cachingLines)
        finish(&head, context, &exchange, &transfer, body: nil)
        for item in plan.items {
            switch item {
            case .bytes(let bytes):
                transfer.append(.bytes(bytes))
            case .file(let span):
                transfer.append(
                    .file(representation.file.descriptor, offset: span.offset, length: span.length))
            }
        }
    }

    /// 304 (RFC 9110 §15.4.5): validators and caching fields, `Date`, no body.
    static func notModified(
        _ representation: Representation, _ context: ResponseContext, _ exchange: inout Exchange,
        _ transfer: inout Transfer
    ) {
        var head = begin(.notModified, context, &exchange)
        head.append(contentsOf: representation.validatorLines)
        head.append(contentsOf: representation.cachingLines)
        finish(&head, context, &exchange, &transfer, body: nil)
    }

    /// The `Content-Range` line of a 416 (RFC 9110 §14.4) and the representation's `Vary`.
    static func unsatisfiedRangeLines(_ representation: Representation) -> [UInt8] {
        var lines: [UInt8] = []
        ASCII.append("Content-Range: ", to: &lines)
        ByteSpan.appendUnsatisfiedContentRange(completeLength: representation.size, to: &lines)
        lines.append(contentsOf: lineEnd)
        lines.append(contentsOf: representation.varyLine)
        return lines
    }

    /// The body of an error response: the status and its reason, never a path.
    public static func errorBody(_ status: Status) -> [UInt8] {
        Array("\(status.rawValue) ".utf8) + status.reason.bytes + [UInt8(ascii: "\n")]
    }

    private static let lineEnd: [UInt8] = [UInt8(ascii: "\r"), UInt8(ascii: "\n")]

    /// Starts a head: the exchange's reused buffer, the status line and `Date`.
    private static func begin(
        _ status: Status, _ context: ResponseContext, _ exchange: inout Exchange
    ) -> [UInt8] {
        var head = exchange.takeHead()
        head.append(contentsOf: HeadWriter.statusLine(status))
        HeadWriter.field("Date", bytes: context.date, into: &head)
        exchange.status = status
        return head
    }

    /// Ends a head: the connection field where needed (RFC 9112 §9.3: `close`, or `keep-alive`
    /// for HTTP/1.0), the empty line, a short in-memory body if any (copied behind the head, one
    /// buffer); then queues it as the first segment of the transfer.
    private static func finish(
        _ head: inout [UInt8], _ context: ResponseContext, _ exchange: inout Exchange,
        _ transfer: inout Transfer,
        body: [UInt8]?
    ) {
        if exchange.closeAfter || !context.keepAlive {
            exchange.closeAfter = true
            HeadWriter.field("Connection", "close", into: &head)
        } else if context.version == .http10 {
            HeadWriter.field("Connection", "keep-alive", into: &head)
        }
        head.append(contentsOf: lineEnd)
        if let body { head.append(contentsOf: body) }
        transfer.append(.bytes(head))
        exchange.head = head
    }
}
