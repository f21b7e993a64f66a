import Testing

/// The request rules of RFC 9112 as the sidecar enforces them, sent as raw bytes so the
/// framing is visible: methods, Host, message-body framing, malformed heads and limits.
@Suite("Request methods, framing and limits")
struct RequestFramingTests {
    /// behaviour §2.1: a method other than GET and HEAD gets 405 with `Allow: GET, HEAD`.
    @Test(arguments: ["POST", "PUT", "DELETE"])
    func otherMethodsGet405(method: String) throws {
        let (served, _) = try Self.serve()
        let response = try served.get("/a.txt", ["Content-Length: 0"], method: method)
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        #expect(response.header("Content-Length") == String(response.body.count))
    }

    /// behaviour §2.1: a method token the server does not know at all gets 501 (or 405).
    @Test func unknownMethodGets501() throws {
        let (served, _) = try Self.serve()
        let response = try served.get("/a.txt", method: "FROBNICATE")
        #expect(response.status == 501)
    }

    /// behaviour §2.4: HTTP/1.1 without Host → 400 and the connection is closed.
    @Test func http11WithoutHostGets400AndClose() throws {
        let (served, _) = try Self.serve()
        try Self.expect400AndClose(served, "GET /a.txt HTTP/1.1\r\nAccept: */*\r\n\r\n")
    }

    /// behaviour §2.4: HTTP/1.0 does not need Host.
    @Test func http10WithoutHostIsServed() throws {
        let (served, body) = try Self.serve()
        let client = try served.connect()
        try client.send("GET /a.txt HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body == body)
    }

    /// behaviour §2.4 (RFC 9112 §3.2, §5, §6.3): malformed heads get 400 and the connection is
    /// closed: two Hosts, Content-Length with Transfer-Encoding, an invalid Content-Length,
    /// a field line without a colon or with space before it, obs-fold, bare LF or bare CR
    /// line endings, a NUL in a field value.
    @Test(arguments: [
        ("duplicate Host", "GET /a.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        (
            "Content-Length and Transfer-Encoding",
            "GET /a.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n0\r\n\r\n"
        ),
        ("invalid Content-Length", "GET /a.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 5x\r\n\r\n"),
        (
            "conflicting Content-Length",
            "GET /a.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"
        ),
        ("field line without colon", "GET /a.txt HTTP/1.1\r\nHost: a\r\nNoColonHere\r\n\r\n"),
        ("space before colon", "GET /a.txt HTTP/1.1\r\nHost : a\r\n\r\n"),
        ("obs-fold", "GET /a.txt HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n"),
        ("bare LF", "GET /a.txt HTTP/1.1\nHost: a\n\n"),
        ("bare CR in the head", "GET /a.txt HTTP/1.1\r\nHost: a\rX-After: b\r\n\r\n"),
        ("bare CR after the request line", "GET /a.txt HTTP/1.1\rHost: a\r\n\r\n"),
        ("NUL in a value", "GET /a.txt HTTP/1.1\r\nHost: a\r\nX-C: a\u{00}b\r\n\r\n"),
        ("bad version", "GET /a.txt HTTP/1.x\r\nHost: a\r\n\r\n"),
        ("no target", "GET HTTP/1.1\r\nHost: a\r\n\r\n"),
    ])
    func malformedHeadGets400AndClose(what: String, request: String) throws {
        let (served, _) = try Self.serve()
        try Self.expect400AndClose(served, request, what)
    }

    /// behaviour §2.4: a GET with a body is answered 413; the body is never read as the next
    /// request. The body is itself a request for a file the test can recognise. A
    /// `Content-Length` body is dropped and the request pipelined after it is answered; a
    /// chunked one closes the connection, and nothing after it is answered.
    @Test(arguments: ["Content-Length", "Transfer-Encoding"])
    func getWithBodyIsRefusedAndBodyNeverParsed(framing: String) throws {
        let site = try TempSite()
        try site.write("a.txt", text: "a\n")
        try site.write("smuggled.txt", text: "SMUGGLED\n")
        try site.write("after.txt", text: "AFTER\n")
        let served = try SupervisedSidecar(site)
        let smuggled = UnixHTTPClient.request("GET", "/smuggled.txt")
        let body: String
        let field: String
        if framing == "Content-Length" {
            field = "Content-Length: \(smuggled.utf8.count)"
            body = smuggled
        } else {
            let hex = String(smuggled.utf8.count, radix: 16)
            field = "Transfer-Encoding: chunked"
            body = "\(hex)\r\n\(smuggled)\r\n0\r\n\r\n"
        }
        let client = try served.connect()
        try client.send(
            UnixHTTPClient.request("GET", "/a.txt", [field]) + body
                + UnixHTTPClient.request("GET", "/after.txt"))

        let response = try client.readResponse()
        #expect(response.status == 413, "status \(response.status)")
        if framing == "Content-Length" {
            #expect(response.header("Connection") == nil)
            let after = try client.readResponse()
            #expect(after.status == 200)
            #expect(after.text == "AFTER\n")
            client.shutdownWrite()
        } else {
            #expect(response.header("Connection")?.lowercased() == "close")
        }
        let rest = try client.readUntilClosed()
        let text = String(decoding: rest, as: UTF8.self)
        #expect(rest.isEmpty, "bytes after the refusal: \(text.debugDescription)")
        #expect(!text.contains("SMUGGLED") && !text.contains("AFTER"))
    }

    /// behaviour §2.5: a request line over 8 KiB gets 414; one of 7 KiB is still parsed (404).
    @Test func longRequestLineGets414() throws {
        let (served, _) = try Self.serve()
        let long = "/" + String(repeating: "a", count: 8300)
        #expect(try served.get(long).status == 414)
        let fits = "/" + String(repeating: "a", count: 7000)
        #expect(try served.get(fits).status == 404)
    }

    /// behaviour §2.5: a header section over 16 KiB gets 431; one of 15 KiB is served.
    @Test func largeHeaderSectionGets431() throws {
        let (served, body) = try Self.serve()
        let big = try served.get("/a.txt", ["X-Big: " + String(repeating: "b", count: 17_000)])
        #expect(big.status == 431)
        let spread = (0..<20).map { "X-Part-\($0): " + String(repeating: "p", count: 900) }
        #expect(try served.get("/a.txt", spread).status == 431)
        let fits = try served.get("/a.txt", ["X-Big: " + String(repeating: "b", count: 15_000)])
        #expect(fits.status == 200)
        #expect(fits.body == body)
    }

    /// behaviour §2.5: 100 header fields are allowed, 101 get 431.
    @Test func tooManyHeaderFieldsGet431() throws {
        let (served, body) = try Self.serve()
        // `request` adds Host: 99 more make 100 fields, 100 more make 101.
        let hundred = (0..<99).map { "X-F\($0): v" }
        let allowed = try served.get("/a.txt", hundred)
        #expect(allowed.status == 200)
        #expect(allowed.body == body)
        let tooMany = (0..<100).map { "X-F\($0): v" }
        #expect(try served.get("/a.txt", tooMany).status == 431)
    }

    // MARK: - Helpers

    /// A site with `a.txt`.
    private static func serve() throws -> (SupervisedSidecar, [UInt8]) {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "a file\n")
        return (try SupervisedSidecar(site), body)
    }

    /// Sends `request` raw; expects a 400 that says `Connection: close`, then end-of-file.
    static func expect400AndClose(
        _ served: SupervisedSidecar, _ request: String, _ what: String = ""
    )
        throws
    {
        let client = try served.connect()
        try client.send(request)
        let response = try client.readResponse()
        #expect(response.status == 400, "\(what)")
        #expect(response.header("Connection")?.lowercased() == "close", "\(what)")
        #expect(try client.readUntilClosed().isEmpty, "\(what)")
        #expect(!response.text.contains(served.site.root))
    }
}
