import Files
import HTTP1
import Semantics

/// A site's files, for one loop: admission, then the target (decoding and the dotfile rule),
/// then the files stage, then the plan (negotiation, preconditions, ranges), then the head and
/// segments — each stage its own type.
public final class FileResponder: Application {
    private var store: RepresentationStore
    public let stats: ResponseStats

    public init(root: DocumentRoot, settings: SiteSettings, stats: ResponseStats) {
        store = RepresentationStore(root: root, settings: settings, stats: stats)
        self.stats = stats
    }

    public func respond(
        to request: RequestHead, in bytes: UnsafeRawBufferPointer, context: ResponseContext,
        exchange: inout Exchange
    ) {
        guard Admission.admit(request, context, &exchange) else { return }
        let decoded: DecodedPath
        switch TargetPathDecoder.decode(
            UnsafeRawBufferPointer(rebasing: bytes[request.path]), into: &exchange.path)
        {
        case .success(let path): decoded = path
        case .failure:
            return ResponseRenderer.error(.badRequest, method: request.method, context, &exchange)
        }
        if store.settings.dotfiles == .deny, HiddenPath.isHidden(exchange.path, decoded) {
            return ResponseRenderer.error(.notFound, method: request.method, context, &exchange)
        }
        switch store.resolve(
            decoded, path: &exchange.path, now: context.seconds,
            wantsVariants: !request.acceptEncoding.isEmpty)
        {
        case .representation(let representation):
            render(
                ResponsePlanner.plan(
                    representation, request, bytes, maxRanges: store.settings.maxRanges,
                    now: context.seconds),
                request, context, &exchange)
        case .directory:
            ResponseRenderer.error(
                .movedPermanently, method: request.method, context, &exchange,
                location: DirectoryRedirect.location(request, bytes))
        case .failure(let status):
            ResponseRenderer.error(status, method: request.method, context, &exchange)
        }
    }

    public func reload() {
        store.removeAll()
    }

    /// Renders a plan; the file it reads stays open until the response ends.
    private func render(
        _ plan: ResponsePlan, _ request: RequestHead, _ context: ResponseContext,
        _ exchange: inout Exchange
    ) {
        switch plan {
        case .whole(let representation, let sendBody):
            exchange.source = representation.file
            ResponseRenderer.whole(representation, sendBody: sendBody, context, &exchange)
        case .partial(let representation, let span):
            exchange.source = representation.file
            ResponseRenderer.partial(representation, span, context, &exchange)
        case .multipart(let representation, let spans):
            exchange.source = representation.file
            ResponseRenderer.multipart(representation, spans, context, &exchange)
        case .notModified(let representation):
            ResponseRenderer.notModified(representation, context, &exchange)
        case .refused(let status, let extraLines):
            ResponseRenderer.error(
                status, method: request.method, context, &exchange, extra: extraLines)
        }
    }
}
