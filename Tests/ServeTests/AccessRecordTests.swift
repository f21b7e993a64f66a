import HTTP1
import Loop
import Serve
import TestSupport
import Testing

/// Access log lines (behaviour §7.1): what a client sends cannot forge a line.
@Suite("AccessRecord")
struct AccessRecordTests {
    @Test func lineOfAParsedRequest() throws {
        let request = "GET /a%20b?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"
        let line = try ByteSpans.with(request) { bytes in
            guard case .complete(let head) = RequestParser(limits: ParserLimits()).parse(bytes)
            else { throw ParseFailure() }
            return AccessRecord(head, bytes).line(
                status: .ok, bytes: 42, ending: .complete, closing: .peerClosed)
        }
        #expect(line.hasPrefix("GET /a%20b?q=1 200 bytes=42 us="))
        #expect(line.hasSuffix(" end=ok close=peer_closed"))
    }

    @Test func rejectedBytesAreEscaped() {
        let line = ByteSpans.with("BAD\u{1b}[2J /x\\y HTTP/1.1\r\nmore") {
            AccessRecord(rejected: $0).line(
                status: .badRequest, bytes: 0, ending: .complete, closing: .response)
        }
        #expect(line.hasPrefix("- BAD\\x1b[2J\\x20/x\\x5cy\\x20HTTP/1.1 400 "))
        #expect(!line.contains("\u{1b}"))
        #expect(line.hasSuffix("close=response"))
    }

    @Test func emptyRejectionIsADash() {
        let line = ByteSpans.with("\r\n") {
            AccessRecord(rejected: $0).line(
                status: .requestTimeout, bytes: 0, ending: .complete, closing: nil)
        }
        #expect(line.hasPrefix("- - 408 "))
        #expect(line.hasSuffix("close=-"))
    }

    struct ParseFailure: Error {}
}
