import FuzzSupport
import HTTP1

/// The properties every complete head must have, checked against the bytes it was parsed from.
enum HeadInvariants {
    /// Checks `head`, parsed from `input`: its length, its spans, and the fields derived from
    /// the bytes they span.
    static func check(_ head: RequestHead, in input: UnsafeRawBufferPointer) {
        let length = head.length
        FuzzCheck.require(length >= 16 && length <= input.count, "length \(length)")
        let end = UnsafeRawBufferPointer(rebasing: input[(length - 4)..<length])
        FuzzCheck.require(end.elementsEqual([13, 10, 13, 10]), "head does not end in CRLF CRLF")

        var spans = [head.methodName, head.path]
        spans += [head.query, head.host, head.range].compactMap { $0 }
        spans += [head.ifModifiedSince, head.ifUnmodifiedSince, head.ifRange].compactMap { $0 }
        spans += Array(head.ifMatch) + Array(head.ifNoneMatch) + Array(head.acceptEncoding)
        for span in spans {
            FuzzCheck.require(
                span.lowerBound >= 0 && span.upperBound <= length, "span \(span) outside head")
        }

        let methodName = UnsafeRawBufferPointer(rebasing: input[head.methodName])
        FuzzCheck.require(!methodName.isEmpty, "empty method")
        FuzzCheck.require(Method(token: methodName) == head.method, "method mismatch")
        if head.method == .get || head.method == .head {
            FuzzCheck.require(
                !head.path.isEmpty && input[head.path.lowerBound] == UInt8(ascii: "/"),
                "GET/HEAD path does not start with /")
        }
        for byte in input[head.path] {
            FuzzCheck.require(
                byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "?"), "byte \(byte) in path")
        }
        FuzzCheck.require((head.contentLength ?? 0) >= 0, "negative Content-Length")
        FuzzCheck.require(head.host != nil || head.version == .http10, "HTTP/1.1 without Host")

        let values = [head.host, head.range, head.ifModifiedSince, head.ifUnmodifiedSince]
        for value in (values + [head.ifRange]).compactMap({ $0 }) {
            checkTrimmed(value, in: input)
        }
        for value in Array(head.ifMatch) + Array(head.ifNoneMatch) + Array(head.acceptEncoding) {
            checkTrimmed(value, in: input)
        }
    }

    /// Checks that a field value has no whitespace or line end at either end.
    private static func checkTrimmed(_ value: Range<Int>, in input: UnsafeRawBufferPointer) {
        guard let first = value.first, let last = value.last else { return }
        for byte in [input[first], input[last]] {
            FuzzCheck.require(
                byte != 0x20 && byte != 0x09 && byte != 0x0D && byte != 0x0A,
                "untrimmed field value \(value)")
        }
    }
}
