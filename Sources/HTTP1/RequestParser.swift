/// A strict HTTP/1.1 request-head parser (RFC 9112 §2–§7, behaviour §2.3–§2.5).
///
/// It keeps no state between calls: give it the whole buffer again when more bytes arrive. It
/// does not allocate unless a list field (`If-Match`, `If-None-Match`, `Accept-Encoding`) is
/// repeated. The rules it enforces, beyond the grammar:
/// - lines end in CRLF only; a bare CR or LF, obs-fold, and whitespace before a field's colon
///   are malformed;
/// - up to `HeadScanner.maxLeadingEmptyLines` empty lines before the request line are skipped;
/// - the target is origin-form or absolute-form (`http`/`https`); `*` and authority-form are
///   accepted, with an empty `RequestHead.path`, only for methods other than GET and HEAD;
/// - HTTP/1.1 needs exactly one valid `Host`; HTTP/1.0 may have none;
/// - `Content-Length` and `Transfer-Encoding` are judged as RFC 9112 §6 requires, and the only
///   transfer coding accepted is a lone `chunked`.
public struct RequestParser: Sendable {
    public var limits: ParserLimits

    public init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
    }

    /// Parses the head at the start of `buffer` (which may hold a partial head, or a head
    /// followed by pipelined bytes) into `head`, in place: the serving path keeps one head per
    /// connection and never copies it (callgrind: returning the head by value cost about 700
    /// instructions per request in copies, retains and releases).
    ///
    /// Each call scans the buffer from its start. A caller that reads a head in many small
    /// pieces may skip parsing until the new bytes contain an LF or the buffer reaches a limit:
    /// a head cannot complete before then, and any error is still found then.
    public func parse(_ buffer: UnsafeRawBufferPointer, into head: inout RequestHead)
        -> ParseOutcome
    {
        guard let bytes = buffer.baseAddress, !buffer.isEmpty else {
            head.clear()
            return .incomplete
        }
        return ByteClass.table.withUnsafeBufferPointer { table in
            let bytes = HeadBytes(base: bytes, count: buffer.count, classes: table.baseAddress!)
            return HeadScanner(bytes: bytes, limits: limits).scan(into: &head)
        }
    }

    /// Parses the head at the start of `buffer` into a new head (tests and tools; the server
    /// parses in place).
    public func parse(_ buffer: UnsafeRawBufferPointer) -> ParseResult {
        var head = RequestHead()
        switch parse(buffer, into: &head) {
        case .incomplete: return .incomplete
        case .complete: return .complete(head)
        case .failed(let error): return .failed(error)
        }
    }
}
