import Sendfile

extension Responder {
    /// Serves a representation: preconditions (RFC 9110 §13.2.2), then If-Range and Range
    /// (§13.1.5, §14), then the head and the body segments.
    func serve(
        _ resource: Representation, _ request: RequestHead, _ bytes: UnsafeRawBufferPointer,
        _ context: Context, _ exchange: inout Exchange
    ) {
        let representation = negotiate(resource, request, bytes)
        exchange.source = representation.file
        switch evaluatePreconditions(representation, request, bytes, context) {
        case .proceed: break
        case .notModified: return notModified(representation, context, &exchange)
        case .preconditionFailed:
            return error(
                .preconditionFailed, request: request, context, &exchange,
                extra: representation.varyLine)
        }
        var resolution = RangeResolution.whole
        if request.method == .get, let range = request.range,
            ifRangeHolds(representation, request, bytes)
        {
            resolution = ByteRangeRequest.resolve(
                UnsafeRawBufferPointer(rebasing: bytes[range]), length: representation.size,
                maxRanges: maxRanges)
        }
        let isGet = request.method == .get
        switch resolution {
        case .whole:
            whole(representation, sendBody: isGet, context, &exchange)
        case .single(let offset, let length):
            partial(representation, ByteSpan(offset: offset, length: length), context, &exchange)
        case .multiple(let spans)
        where representation.size <= MultipartPlan.maxRepresentationLength:
            multipart(representation, spans, context, &exchange)
        case .multiple:
            // A multipart Content-Length could overflow: send it all (RFC 9110 §14.2 allows).
            whole(representation, sendBody: isGet, context, &exchange)
        case .unsatisfiable:
            var extra: [UInt8] = []
            HeadWriter.append("Content-Range: ", into: &extra)
            ByteSpan.appendUnsatisfiedContentRange(
                completeLength: representation.size, to: &extra)
            extra.append(contentsOf: [13, 10])
            extra.append(contentsOf: representation.varyLine)
            error(.rangeNotSatisfiable, request: request, context, &exchange, extra: extra)
        }
    }

    /// The representation to send: a precompressed variant when Accept-Encoding prefers one
    /// (RFC 9110 §12.5.3), else the file itself (also when every coding is refused: SPEC §4.3
    /// serves identity rather than 406).
    private func negotiate(
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
    private func evaluatePreconditions(
        _ representation: Representation, _ request: RequestHead, _ bytes: UnsafeRawBufferPointer,
        _ context: Context
    ) -> PreconditionOutcome {
        func list(_ lines: FieldLines) -> FieldValueList? {
            lines.first.map { FieldValueList(base: bytes, first: $0, more: lines.more) }
        }
        func date(_ span: Range<Int>?) -> Int64? {
            span.flatMap { HTTPDate.parse(UnsafeRawBufferPointer(rebasing: bytes[$0])) }
        }
        if request.ifMatch.isEmpty && request.ifNoneMatch.isEmpty
            && request.ifModifiedSince == nil && request.ifUnmodifiedSince == nil
        {
            return .proceed
        }
        return Preconditions.evaluate(
            ifMatch: list(request.ifMatch), ifUnmodifiedSince: date(request.ifUnmodifiedSince),
            ifNoneMatch: list(request.ifNoneMatch), ifModifiedSince: date(request.ifModifiedSince),
            isGetOrHead: true, validators: representation.validators, now: context.seconds)
    }

    /// If-Range (RFC 9110 §13.1.5): true when absent or when it matches.
    private func ifRangeHolds(
        _ representation: Representation, _ request: RequestHead, _ bytes: UnsafeRawBufferPointer
    ) -> Bool {
        guard let ifRange = request.ifRange else { return true }
        return Preconditions.ifRangeAllowsPartial(
            value: UnsafeRawBufferPointer(rebasing: bytes[ifRange]),
            validators: representation.validators, parseDate: HTTPDate.parse)
    }

    /// Starts a head: status line and `Date`.
    private func begin(_ status: Status, _ context: Context, _ exchange: inout Exchange)
        -> [UInt8]
    {
        var head = exchange.takeHead()
        head.append(contentsOf: HeadWriter.statusLine(status))
        HeadWriter.field("Date", bytes: context.date, into: &head)
        exchange.status = status
        return head
    }

    /// 200 with the whole file (the head alone for HEAD); a small cached file goes out with the
    /// head in one write.
    private func whole(
        _ representation: Representation, sendBody: Bool, _ context: Context,
        _ exchange: inout Exchange
    ) {
        var head = begin(.ok, context, &exchange)
        head.append(contentsOf: representation.typeLines)
        head.append(contentsOf: representation.lengthLine)
        head.append(contentsOf: representation.validatorLines)
        head.append(contentsOf: representation.extraLines)
        head.append(contentsOf: representation.cachingLines)
        finishHead(&head, context, exchange.closeAfter)
        exchange.transfer.append(.bytes(head))
        exchange.head = head
        guard sendBody else { return }
        if let body = representation.body {
            exchange.transfer.append(.bytes(body))
        } else {
            exchange.transfer.append(
                .file(representation.file.descriptor, offset: 0, length: representation.size))
        }
    }

    /// 206 with one range and its exact `Content-Range` (RFC 9110 §14.4, §15.3.7.1).
    private func partial(
        _ representation: Representation, _ span: ByteSpan, _ context: Context,
        _ exchange: inout Exchange
    ) {
        var head = begin(.partialContent, context, &exchange)
        head.append(contentsOf: representation.typeLines)
        HeadWriter.field("Content-Length", decimal: span.length, into: &head)
        HeadWriter.append("Content-Range: ", into: &head)
        span.appendContentRange(completeLength: representation.size, to: &head)
        head.append(contentsOf: [13, 10])
        head.append(contentsOf: representation.validatorLines)
        head.append(contentsOf: representation.extraLines)
        head.append(contentsOf: representation.cachingLines)
        finishHead(&head, context, exchange.closeAfter)
        exchange.transfer.append(.bytes(head))
        exchange.head = head
        exchange.transfer.append(
            .file(representation.file.descriptor, offset: span.offset, length: span.length))
    }

    /// 206 `multipart/byteranges` (RFC 9110 §14.6): part headers in memory, file bytes still
    /// sent zero-copy, and the exact `Content-Length` known before the first byte.
    private func multipart(
        _ representation: Representation, _ spans: [ByteSpan], _ context: Context,
        _ exchange: inout Exchange
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
        finishHead(&head, context, exchange.closeAfter)
        exchange.transfer.append(.bytes(head))
        exchange.head = head
        for item in plan.items {
            switch item {
            case .bytes(let bytes):
                exchange.transfer.append(.bytes(bytes))
            case .file(let span):
                exchange.transfer.append(
                    .file(representation.file.descriptor, offset: span.offset, length: span.length))
            }
        }
    }

    /// 304 (RFC 9110 §15.4.5): validators and caching fields, `Date`, no body.
    private func notModified(
        _ representation: Representation, _ context: Context, _ exchange: inout Exchange
    ) {
        var head = begin(.notModified, context, &exchange)
        head.append(contentsOf: representation.validatorLines)
        head.append(contentsOf: representation.cachingLines)
        finishHead(&head, context, exchange.closeAfter)
        exchange.transfer.append(.bytes(head))
        exchange.head = head
    }
}
