import Files
import HTTP1
import Loop
import Semantics
import Sendfile

/// A site's files, for one loop: admission, then the target (decoding and the dotfile rule),
/// then the files stage (and the `--fallback` file for a missing path, behaviour §4.6), then the
/// plan (negotiation, preconditions, ranges), then the head and segments (with the
/// `--error-page` body of a 403, 404 or 416) — each stage its own type. It is also its loop's
/// attachment for the site's change notifications (see ``attachment``).
public final class FileResponder: Application, LoopAttachment {
    private var store: RepresentationStore
    public let stats: ResponseStats
    /// The loop's monotonic milliseconds at the start of the current turn.
    private var clock: Int64 = 0

    public init(root: DocumentRoot, settings: SiteSettings, stats: ResponseStats) {
        store = RepresentationStore(root: root, settings: settings, stats: stats)
        self.stats = stats
        LoopStats.bump(store.mode == .events ? stats.cachesNotified : stats.cachesRevalidating)
    }

    /// How this site's cache learns of changes, on this loop.
    public var revalidation: RevalidationMode { store.mode }

    /// The inotify descriptor, read by the loop before the requests of every turn in which it
    /// is readable. Why that is enough for strict freshness: `rename(2)`, `unlink(2)`,
    /// `write(2)`, `chmod(2)` and `truncate(2)` queue their event before they return, and
    /// queuing it puts the descriptor on the loop's epoll ready list at once. A client that
    /// sends its request after the call returned makes the socket readable later still. The
    /// `epoll_wait` that reports the socket reports the inotify descriptor too (it was on the
    /// ready list first; a return too full to hold both makes the loop read every attachment
    /// anyway), and the loop handles attachments before it drives any connection. So the
    /// entry is gone before the request is parsed. What this cannot order is bytes that
    /// arrive after the kernel collected the ready list yet are read in the same turn (a
    /// second request pipelined behind one sent before the change): those are served as of
    /// the turn's start, like any request racing a change.
    public var attachment: (any LoopAttachment)? { self }

    public var descriptor: Int32? { store.changeDescriptor }

    public func readable() {
        store.applyChanges()
        store.publishIfChanged()
    }

    public func turnBegins(now: Int64) {
        clock = now
        store.sweep(clock: now)
        store.publishIfChanged()
    }

    public func respond(
        to request: RequestHead, in bytes: UnsafeRawBufferPointer, context: ResponseContext,
        exchange: inout Exchange, transfer: inout Transfer
    ) {
        guard Admission.admit(request, context, &exchange, &transfer) else { return }
        let decoded: DecodedPath
        switch TargetPathDecoder.decode(
            UnsafeRawBufferPointer(rebasing: bytes[request.path]), into: &exchange.path)
        {
        case .success(let path): decoded = path
        case .failure:
            return ResponseRenderer.error(
                .badRequest, method: request.method, context, &exchange, &transfer)
        }
        if store.settings.dotfiles == .deny, HiddenPath.isHidden(exchange.path, decoded) {
            return fail(.notFound, request, context, &exchange, &transfer)
        }
        // Decided before the lookup, which may rewrite the path (index files).
        let fallsBack = store.settings.fallback?.applies(to: exchange.path, decoded) ?? false
        let wantsVariants = !request.acceptEncoding.isEmpty
        var resolved = lookup(decoded, &exchange, context, wantsVariants: wantsVariants)
        if case .missing = resolved, fallsBack, let page = store.settings.fallback?.page {
            page.copyPath(into: &exchange.path)
            resolved = lookup(page.decoded, &exchange, context, wantsVariants: wantsVariants)
        }
        store.publishIfChanged()
        switch resolved {
        case .representation(let representation):
            render(
                ResponsePlanner.plan(
                    representation, request, bytes, maxRanges: store.settings.maxRanges,
                    now: context.seconds),
                request, context, &exchange, &transfer)
        case .directory:
            ResponseRenderer.error(
                .movedPermanently, method: request.method, context, &exchange, &transfer,
                location: DirectoryRedirect.location(request, bytes))
        case .missing:
            fail(.notFound, request, context, &exchange, &transfer)
        case .failure(let status):
            fail(status, request, context, &exchange, &transfer)
        }
    }

    public func reload() {
        store.reload()
        store.publishIfChanged()
    }

    /// Renders a plan; the file it reads stays open until the response ends. Inlined into
    /// `respond`, so the plan is never materialised (callgrind: 130 instructions per request).
    @inline(__always)
    private func render(
        _ plan: ResponsePlan, _ request: RequestHead, _ context: ResponseContext,
        _ exchange: inout Exchange, _ transfer: inout Transfer
    ) {
        switch plan {
        case .whole(let representation, let sendBody):
            exchange.source = representation.file
            ResponseRenderer.whole(
                representation, sendBody: sendBody, context, &exchange, &transfer)
        case .partial(let representation, let span):
            exchange.source = representation.file
            ResponseRenderer.partial(representation, span, context, &exchange, &transfer)
        case .multipart(let representation, let spans):
            exchange.source = representation.file
            ResponseRenderer.multipart(representation, spans, context, &exchange, &transfer)
        case .notModified(let representation):
            ResponseRenderer.notModified(representation, context, &exchange, &transfer)
        case .refused(let status, let extraLines):
            fail(status, request, context, &exchange, &transfer, extra: extraLines)
        }
    }

    /// The representation of the lookup path in `exchange.path` (the store counts cache hits
    /// and misses).
    @inline(__always)
    private func lookup(
        _ decoded: DecodedPath, _ exchange: inout Exchange, _ context: ResponseContext,
        wantsVariants: Bool
    ) -> ResolvedTarget {
        store.resolve(
            decoded, path: &exchange.path, now: context.seconds, clock: clock,
            wantsVariants: wantsVariants)
    }

    /// An error of the files stage: with the status's `--error-page` when one is configured
    /// and its file can be opened now (behaviour §4.6), else the plain-text body.
    private func fail(
        _ status: Status, _ request: RequestHead, _ context: ResponseContext,
        _ exchange: inout Exchange, _ transfer: inout Transfer, extra: [UInt8] = []
    ) {
        if let page = store.settings.errorPages[status] {
            page.copyPath(into: &exchange.path)
            if case .representation(let body) = lookup(
                page.decoded, &exchange, context, wantsVariants: false)
            {
                exchange.source = body.file
                return ResponseRenderer.errorPage(
                    status, body, sendBody: request.method == .get, context, &exchange, &transfer,
                    extra: extra)
            }
        }
        ResponseRenderer.error(
            status, method: request.method, context, &exchange, &transfer, extra: extra)
    }
}
