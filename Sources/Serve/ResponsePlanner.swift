import HTTP1
import Semantics

/// The chain a representation's response passes through, as nginx's static → not_modified →
/// range filters: negotiation picks the variant, the preconditions may end it (RFC 9110
/// §13.2.2), then If-Range and Range shape the body (§13.1.5, §14). Pure: request fields and
/// validators in, a plan out.
enum ResponsePlanner {
    /// The plan for `request` on `resource` at wall-clock `now` (inlined into its one caller).
    @inline(__always)
    static func plan(
        _ resource: Representation, _ request: RequestHead, _ bytes: UnsafeRawBufferPointer,
        maxRanges: Int, now: Int64
    ) -> ResponsePlan {
        let representation = negotiate(resource, request, bytes)
        switch evaluatePreconditions(representation, request, bytes, now) {
        case .proceed: break
        case .notModified: return .notModified(representation)
        case .preconditionFailed:
            return .refused(.preconditionFailed, extraLines: representation.varyLine)
        }
        let isGet = request.method == .get
        guard isGet, let range = request.range, ifRangeHolds(representation, request, bytes) else {
            return .whole(representation, sendBody: isGet)
        }
        switch ByteRangeRequest.resolve(
            UnsafeRawBufferPointer(rebasing: bytes[range]), length: representation.size,
            maxRanges: maxRanges)
        {
        case .whole:
            return .whole(representation, sendBody: true)
        case .single(let offset, let length):
            return .partial(representation, ByteSpan(offset: offset, length: length))
        case .multiple(let spans) where representation.size <= MultipartPlan.maxRepresentationLength:
            return .multipart(representation, spans)
        case .multiple:
            // A multipart Content-Length could overflow: send it all (RFC 9110 §14.2 allows).
            return .whole(representation, sendBody: true)
        case .unsatisfiable:
            return .refused(
                .rangeNotSatisfiable,
                extraLines: ResponseRenderer.unsatisfiedRangeLines(representation))
        }
    }

    /// The representation to send: a precompressed variant when Accept-Encoding prefers one
    /// (RFC 9110 §12.5.3), else the file itself (also when every coding is refused: behaviour §4.3
    /// serves identity rather than 406).
    private static func negotiate(
        _ resource: Representation, _ request: RequestHead, _ bytes: UnsafeRawBufferPointer
    ) -> Representation {
        guard !resource.variants.isEmpty, let first = request.acceptEncoding.first else {
            return resource
        }
        let field = FieldValueList(base: bytes, first: first, more: request.acceptEncoding.more)
        let coding =
            ContentCoding.choose(acceptEncoding: field, available: resource.availableCodings)
        return resource.variant(coding ?? .identity)
    }

    /// RFC 9110 §13.2.2 over the request's conditional fields.
    private static func evaluatePreconditions(
        _ representation: Representation, _ request: RequestHead, _ bytes: UnsafeRawBufferPointer,
        _ now: Int64
    ) -> PreconditionOutcome {
        func list(_ lines: FieldLines) -> FieldValueList? {
            lines.first.map { FieldValueList(base: bytes, first: $0, more: lines.more) }
        }
        func date(_ span: Range<Int>?) -> Int64? {
            span.flatMap { HTTPDate.parse(UnsafeRawBufferPointer(rebasing: bytes[$0])) }
        }
        return Preconditions.evaluate(
            ifMatch: list(request.ifMatch), ifUnmodifiedSince: date(request.ifUnmodifiedSince),
            ifNoneMatch: list(request.ifNoneMatch), ifModifiedSince: date(request.ifModifiedSince),
            validators: representation.validators, now: now)
    }

    /// If-Range (RFC 9110 §13.1.5): true when absent or when it matches.
    private static func ifRangeHolds(
        _ representation: Representation, _ request: RequestHead, _ bytes: UnsafeRawBufferPointer
    ) -> Bool {
        guard let ifRange = request.ifRange else { return true }
        return Preconditions.ifRangeAllowsPartial(
            value: UnsafeRawBufferPointer(rebasing: bytes[ifRange]),
            validators: representation.validators, parseDate: HTTPDate.parse)
    }
}
