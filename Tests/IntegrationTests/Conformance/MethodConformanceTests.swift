import Testing

/// behaviour §2.1–§2.2: which methods are answered, and HEAD as GET without a body.
@Suite("Conformance: methods (behaviour §2.1–§2.2)", .conformanceSite)
struct MethodConformanceTests {
    /// behaviour §2.1: every method RFC 9110 (and RFC 5789) defines other than GET and HEAD gets 405
    /// with `Allow: GET, HEAD` (RFC 9110 §15.5.6: a 405 MUST carry Allow), also in the target
    /// forms peculiar to CONNECT (authority-form) and OPTIONS (asterisk-form); the connection
    /// stays usable.
    static let notAllowed: [ConformanceCase] =
        ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"].map { method in
            ConformanceCase(
                spec: "§2.1", rfc: "RFC 9110 §15.5.6", what: "\(method) /index.html → 405",
                method: method, target: "/index.html", status: 405,
                expect: ["Allow": "GET, HEAD", "Content-Type": "text/plain; charset=utf-8"],
                absent: ["ETag", "Last-Modified", "Connection"],
                body: .text("405 Method Not Allowed\n"))
        } + [
            ConformanceCase(
                spec: "§2.1", rfc: "RFC 9112 §3.2.3", what: "CONNECT in authority-form → 405",
                method: "CONNECT", target: "localhost:443", status: 405,
                expect: ["Allow": "GET, HEAD"], body: .text("405 Method Not Allowed\n")),
            ConformanceCase(
                spec: "§2.1", rfc: "RFC 9112 §3.2.4", what: "OPTIONS * → 405",
                method: "OPTIONS", target: "*", status: 405,
                expect: ["Allow": "GET, HEAD"], body: .text("405 Method Not Allowed\n")),
            ConformanceCase(
                spec: "§2.1", rfc: "RFC 9110 §15.5.6", what: "DELETE of a missing file → 405",
                method: "DELETE", target: "/missing", status: 405,
                expect: ["Allow": "GET, HEAD"], body: .text("405 Method Not Allowed\n")),
        ]

    @Test(arguments: notAllowed)
    func otherKnownMethodGets405(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §2.1: a method token the server does not know gets 501 (RFC 9110 §9.1: method
    /// names are case-sensitive, so `get` is unknown; §15.6.2). Documented: the connection
    /// is closed after it, as the request's framing is in doubt.
    static let notImplemented: [ConformanceCase] =
        ["BREW", "PURGE", "PROPFIND", "get", "Head", "M-SEARCH"].map { method in
            ConformanceCase(
                spec: "§2.1", rfc: "RFC 9110 §9.1, §15.6.2", what: "\(method) → 501",
                method: method, target: "/index.html", status: 501,
                expect: ["Connection": "close", "Content-Type": "text/plain; charset=utf-8"],
                absent: ["Allow"], body: .text("501 Not Implemented\n"))
        }

    @Test(arguments: notImplemented)
    func unknownMethodGets501(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §2.1, §2.4: a 405 to a request that has a body must not leave the body to be read
    /// as the next request (RFC 9112 §6.3: the body's length is known from Content-Length or
    /// chunked framing, so the server reads and discards it, or closes). The body here is
    /// itself a request for `r.bin`; the only acceptable answers after the 405 are the end of
    /// the connection or the pipelined `HEAD /probe.txt`.
    @Test(arguments: ["Content-Length", "chunked"])
    func bodyOfA405IsNeverReadAsARequest(framing: String) throws {
        let smuggled = "GET /r.bin HTTP/1.1\r\nHost: smuggled\r\n\r\n"
        let rest =
            framing == "chunked"
            ? "Transfer-Encoding: chunked\r\n\r\n"
                + String(smuggled.utf8.count, radix: 16) + "\r\n\(smuggled)\r\n0\r\n\r\n"
            : "Content-Length: \(smuggled.utf8.count)\r\n\r\n\(smuggled)"
        let site = try ConformanceSite.get()
        let client = try UnixHTTPClient(path: site.socket)
        try client.send(
            "POST /index.html HTTP/1.1\r\nHost: localhost\r\n" + rest
                + UnixHTTPClient.request("HEAD", "/probe.txt"))
        let first = try client.readResponse(method: "POST")
        #expect(first.status == 405, "\(framing)")
        #expect(first.header("Allow") == "GET, HEAD")
        if first.header("Connection")?.lowercased() == "close" {
            #expect(try client.readUntilClosed().isEmpty, "nothing after Connection: close")
            return
        }
        let next: HTTPResponse
        do {
            next = try client.readResponse(method: "HEAD", timeout: .seconds(5))
        } catch HTTPClientError.closed(let unread) {
            // Closing without saying so first is allowed too (RFC 9112 §9.6).
            #expect(unread.isEmpty, "\(framing): \(unread.count) stray bytes before the close")
            return
        }
        #expect(
            next.status == 200 && next.header("Content-Length") == "6",
            """
            \(framing): after the 405 the server answered \(next.status) \
            (Content-Length \(next.header("Content-Length") ?? "none")) instead of the \
            pipelined HEAD /probe.txt: it read the POST body as a request
            """)
    }

    /// behaviour §2.2: HEAD answers exactly the header fields (names, values, order) that GET
    /// without Range gives, except `Date`, and no body (RFC 9110 §9.3.2). The pipelined probe
    /// after each HEAD shows no body bytes followed.
    static let headTargets: [ConformanceCase] = {
        let table: [(String, [String], String)] = [
            ("/index.html", [], "a file"),
            ("/r.bin", [], "a binary file"),
            ("/empty.bin", [], "an empty file"),
            ("/", [], "the root's index"),
            ("/dir/", [], "a directory index"),
            ("/dir", [], "a directory redirect (301)"),
            ("/dir?x=1", [], "a directory redirect with a query"),
            ("/missing", [], "a missing file (404)"),
            ("/.env", [], "a dotfile (404)"),
            ("/enc/all.js", ["Accept-Encoding: br"], "a br variant"),
            ("/enc/all.js", [], "a resource with variants, identity"),
            ("/app.3f9a1c2b.js", [], "an immutable asset"),
            ("/r.bin", ["If-None-Match: {etag}"], "a 304"),
            ("/r.bin", ["If-Match: \"other\""], "a 412"),
            ("/types/f.unknownext", [], "an unknown type"),
        ]
        return table.map { target, fields, what in
            ConformanceCase(
                spec: "§2.2", rfc: "RFC 9110 §9.3.2", what: "HEAD \(target) = GET: \(what)",
                method: "HEAD", target: target, fields: fields, status: 0)
        }
    }()

    @Test(arguments: headTargets)
    func headHasTheFieldsOfGet(row: ConformanceCase) throws {
        let site = try ConformanceSite.get()
        let fields = try row.fields.map {
            try site.substitute($0, target: row.target, alternate: false)
        }
        let get = try site.send("GET", row.target, fields)
        let head = try site.send("HEAD", row.target, fields)
        #expect(head.status == get.status, "\(row.what)")
        #expect(head.body.isEmpty)
        let withoutDate = { (response: HTTPResponse) in
            response.headers.filter { $0.name.lowercased() != "date" }.map {
                "\($0.name): \($0.value)"
            }
        }
        #expect(withoutDate(head) == withoutDate(get), "\(row.what)")
    }

    /// behaviour §2.2, §5.2: Range is defined for GET only (RFC 9110 §14.2: a server MUST ignore
    /// Range on other methods), so HEAD with Range gets the 200 fields of GET without Range,
    /// whether the range is single, multiple or unsatisfiable.
    @Test(arguments: [
        ("/r.bin", "bytes=0-9"),
        ("/big.txt", "bytes=0-9,5000-5009"),
        ("/r.bin", "bytes=5000-"),
        ("/enc/all.js", "bytes=0-9"),
    ])
    func headIgnoresRange(target: String, range: String) throws {
        let site = try ConformanceSite.get()
        let plain = try site.send("GET", target)
        let head = try site.send("HEAD", target, ["Range: \(range)"])
        #expect(head.status == 200, "HEAD \(target) Range: \(range)")
        #expect(head.header("Content-Range") == nil)
        let withoutDate = { (response: HTTPResponse) in
            response.headers.filter { $0.name.lowercased() != "date" }.map {
                "\($0.name): \($0.value)"
            }
        }
        #expect(withoutDate(head) == withoutDate(plain), "HEAD \(target) Range: \(range)")
    }
}
