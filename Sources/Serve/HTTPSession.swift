import HTTP1
import Loop
import Sendfile

/// One connection's HTTP/1.1 state: the head of the request being answered, the response being
/// sent and its access record. Every request is parsed afresh from the connection's buffer
/// (the parser keeps no state) into the one head, which is never copied.
///
/// Each call works on the exchange through one `inout` access for its whole duration (static
/// functions below), so the class's state costs one dynamic exclusivity check per call, not one
/// per field touched.
final class HTTPSession: ConnectionSession {
    private let handler: HTTPHandler
    private var exchange = Exchange()
    private var request = RequestHead()

    init(handler: HTTPHandler) {
        self.handler = handler
    }

    func receive(
        _ bytes: UnsafeRawBufferPointer, full: Bool, moment: LoopMoment,
        into transfer: inout Transfer
    ) -> Reception {
        Self.receive(bytes, full: full, moment: moment, handler, &request, &exchange, &transfer)
    }

    func headerTimedOut(
        _ bytes: UnsafeRawBufferPointer, moment: LoopMoment, into transfer: inout Transfer
    ) {
        Self.reject(.requestTimeout, bytes, moment, handler, &exchange, &transfer)
    }

    func responseEnded(_ ending: ResponseEnding, bytesSent: Int64, closing: CloseReason?) {
        Self.ended(ending, bytesSent: bytesSent, closing: closing, handler, &exchange)
    }

    private static func receive(
        _ bytes: UnsafeRawBufferPointer, full: Bool, moment: LoopMoment, _ handler: HTTPHandler,
        _ head: inout RequestHead, _ exchange: inout Exchange, _ transfer: inout Transfer
    ) -> Reception {
        switch handler.parser.parse(bytes, into: &head) {
        case .complete:
            exchange.started = Clock.monotonicMicroseconds()
            if handler.accessLog != nil { exchange.access = AccessRecord(head, bytes) }
            exchange.closeAfter = false
            let body = UnreadBody(head, limit: handler.maxDiscardBody)
            let context = handler.context(
                moment, keepAlive: head.keepAlive && body.allowsKeepAlive, version: head.version)
            handler.application.respond(
                to: head, in: bytes, context: context, exchange: &exchange, transfer: &transfer)
            handler.stats.count(exchange.status)
            return .respond(consumed: head.length, then: body.after(closing: exchange.closeAfter))
        case .failed(let error):
            reject(
                Status(rawValue: error.status) ?? .badRequest, bytes, moment, handler, &exchange,
                &transfer)
            return .respond(consumed: bytes.count, then: .linger)
        case .incomplete:
            guard full else { return .incomplete }
            reject(.requestHeaderFieldsTooLarge, bytes, moment, handler, &exchange, &transfer)
            return .respond(consumed: bytes.count, then: .linger)
        }
    }

    /// Answers bytes that are not a request the server can read (a parse error, an oversized
    /// head, a timeout) with `status`, closing after: the framing is in doubt, so the rest is
    /// never parsed, only drained by a lingering close.
    private static func reject(
        _ status: Status, _ bytes: UnsafeRawBufferPointer, _ moment: LoopMoment,
        _ handler: HTTPHandler, _ exchange: inout Exchange, _ transfer: inout Transfer
    ) {
        if handler.accessLog != nil { exchange.access = AccessRecord(rejected: bytes) }
        exchange.closeAfter = true
        let context = handler.context(moment, keepAlive: false, version: .http11)
        ResponseRenderer.error(status, method: nil, context, &exchange, &transfer)
        handler.stats.count(status)
    }

    private static func ended(
        _ ending: ResponseEnding, bytesSent: Int64, closing: CloseReason?, _ handler: HTTPHandler,
        _ exchange: inout Exchange
    ) {
        if let log = handler.accessLog, let record = exchange.access {
            log.info(
                "\(record.line(status: exchange.status, bytes: bytesSent, ending: ending, closing: closing))"
            )
        }
        if let started = exchange.started {
            handler.durations.record(Clock.monotonicMicroseconds() &- started)
        }
        exchange.finish()
    }
}
