import HTTP1
import Loop
import Serve

/// The metrics socket's application: GET or HEAD on any path answers the Prometheus page of
/// every loop's counters (behaviour §7.2).
final class MetricsResponder: Application {
    private let loops: [LoopStats]
    private let responses: [ResponseStats]

    init(loops: [LoopStats], responses: [ResponseStats]) {
        self.loops = loops
        self.responses = responses
    }

    func respond(
        to request: RequestHead, in bytes: UnsafeRawBufferPointer, context: ResponseContext,
        exchange: inout Exchange
    ) {
        guard Admission.admit(request, context, &exchange) else { return }
        ResponseRenderer.uncachedPage(
            MetricsPage.render(loops: loops, responses: responses),
            contentType: "text/plain; version=0.0.4; charset=utf-8", method: request.method,
            context, &exchange)
    }

    func reload() {}
}
