import CNIOLLHTTP

/// The oracle of the differential fuzz target: llhttp (vendored by swift-nio as CNIOLLHTTP,
/// built with `LLHTTP_STRICT_MODE` and no lenient flags), run over one buffer as a request
/// parser and paused at the end of the head.
public enum LLHTTPParser {
    /// Parses the head at the start of `buffer`.
    public static func parse(_ buffer: UnsafeRawBufferPointer) -> LLHTTPResult {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .incomplete }
        let recorder = SpanRecorder(base: base)
        var settings = llhttp_settings_t()
        c_nio_llhttp_settings_init(&settings)
        settings.on_method = { parser, at, count in
            let recorder = SpanRecorder.of(parser)
            recorder.method = recorder.extend(recorder.method, at, count)
            return 0
        }
        settings.on_url = { parser, at, count in
            let recorder = SpanRecorder.of(parser)
            recorder.target = recorder.extend(recorder.target, at, count)
            return 0
        }
        settings.on_header_field = { parser, at, count in
            let recorder = SpanRecorder.of(parser)
            recorder.name = recorder.extend(recorder.name, at, count)
            return 0
        }
        settings.on_header_value = { parser, at, count in
            let recorder = SpanRecorder.of(parser)
            recorder.value = recorder.extend(recorder.value, at, count)
            return 0
        }
        settings.on_header_value_complete = { parser in
            SpanRecorder.of(parser).endField()
            return 0
        }
        settings.on_headers_complete = { parser in
            SpanRecorder.of(parser).headersComplete = true
            return Int32(HPE_PAUSED.rawValue)
        }
        // What follows the head stops the parser too: `framingCheck` needs only the checks
        // llhttp makes between the head and the body.
        settings.on_body = { _, _, _ in Int32(HPE_PAUSED.rawValue) }
        settings.on_message_complete = { _ in Int32(HPE_PAUSED.rawValue) }
        var parser = llhttp_t()
        c_nio_llhttp_init(&parser, HTTP_REQUEST, &settings)
        return withExtendedLifetime(recorder) {
            parser.data = Unmanaged.passUnretained(recorder).toOpaque()
            let status = c_nio_llhttp_execute(&parser, base, buffer.count)
            return result(of: &parser, status: status, recorder: recorder)
        }
    }

    /// Lets llhttp judge the framing of a head it paused after: it checks `Transfer-Encoding`
    /// only after `on_headers_complete` returns. Resumes with one byte, `0`, that is valid
    /// as the start of a chunk size or of a body, and is never read when no body follows (the
    /// message is complete first); returns the error, if llhttp found one.
    private static func framingCheck(of parser: inout llhttp_t) -> llhttp_errno_t? {
        c_nio_llhttp_resume(&parser)
        var zero = UInt8(ascii: "0")
        let status = c_nio_llhttp_execute(&parser, &zero, 1)
        return status == HPE_OK || status == HPE_PAUSED ? nil : status
    }

    private static func result(
        of parser: inout llhttp_t, status: llhttp_errno_t, recorder: SpanRecorder
    ) -> LLHTTPResult {
        let base = recorder.base
        let stop = c_nio_llhttp_get_error_pos(&parser).map { UnsafeRawPointer($0) - base }
        if status == HPE_PAUSED, recorder.headersComplete {
            let length = stop ?? 0
            let flags = UInt32(parser.flags)
            let head = LLHTTPHead(
                method: recorder.method ?? 0..<0, target: recorder.target ?? 0..<0,
                major: Int(parser.http_major), minor: Int(parser.http_minor),
                fields: recorder.fields,
                contentLength: flags & F_CONTENT_LENGTH.rawValue != 0
                    ? parser.content_length : nil,
                chunked: flags & F_CHUNKED.rawValue != 0,
                hasTransferEncoding: flags & F_TRANSFER_ENCODING.rawValue != 0,
                keepAlive: c_nio_llhttp_should_keep_alive(&parser) != 0,
                length: length)
            // Read before: the check consumes a byte of any body, counting down its length.
            if let error = framingCheck(of: &parser) {
                return .rejected(rejection(of: &parser, error, at: length))
            }
            return .complete(head)
        }
        if status == HPE_OK {
            return .incomplete
        }
        return .rejected(rejection(of: &parser, status, at: stop ?? 0))
    }

    private static func rejection(
        of parser: inout llhttp_t, _ error: llhttp_errno_t, at offset: Int
    ) -> LLHTTPRejection {
        let reason = c_nio_llhttp_get_error_reason(&parser).map { String(cString: $0) } ?? ""
        return LLHTTPRejection(errno: Int32(error.rawValue), reason: reason, offset: offset)
    }
}

extension SpanRecorder {
    /// The recorder of the run `parser` belongs to.
    static func of(_ parser: UnsafeMutablePointer<llhttp_t>?) -> SpanRecorder {
        Unmanaged<SpanRecorder>.fromOpaque(parser!.pointee.data).takeUnretainedValue()
    }
}
