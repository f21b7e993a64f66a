import Testing

/// Slow and idle clients cannot hold connections. Each test waits for the connection to end
/// (up to 10 s, far above the 1 s configured): it asserts that it ends, not when.
@Suite("Timeouts")
struct TimeoutTests {
    /// behaviour §2.5: a client that sends part of a head and then nothing gets 408 (or nothing)
    /// and the connection is closed.
    @Test func partialHeadTimesOut() throws {
        let served = try Self.serve(["--header-timeout", "1s"])
        let client = try served.connect()
        try client.send("GET /a.txt HTTP/1.1\r\nHost: localhost\r\n")
        try Self.expectClosed(client, allowing: 408)
    }

    /// behaviour §2.5: a connection that never sends a byte is closed by the header timeout too.
    @Test func silentConnectionTimesOut() throws {
        let served = try Self.serve(["--header-timeout", "1s"])
        try served.start()
        let client = try served.connect()
        try Self.expectClosed(client, allowing: 408)
    }

    /// behaviour §2.5: trickling the head one byte at a time does not extend the header timeout
    /// (slow clients cannot hold a connection). The loop sends a byte every 50 ms for at
    /// most 10 s and stops as soon as the sidecar has closed.
    @Test func tricklingHeadStillTimesOut() throws {
        let served = try Self.serve(["--header-timeout", "1s"])
        let client = try served.connect()
        try client.send("GET /a.txt HTTP/1.1\r\n")
        var received: [UInt8] = []
        var closed = false
        for _ in 0..<200 {
            do {
                try client.send("X")
                let bytes = try client.readBytes(atMost: 65536, timeout: .milliseconds(50))
                received += bytes
                closed = bytes.isEmpty
            } catch HTTPClientError.timedOut {
                continue
            } catch {
                closed = true  // EPIPE or ECONNRESET on send: the sidecar has closed.
            }
            if closed { break }
        }
        #expect(closed, "the connection stayed open for 10 s while the head trickled in")
        if !received.isEmpty {
            let parsed = try HTTPResponseParser.parseHead(received[...])
            #expect(parsed?.0.status == 408)
        }
    }

    /// behaviour §2.5: an idle keep-alive connection is closed after `--idle-timeout`.
    @Test func idleKeepAliveConnectionIsClosed() throws {
        let served = try Self.serve(["--idle-timeout", "1s"])
        let client = try served.connect()
        let response = try client.get("/a.txt")
        #expect(response.status == 200)
        #expect(response.header("Connection") == nil)
        #expect(try client.readUntilClosed(timeout: .seconds(10)).isEmpty)
    }

    /// A site with `a.txt`, served with `arguments`.
    private static func serve(_ arguments: [String]) throws -> SupervisedSidecar {
        let site = try TempSite()
        try site.write("a.txt", text: "a\n")
        return try SupervisedSidecar(site, arguments: arguments)
    }

    /// Waits (bounded) for end-of-file; whatever arrived first must be one `status` response.
    private static func expectClosed(_ client: UnixHTTPClient, allowing status: Int) throws {
        let bytes = try client.readUntilClosed(timeout: .seconds(10))
        if !bytes.isEmpty {
            let parsed = try HTTPResponseParser.parseHead(bytes[...])
            #expect(parsed?.0.status == status, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(parsed?.0.header("Connection")?.lowercased() == "close")
        }
    }
}
