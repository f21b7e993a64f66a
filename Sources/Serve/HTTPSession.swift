import HTTP1
import Loop
import Sendfile

/// One connection's HTTP/1.1 state: the response being sent and its access record. Every
/// request is parsed afresh from the connection's buffer (the parser keeps no state).
final class HTTPSession: ConnectionSession {
    private let handler: HTTPHandler
    private var exchange = Exchange()
    /// The access log's record of the request being answered, when the log is on.
    private var access: AccessRecord?

    init(handler: HTTPHandler) {
        self.handler = handler
    }

    func receive(
        _ bytes: UnsafeRawBufferPointer, full: Bool, moment: LoopMoment,
        into transfer: inout Transfer
    ) -> Reception {
        swap(&exchange.transfer, &transfer)
        defer { swap(&exchange.transfer, &transfer) }
        switch handler.parser.parse(bytes) {
        case .complete(let head):
            if handler.accessLog != nil { access = AccessRecord(head, bytes) }
            exchange.closeAfter = false
            let context = handler.context(moment, keepAlive: head.keepAlive, version: head.version)
            handler.application.respond(
                to: head, in: bytes, context: context, exchange: &exchange)
            handler.stats.count(exchange.status)
            return .respond(consumed: head.length, thenClose: exchange.closeAfter)
        case .failed(let error):
            reject(Status(rawValue: error.status) ?? .badRequest, bytes, moment)
            return .respond(consumed: bytes.count, thenClose: true)
        case .incomplete:
            guard full else { return .incomplete }
            reject(.requestHeaderFieldsTooLarge, bytes, moment)
            return .respond(consumed: bytes.count, thenClose: true)
        }
    }

    func headerTimedOut(
        _ bytes: UnsafeRawBufferPointer, moment: LoopMoment, into transfer: inout Transfer
    ) {
        swap(&exchange.transfer, &transfer)
        defer { swap(&exchange.transfer, &transfer) }
        reject(.requestTimeout, bytes, moment)
    }

    func responseEnded(_ ending: ResponseEnding, bytesSent: Int64, closing: CloseReason?) {
        if let log = handler.accessLog, let record = access {
            log.info(
                "\(record.line(status: exchange.status, bytes: bytesSent, ending: ending, closing: closing))"
            )
        }
        access = nil
        exchange.finish()
    }

    /// Answers bytes that are not a request the server can read (a parse error, an oversized
    /// head, a timeout) with `status`, closing after: the framing is in doubt.
    private func reject(_ status: Status, _ bytes: UnsafeRawBufferPointer, _ moment: LoopMoment) {
        if handler.accessLog != nil { access = AccessRecord(rejected: bytes) }
        exchange.closeAfter = true
        let context = handler.context(moment, keepAlive: false, version: .http11)
        ResponseRenderer.error(status, method: nil, context, &exchange)
        handler.stats.count(status)
    }
}
