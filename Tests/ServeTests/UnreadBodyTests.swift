import HTTP1
import Loop
import Testing

@testable import Serve

/// behaviour §2.4: which bodies are dropped to keep the connection, and which close it.
@Suite("Unread bodies")
struct UnreadBodyTests {
    private static let parser = RequestParser(limits: ParserLimits())

    /// The disposal of the body `fields` announce on a POST, with a 1 MiB discard limit.
    private static func body(_ fields: String, version: String = "HTTP/1.1") throws -> UnreadBody {
        let text = "POST / \(version)\r\nHost: a\r\n\(fields)\r\n"
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in
            guard case .complete(let head) = parser.parse(raw) else {
                throw ParseFailure(text: text)
            }
            return UnreadBody(head, limit: 1 << 20)
        }
    }

    /// A request that does not parse in a test that expects it to.
    private struct ParseFailure: Error {
        let text: String
    }

    @Test func noBodyMeansNoneAndTheAnswerDecidesTheConnection() throws {
        let body = try Self.body("")
        #expect(body == .none)
        #expect(body.allowsKeepAlive)
        #expect(body.after(closing: false) == .next)
        #expect(body.after(closing: true) == .close)
        #expect(try Self.body("Content-Length: 0\r\n") == .none)
    }

    /// A Content-Length body up to the limit is dropped and the connection kept; the same body
    /// under an answer that closes lingers instead (the body is still on its way).
    @Test(arguments: [1, 1024, 1 << 20])
    func lengthWithinTheLimitIsDiscarded(length: Int) throws {
        let body = try Self.body("Content-Length: \(length)\r\n")
        #expect(body == .discard(Int64(length)))
        #expect(body.allowsKeepAlive)
        #expect(body.after(closing: false) == .discard(Int64(length)))
        #expect(body.after(closing: true) == .linger)
    }

    /// Above the limit, and for a chunked body, the connection closes after a linger.
    @Test(arguments: ["Content-Length: 1048577\r\n", "Transfer-Encoding: chunked\r\n"])
    func otherBodiesLinger(fields: String) throws {
        let body = try Self.body(fields)
        #expect(body == .linger)
        #expect(!body.allowsKeepAlive)
        #expect(body.after(closing: false) == .linger)
        #expect(body.after(closing: true) == .linger)
    }
}
