import HTTP1
import Testing

@testable import Semantics

/// The exact shape of `multipart/byteranges` bodies (behaviour §5.4, RFC 9110 §14.6, §15.3.7.2,
/// RFC 2046 §5.1.1).
@Suite("Multipart plan")
struct MultipartPlanTests {
    static func text(_ item: MultipartItem) -> String {
        switch item {
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        case .file(let span): "<\(span.offset)+\(span.length)>"
        }
    }

    /// behaviour §5.4 each part's Content-Type and Content-Range (RFC 9110 §15.3.7.2); §14.6 layout;
    /// RFC 2046 §5.1.1 CRLF belongs to the following delimiter, close delimiter `--B--`.
    @Test("two parts are framed exactly and Content-Length is exact")
    func twoParts() {
        let plan = MultipartPlan.make(
            spans: [ByteSpan(offset: 0, length: 10), ByteSpan(offset: 500, length: 20)],
            representationLength: 1000, contentType: Array("text/html; charset=utf-8".utf8),
            boundary: Array("B0UND".utf8))
        let rendered = plan.items.map(Self.text)
        #expect(
            rendered == [
                "--B0UND\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + "Content-Range: bytes 0-9/1000\r\n\r\n",
                "<0+10>",
                "\r\n--B0UND\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + "Content-Range: bytes 500-519/1000\r\n\r\n",
                "<500+20>",
                "\r\n--B0UND--\r\n",
            ])
        let framing = rendered.filter { !$0.hasPrefix("<") }.reduce(0) { $0 + $1.utf8.count }
        #expect(plan.contentLength == Int64(framing) + 30)
    }

    /// RFC 9110 §15.3.7.2: Content-Type in each part only when a 200 would have carried one.
    @Test("an empty content type leaves the Content-Type line out")
    func noContentType() {
        let plan = MultipartPlan.make(
            spans: [ByteSpan(offset: 4_294_967_296, length: 1)], representationLength: 5 << 30,
            contentType: [], boundary: Array("x".utf8))
        #expect(
            plan.items.map(Self.text) == [
                "--x\r\nContent-Range: bytes 4294967296-4294967296/5368709120\r\n\r\n",
                "<4294967296+1>",
                "\r\n--x--\r\n",
            ])
        #expect(plan.contentLength == plan.items.reduce(0) { $0 + $1.count })
    }

    /// RFC 2046 §5.1.1: 1–70 bchars; hexadecimal is safe unquoted in the parameter.
    @Test("boundaries are 32 hex digits, deterministic per seed, and differ between seeds")
    func boundaries() {
        var seen = Set<[UInt8]>()
        for seed in UInt64(0)..<1000 {
            let boundary = MultipartPlan.boundary(seed: seed)
            #expect(boundary.count == 32)
            #expect(
                boundary.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            #expect(boundary == MultipartPlan.boundary(seed: seed))
            seen.insert(boundary)
        }
        #expect(seen.count == 1000)
    }

    /// RFC 9110 §14.6: `multipart/byteranges; boundary=…`.
    @Test("the response Content-Type names the boundary")
    func responseContentType() {
        let value = MultipartPlan.contentType(boundary: Array("abc123".utf8))
        #expect(String(decoding: value, as: UTF8.self) == "multipart/byteranges; boundary=abc123")
    }
}
