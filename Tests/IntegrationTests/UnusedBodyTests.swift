import Testing

/// behaviour §2.4, on the sidecar's own socket: a request body the sidecar does not use is
/// answered first and then read and dropped (up to `--max-discard-body`, keeping the
/// connection), or answered and followed by a lingering close (RFC 9112 §9.6). Every body
/// is itself a run of requests for `/smuggled.txt`, which must never be answered.
@Suite("Unused request bodies")
struct UnusedBodyTests {
    /// A site with `a.txt` and the file smuggled requests ask for.
    private static func site() throws -> (TempSite, [UInt8]) {
        let site = try TempSite()
        let page = try site.write("a.txt", text: "a file\n")
        try site.write("smuggled.txt", text: "SMUGGLED\n")
        return (site, page)
    }

    /// Bodies from 1 byte to the 1 MiB limit, on every method that is refused, are dropped:
    /// the answer keeps the connection, and the GET sent after each body is answered on it.
    @Test(arguments: ["POST", "PUT", "DELETE", "OPTIONS", "GET"])
    func bodiesWithinTheLimitKeepTheConnection(method: String) throws {
        let (site, page) = try Self.site()
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        for size in [1, 1000, 200_000, 1 << 20] {
            try client.send(SmugglingBody.request(method, "/a.txt", count: size))
            try client.send(UnixHTTPClient.request("GET", "/a.txt"))
            let refusal = try client.readResponse(method: method)
            #expect(refusal.status == (method == "GET" ? 413 : 405), "\(method) \(size)")
            #expect(refusal.header("Connection") == nil, "\(method) \(size)")
            let after = try client.readResponse()
            #expect(after.status == 200, "\(method) \(size)")
            #expect(after.body == page, "\(method) \(size)")
        }
    }

    /// The answer does not wait for the body: a client that waits for it (as with
    /// `Expect: 100-continue`) gets the 405 first, then sends the body, and the connection
    /// goes on after it.
    @Test func theAnswerComesBeforeTheBody() throws {
        let (site, page) = try Self.site()
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        try client.send(
            UnixHTTPClient.request(
                "POST", "/a.txt", ["Content-Length: 5000", "Expect: 100-continue"]))
        let refusal = try client.readResponse(method: "POST")
        #expect(refusal.status == 405)
        #expect(refusal.header("Connection") == nil)
        try client.send(SmugglingBody.make(count: 5000))
        let after = try client.get("/a.txt")
        #expect(after.status == 200)
        #expect(after.body == page)
    }

    /// A body above `--max-discard-body` is answered with `Connection: close`, then the
    /// sidecar lingers: the client sends the whole body without a broken pipe, reads the
    /// answer and the end of the stream, and nothing of the body is answered.
    @Test func aBodyAboveTheLimitLingers() throws {
        let (site, _) = try Self.site()
        let served = try SupervisedSidecar(site, arguments: ["--max-discard-body", "1k"])
        let client = try served.connect()
        try client.send(SmugglingBody.request("POST", "/a.txt", count: 40_000))
        try client.send(UnixHTTPClient.request("GET", "/a.txt"))
        let refusal = try client.readResponse(method: "POST")
        #expect(refusal.status == 405)
        #expect(refusal.header("Connection")?.lowercased() == "close")
        try client.send(SmugglingBody.make(count: 40_000))
        #expect(try client.readUntilClosed().isEmpty)
    }

    /// A chunked body is never decoded nor parsed: 405, `Connection: close`, a lingering
    /// close, and no answer to the requests inside it or after it.
    @Test func aChunkedBodyClosesAfterTheAnswer() throws {
        let (site, _) = try Self.site()
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        let inner = SmugglingBody.make(count: 3000)
        let chunk = Array("\(String(inner.count, radix: 16))\r\n".utf8) + inner
        try client.send(
            Array(UnixHTTPClient.request("POST", "/a.txt", ["Transfer-Encoding: chunked"]).utf8)
                + chunk + Array("\r\n0\r\n\r\n".utf8)
                + Array(UnixHTTPClient.request("GET", "/a.txt").utf8))
        let refusal = try client.readResponse(method: "POST")
        #expect(refusal.status == 405)
        #expect(refusal.header("Connection")?.lowercased() == "close")
        #expect(try client.readUntilClosed().isEmpty)
    }

    /// A head that cannot be framed (Content-Length with Transfer-Encoding) gets its 400 and
    /// a lingering close: the client, still sending a large body, is not reset, reads the 400
    /// and the end of the stream.
    @Test func aRefusedHeadLingersForTheRestOfTheRequest() throws {
        let (site, _) = try Self.site()
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        let fields = ["Content-Length: 300000", "Transfer-Encoding: chunked"]
        try client.send(UnixHTTPClient.request("POST", "/a.txt", fields))
        try client.send(SmugglingBody.make(count: 300_000))
        let refusal = try client.readResponse(method: "POST")
        #expect(refusal.status == 400)
        #expect(refusal.header("Connection")?.lowercased() == "close")
        #expect(try client.readUntilClosed().isEmpty)
    }

    /// A body that stops short of its Content-Length is answered at once, and the connection
    /// is closed once `--discard-timeout` has passed without the rest.
    @Test func aBodyThatNeverEndsIsClosedAtTheDiscardTimeout() throws {
        let (site, _) = try Self.site()
        let served = try SupervisedSidecar(site, arguments: ["--discard-timeout", "1s"])
        let client = try served.connect()
        try client.send(UnixHTTPClient.request("POST", "/a.txt", ["Content-Length: 1000"]))
        try client.send(SmugglingBody.make(count: 10))
        #expect(try client.readResponse(method: "POST").status == 405)
        #expect(try client.readUntilClosed(timeout: .seconds(15)).isEmpty)
    }

    /// behaviour §2.5: the 408 of a header timeout is followed by a lingering close, so a
    /// client still trickling its head reads the 408 and the end of the stream, and its
    /// next bytes are still taken (after a plain close they would meet a broken pipe).
    @Test func aHeaderTimeoutLingers() throws {
        let (site, _) = try Self.site()
        let served = try SupervisedSidecar(site, arguments: ["--header-timeout", "1s"])
        let client = try served.connect()
        try client.send("GET /a.txt HTTP/1.1\r\nHo")
        let timeout = try client.readResponse(timeout: .seconds(15))
        #expect(timeout.status == 408)
        #expect(try client.readUntilClosed().isEmpty)
        try client.send("st: a\r\n")
    }
}
