import HTTP1
import Loop
import Sendfile
import Serve

/// The metrics socket's application: GET or HEAD on `/healthz` answers the loops' health (200
/// or 503, behaviour §7.2), on any other path the Prometheus page of every loop's counters (SPEC
/// §7.2).
final class MetricsResponder: Application {
    private let loops: [LoopStats]
    private let responses: [ResponseStats]
    private let sites: [MetricsPage.Site]
    private let health: LoopHealth

    init(
        loops: [LoopStats], responses: [ResponseStats], sites: [MetricsPage.Site],
        health: LoopHealth
    ) {
        self.loops = loops
        self.responses = responses
        self.sites = sites
        self.health = health
    }

    func respond(
        to request: RequestHead, in bytes: UnsafeRawBufferPointer, context: ResponseContext,
        exchange: inout Exchange, transfer: inout Transfer
    ) {
        guard Admission.admit(request, context, &exchange, &transfer) else { return }
        if bytes[request.path].elementsEqual("/healthz".utf8) {
            let (healthy, body) = health.report(loops, now: Clock().now)
            return ResponseRenderer.uncachedPage(
                body, contentType: "text/plain; charset=utf-8", method: request.method, context,
                &exchange, &transfer, status: healthy ? .ok : .serviceUnavailable)
        }
        ResponseRenderer.uncachedPage(
            MetricsPage.render(
                loops: loops, responses: responses, sites: sites, process: .current()),
            contentType: "text/plain; version=0.0.4; charset=utf-8", method: request.method,
            context, &exchange, &transfer)
    }

    func reload() {}
}
