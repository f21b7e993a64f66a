import Testing

/// `--header 'PATTERN=Name: value'` (behaviour §4.5): fields by path on 200, 206 and 304 — whole,
/// ranged, multipart, revalidated, HEAD and precompressed responses alike — first matching
/// pattern wins with all its fields, each sent once, and never on an error or redirect.
@Suite("--header")
struct HeaderRuleTests {
    static let arguments = [
        "--header", "/index.html=Link: </app.css>; rel=preload; as=style",
        "--header", "*.html=X-Content-Type-Options: nosniff",
        "--header", "*.html=Referrer-Policy: same-origin",
        "--header", "*.woff2=Access-Control-Allow-Origin: *",
    ]

    /// The recipe's three uses: CORS for fonts, a security set for HTML, `Link` preload for the
    /// entry page (which, matching `/index.html` first, gets only that).
    @Test func fieldsByFirstMatchingPattern() throws {
        let site = try TempSite()
        let font = try site.writeRandom("fonts/a.woff2", count: 3000)
        try site.write("index.html", text: "<p>index</p>\n")
        try site.write("page.html", text: "<p>page</p>\n")
        try site.write("app.js", text: "js\n")
        let sidecar = try SupervisedSidecar(site, arguments: Self.arguments)
        try sidecar.start()

        let fontResponse = try sidecar.get("/fonts/a.woff2")
        #expect(fontResponse.status == 200)
        #expect(fontResponse.body == font)
        #expect(fontResponse.headers(named: "Access-Control-Allow-Origin") == ["*"])
        #expect(fontResponse.header("X-Content-Type-Options") == nil)

        let index = try sidecar.get("/index.html")
        #expect(index.headers(named: "Link") == ["</app.css>; rel=preload; as=style"])
        #expect(index.header("X-Content-Type-Options") == nil, "first match only")

        let page = try sidecar.get("/page.html")
        #expect(page.headers(named: "X-Content-Type-Options") == ["nosniff"])
        #expect(page.headers(named: "Referrer-Policy") == ["same-origin"])
        #expect(page.header("Link") == nil)

        let script = try sidecar.get("/app.js")
        for name in [
            "Link", "X-Content-Type-Options", "Referrer-Policy", "Access-Control-Allow-Origin",
        ] {
            #expect(script.header(name) == nil, "\(name) on app.js")
        }
        for (name, response) in [("font", fontResponse), ("index", index), ("page", page)] {
            ResponseFieldChecks.expectNoRepeatedField(response, name)
        }
    }

    /// behaviour §4.5: 206 (one range and multipart), 304, HEAD and a precompressed variant carry
    /// the fields too, each once.
    @Test func everySuccessfulKindCarriesTheFields() throws {
        let site = try TempSite()
        try site.writeRandom("fonts/a.woff2", count: 3000)
        try site.writeRandom("fonts/a.woff2.gz", count: 200, seed: 2)
        let sidecar = try SupervisedSidecar(site, arguments: Self.arguments)
        try sidecar.start()
        let whole = try sidecar.get("/fonts/a.woff2")
        let etag = try #require(whole.header("ETag"))
        let responses: [(String, HTTPResponse, Int)] = [
            ("range", try sidecar.get("/fonts/a.woff2", ["Range: bytes=0-9"]), 206),
            ("multipart", try sidecar.get("/fonts/a.woff2", ["Range: bytes=0-9,20-29"]), 206),
            ("304", try sidecar.get("/fonts/a.woff2", ["If-None-Match: \(etag)"]), 304),
            ("HEAD", try sidecar.get("/fonts/a.woff2", method: "HEAD"), 200),
            ("gzip", try sidecar.get("/fonts/a.woff2", ["Accept-Encoding: gzip"]), 200),
        ]
        for (name, response, status) in responses {
            #expect(response.status == status, "\(name)")
            #expect(response.headers(named: "Access-Control-Allow-Origin") == ["*"], "\(name)")
            ResponseFieldChecks.expectNoRepeatedField(response, name)
        }
        #expect(responses[4].1.header("Content-Encoding") == "gzip")
    }

    /// behaviour §4.5: a pattern matching everything still adds nothing to 301, 400, 404, 405,
    /// 412 or 416 — and none of them names the root.
    @Test func neverOnErrorsOrRedirects() throws {
        let site = try TempSite()
        try site.write("a.txt", text: "a\n")
        try site.makeDirectory("dir")
        let sidecar = try SupervisedSidecar(site, arguments: ["--header", "**=X-Everywhere: 1"])
        try sidecar.start()
        #expect(try sidecar.get("/a.txt").header("X-Everywhere") == "1")
        let refused: [(String, HTTPResponse, Int)] = [
            ("redirect", try sidecar.get("/dir"), 301),
            ("malformed", try sidecar.get("/a%zz.txt"), 400),
            ("missing", try sidecar.get("/missing.txt"), 404),
            ("hidden", try sidecar.get("/.env"), 404),
            ("POST", try sidecar.get("/a.txt", ["Content-Length: 0"], method: "POST"), 405),
            ("If-Match", try sidecar.get("/a.txt", ["If-Match: \"nope\""]), 412),
            ("range", try sidecar.get("/a.txt", ["Range: bytes=50-60"]), 416),
        ]
        for (name, response, status) in refused {
            #expect(response.status == status, "\(name)")
            #expect(response.header("X-Everywhere") == nil, "\(name) got the operator field")
            ResponseFieldChecks.expectNoPath(response, site.root, name)
        }
    }
}
