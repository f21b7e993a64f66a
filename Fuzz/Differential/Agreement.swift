import FuzzSupport
import HTTP1
import LLHTTPOracle

/// The checks on a head that both parsers accepted: they must agree on every part llhttp
/// reports, unless `Divergence` lists the difference.
enum Agreement {
    /// Checks our `head` against llhttp's `theirs`, both parsed from `input`.
    static func check(
        _ head: RequestHead, _ lines: HeadLines, _ theirs: LLHTTPHead,
        in input: UnsafeRawBufferPointer
    ) {
        func same(_ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
            input[lhs].elementsEqual(input[rhs])
        }
        FuzzCheck.require(same(head.methodName, theirs.method), "method differs")
        FuzzCheck.require(
            same(lines.target, theirs.target),
            "target \(describe(input[lines.target])) vs \(describe(input[theirs.target]))")
        let version: HTTPVersion? =
            switch (theirs.major, theirs.minor) {
            case (1, 0): .http10
            case (1, 1): .http11
            default: nil
            }
        FuzzCheck.require(version == head.version, "version \(theirs.major).\(theirs.minor)")
        checkFields(lines, theirs, in: input)
        FuzzCheck.require(
            head.contentLength.map { UInt64($0) } == theirs.contentLength,
            "Content-Length \(String(describing: head.contentLength)) vs \(String(describing: theirs.contentLength))"
        )
        FuzzCheck.require(
            (head.transferEncoding == .chunked) == theirs.chunked
                && theirs.hasTransferEncoding == theirs.chunked,
            "Transfer-Encoding framing differs")
        FuzzCheck.require(
            head.length == theirs.length, "head ends at \(head.length) vs \(theirs.length)")
        if head.keepAlive != theirs.keepAlive {
            // We close where llhttp keeps open on a `close` option it missed; we keep open where
            // llhttp closes only on an HTTP/1.0 `keep-alive` option that it missed before an HTAB.
            let explained =
                head.keepAlive
                ? head.connectionKeepAlive && hasTab(inConnectionOf: lines, in: input)
                : head.connectionClose
            FuzzCheck.require(explained, "keep-alive \(head.keepAlive) vs \(theirs.keepAlive)")
            Divergence.connectionClose.note()
        }
    }

    /// Whether a `Connection` line has an HTAB between its colon and its CR.
    private static func hasTab(
        inConnectionOf lines: HeadLines, in input: UnsafeRawBufferPointer
    ) -> Bool {
        lines.fields.contains { field in
            ASCII.equalsIgnoringCase(ASCII.slice(input, field.name), "connection")
                && HeadLines.hasTab(field, in: input)
        }
    }

    /// The field lines must be the same names and values in the same order; llhttp's value
    /// keeps the whitespace after it, which is not part of the value (RFC 9112 §5.1).
    private static func checkFields(
        _ lines: HeadLines, _ theirs: LLHTTPHead, in input: UnsafeRawBufferPointer
    ) {
        FuzzCheck.require(
            lines.fields.count == theirs.fields.count,
            "\(lines.fields.count) field lines vs \(theirs.fields.count)")
        for (ours, other) in zip(lines.fields, theirs.fields) {
            FuzzCheck.require(
                input[ours.name].elementsEqual(input[other.name]),
                "field name \(describe(input[ours.name])) vs \(describe(input[other.name]))")
            let value = HeadLines.trimmed(other.value, in: input)
            FuzzCheck.require(
                input[ours.value].elementsEqual(input[value]),
                "field value \(describe(input[ours.value])) vs \(describe(input[value]))")
        }
    }

    /// `bytes` as an escaped string, for a failure message.
    private static func describe(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        String(decoding: bytes, as: UTF8.self).debugDescription
    }
}
