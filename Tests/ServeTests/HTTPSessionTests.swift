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
            limits: ParserLimits(), application: site.responder, stats: site.stats, accessLog: nil)
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
        #expect(reception == .respond(consumed: request.utf8.count, thenClose: false))
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test func partialHeadAsksForMore() {
        #expect(receive("GET /a.txt HTTP/1.1\r\nHo").0 == .incomplete)
    }

    @Test func fullBufferWithoutAHeadIs431AndCloses() {
        let text = "GET /a.txt HTTP/1.1\r\nX: " + String(repeating: "y", count: 100)
        let (reception, head) = receive(text, full: true)
        #expect(reception == .respond(consumed: text.utf8.count, thenClose: true))
        #expect(head.hasPrefix("HTTP/1.1 431 "))
        #expect(head.contains("Connection: close\r\n"))
    }

    @Test func malformedRequestIs400AndConsumesEverything() {
        let text = "GET /a.txt HTTP/1.1\r\nHost : x\r\n\r\nGET / HTTP/1.1\r\n\r\n"
        let (reception, head) = receive(text)
        #expect(reception == .respond(consumed: text.utf8.count, thenClose: true))
        #expect(head.hasPrefix("HTTP/1.1 400 "))
    }

    @Test func drainingClosesAfterTheResponse() {
        let draining = LoopMoment(now: 0, seconds: 2_000_000_000, draining: true)
        let (reception, head) = receive("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", moment: draining)
        #expect(reception == .respond(consumed: 32, thenClose: true))
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
