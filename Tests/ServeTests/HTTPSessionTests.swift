import HTTP1
import Loop
import Sendfile
import Serve
import Testing

/// The HTTP/1.1 session through the loop's interface: bytes in, a reception and segments out.
@Suite("HTTPSession")
struct HTTPSessionTests {
    let site: SiteFixture
    let handler: HTTPHandler
    let moment = LoopMoment(now: 0, seconds: 2_000_000_000, draining: false)

    init() throws {
        site = try SiteFixture(files: ["a.txt": Array("hello".utf8)])
        handler = HTTPHandler(
            limits: ParserLimits(), maxDiscardBody: 1 << 20, application: site.responder,
            stats: site.stats, accessLog: nil)
    }

    func receive(_ text: String, full: Bool = false, moment: LoopMoment? = nil)
        -> (Reception, String)
    {
        let session = handler.makeSession()
        var transfer = Transfer()
        let reception = Array(text.utf8).withUnsafeBytes {
            session.receive($0, full: full, moment: moment ?? self.moment, into: &transfer)
        }
        let head = transfer.segments.first.map { segment -> String in
            guard case .bytes(let bytes) = segment else { return "" }
            return String(decoding: bytes, as: UTF8.self)
        }
        return (reception, head ?? "")
    }

    @Test func completeRequestIsAnsweredAndConsumedExactly() {
        let request = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
        let (reception, head) = receive(request + "GET /a.txt HTTP/1.1\r\n")
        #expect(reception == .respond(consumed: request.utf8.count, then: .next))
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test func partialHeadAsksForMore() {
        #expect(receive("GET /a.txt HTTP/1.1\r\nHo").0 == .incomplete)
    }

    @Test func fullBufferWithoutAHeadIs431AndCloses() {
        let text = "GET /a.txt HTTP/1.1\r\nX: " + String(repeating: "y", count: 100)
        let (reception, head) = receive(text, full: true)
        #expect(reception == .respond(consumed: text.utf8.count, then: .linger))
        #expect(head.hasPrefix("HTTP/1.1 431 "))
        #expect(head.contains("Connection: close\r\n"))
    }

    @Test func malformedRequestIs400AndConsumesEverything() {
        let text = "GET /a.txt HTTP/1.1\r\nHost : x\r\n\r\nGET / HTTP/1.1\r\n\r\n"
        let (reception, head) = receive(text)
        #expect(reception == .respond(consumed: text.utf8.count, then: .linger))
        #expect(head.hasPrefix("HTTP/1.1 400 "))
    }

    /// behaviour §2.4: a body within the discard limit is dropped after a keep-alive answer;
    /// a larger one, or any body while draining, gets `Connection: close` and a linger.
    @Test func bodiesAreDiscardedOrLingeredOver() {
        let post = "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: "
        let small = post + "10\r\n\r\n"
        let (kept, keptHead) = receive(small + "0123")
        #expect(kept == .respond(consumed: small.utf8.count, then: .discard(10)))
        #expect(keptHead.hasPrefix("HTTP/1.1 405 "))
        #expect(!keptHead.contains("Connection: close\r\n"))

        let large = post + "1048577\r\n\r\n"
        let (closed, closedHead) = receive(large)
        #expect(closed == .respond(consumed: large.utf8.count, then: .linger))
        #expect(closedHead.contains("Connection: close\r\n"))

        let draining = LoopMoment(now: 0, seconds: 2_000_000_000, draining: true)
        #expect(
            receive(small, moment: draining).0
                == .respond(consumed: small.utf8.count, then: .linger))
    }

    @Test func drainingClosesAfterTheResponse() {
        let draining = LoopMoment(now: 0, seconds: 2_000_000_000, draining: true)
        let (reception, head) = receive("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", moment: draining)
        #expect(reception == .respond(consumed: 32, then: .close))
        #expect(head.contains("Connection: close\r\n"))
    }

    @Test func headerTimeoutOwesA408() {
        let session = handler.makeSession()
        var transfer = Transfer()
        Array("GET /a".utf8).withUnsafeBytes {
            session.headerTimedOut($0, moment: moment, into: &transfer)
        }
        guard case .bytes(let bytes) = transfer.segments.first else {
            Issue.record("no 408 rendered")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 408 Request Timeout"))
        #expect(site.stats.responses(.requestTimeout) == 1)
    }
}
