import Testing

/// Persistent connections and pipelining (RFC 9112 §9).
@Suite("Keep-alive and pipelining")
struct KeepAliveTests {
    /// behaviour §2.6: twenty requests in one write (GET, HEAD, ranges, 404s, a redirect) are
    /// answered in order, each byte-exact, on the same connection.
    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let site = try TempSite()
        let small = try site.write("a.txt", text: "alpha\n")
        let big = try site.writeRandom("b.bin", count: 300_000, seed: 3)
        let page = try site.write("c.html", text: "<p>c</p>\n")
        try site.makeDirectory("dir")
        let served = try SupervisedSidecar(site)

        typealias Expected = (
            method: String, target: String, fields: [String], status: Int,
            body: [UInt8]?
        )
        let plan: [Expected] = [
            ("GET", "/a.txt", [], 200, small),
            ("HEAD", "/b.bin", [], 200, []),
            ("GET", "/b.bin", ["Range: bytes=100-199"], 206, Array(big[100...199])),
            ("GET", "/missing", [], 404, nil),
            ("GET", "/c.html", [], 200, page),
            ("GET", "/b.bin", [], 200, big),
            ("HEAD", "/missing", [], 404, []),
            ("GET", "/a.txt", ["Range: bytes=-3"], 206, Array(small.suffix(3))),
            ("GET", "/dir", [], 301, nil),
            ("GET", "/b.bin", ["Range: bytes=299990-"], 206, Array(big[299_990...])),
            ("HEAD", "/a.txt", [], 200, []),
            ("GET", "/nope/x.js", [], 404, nil),
            ("GET", "/c.html?v=2", [], 200, page),
            ("GET", "/b.bin", ["Range: bytes=0-0"], 206, [big[0]]),
            ("GET", "/a.txt", [], 200, small),
            ("HEAD", "/c.html", [], 200, []),
            ("GET", "/b.bin", ["Range: bytes=300000-"], 416, nil),
            ("GET", "/missing2", [], 404, nil),
            ("GET", "/b.bin", [], 200, big),
            ("GET", "/a.txt", [], 200, small),
        ]
        #expect(plan.count == 20)
        let client = try served.connect()
        let bytes = plan.map { UnixHTTPClient.request($0.method, $0.target, $0.fields) }.joined()
        try client.send(bytes)
        let responses = try client.readResponses(methods: plan.map(\.method))
        for (index, (expected, response)) in zip(plan, responses).enumerated() {
            let label = "#\(index) \(expected.method) \(expected.target)"
            #expect(response.status == expected.status, "\(label)")
            if let body = expected.body {
                #expect(response.body == body, "\(label)")
            }
            #expect(response.header("Connection") == nil, "\(label)")
        }
        // Still open and in sync afterwards.
        #expect(try client.get("/a.txt").body == small)
    }

    /// behaviour §2.6: HTTP/1.1 keeps the connection open by default.
    @Test func http11KeepsAliveByDefault() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "a\n")
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        for _ in 0..<5 {
            let response = try client.get("/a.txt")
            #expect(response.status == 200)
            #expect(response.body == body)
            #expect(response.header("Connection") == nil)
        }
    }

    /// behaviour §2.6: an HTTP/1.0 request without `Connection: keep-alive` is answered and the
    /// connection closed.
    @Test func http10ClosesByDefault() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "a\n")
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        try client.send("GET /a.txt HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body == body)
        #expect(try client.readUntilClosed().isEmpty)
    }

    /// behaviour §2.6: HTTP/1.0 with `Connection: keep-alive` stays open, and the response says so
    /// (an HTTP/1.0 client keeps the connection only when the response carries it).
    @Test func http10KeepAliveIsHonoured() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "a\n")
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        for _ in 0..<3 {
            try client.send("GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == body)
            #expect(response.header("Connection")?.lowercased() == "keep-alive")
        }
    }

    /// behaviour §2.6: `Connection: close` is honoured: the response says `Connection: close`, the
    /// connection reaches end-of-file, and a request pipelined behind it is not answered.
    @Test func connectionCloseIsHonoured() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "a\n")
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        try client.send(
            UnixHTTPClient.request("GET", "/a.txt", ["Connection: close"])
                + UnixHTTPClient.request("GET", "/a.txt"))
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body == body)
        #expect(response.header("Connection")?.lowercased() == "close")
        #expect(try client.readUntilClosed().isEmpty)
    }
}
