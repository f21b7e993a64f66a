import Testing

/// `--fallback /index.html` (behaviour §4.6): a missing extensionless path gets the fallback file
/// with 200, its own validators and `Cache-Control: no-cache`; preconditions and ranges apply
/// to it; hidden, confinement-refused and malformed paths, missing files with an extension and
/// directory redirects keep their status.
@Suite("--fallback")
struct FallbackTests {
    static let index = "<!doctype html><p>single-page app</p>\n"

    private static func start(_ extra: [String] = []) throws -> (TempSite, SupervisedSidecar) {
        let site = try TempSite()
        try site.write("index.html", text: index)
        try site.write("app.js", text: "js\n")
        try site.makeDirectory("assets")
        try site.write(".secret/route", text: "hidden\n")
        try site.symlink("outside", to: "/etc")
        let sidecar = try SupervisedSidecar(
            site, arguments: ["--fallback", "/index.html"] + extra)
        try sidecar.start()
        return (site, sidecar)
    }

    /// The ETag without its weakness mark: a file younger than a second has a weak tag, which
    /// turns strong a moment later (behaviour §4.1), so two responses may differ in that alone.
    private static func opaque(_ response: HTTPResponse) -> String? {
        response.header("ETag").map { $0.hasPrefix("W/") ? String($0.dropFirst(2)) : $0 }
    }

    /// A client-side route gets the fallback file, 200, the fallback's own ETag and
    /// Last-Modified, `no-cache`, and HEAD the same head.
    @Test func missingRouteGetsTheFallback() throws {
        let (_, sidecar) = try Self.start()
        let direct = try sidecar.get("/index.html")
        for target in ["/settings", "/app/users/42", "/app/users/"] {
            let response = try sidecar.get(target)
            #expect(response.status == 200, "\(target)")
            #expect(response.text == Self.index, "\(target)")
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(Self.opaque(response) == Self.opaque(direct), "\(target): the file's ETag")
            #expect(response.header("Last-Modified") == direct.header("Last-Modified"))
            #expect(response.header("Cache-Control") == "no-cache")
            ResponseFieldChecks.expectNoRepeatedField(response, target)
        }
        let head = try sidecar.get("/settings", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == String(Self.index.utf8.count))
        #expect(Self.opaque(head) == Self.opaque(direct))
    }

    /// behaviour §4.6: conditional requests and ranges are evaluated against the fallback file.
    @Test func preconditionsAndRangesApply() throws {
        let (_, sidecar) = try Self.start()
        let etag = try #require(try sidecar.get("/route").header("ETag"))
        #expect(try sidecar.get("/route", ["If-None-Match: \(etag)"]).status == 304)
        #expect(try sidecar.get("/route", ["If-Match: \"other\""]).status == 412)
        let range = try sidecar.get("/route", ["Range: bytes=0-8"])
        #expect(range.status == 206)
        #expect(range.text == String(Self.index.prefix(9)))
        #expect(range.header("Content-Range") == "bytes 0-8/\(Self.index.utf8.count)")
        let unsatisfiable = try sidecar.get("/route", ["Range: bytes=9999-"])
        #expect(unsatisfiable.status == 416)
        #expect(unsatisfiable.header("Content-Range") == "bytes */\(Self.index.utf8.count)")
    }

    /// behaviour §4.6: what keeps its status — a missing file with an extension, a hidden path, a
    /// link out of the root, a malformed target, a directory without its slash; none names the
    /// root or serves the fallback's bytes.
    @Test func otherOutcomesKeepTheirStatus() throws {
        let (site, sidecar) = try Self.start()
        let cases: [(String, Int)] = [
            ("/missing.js", 404), ("/.secret/route", 404), ("/.secret/nothing", 404),
            ("/outside/passwd", 404), ("/outside/nothing", 404), ("/a%zzb", 400),
            ("/assets", 301),
        ]
        for (target, status) in cases {
            let response = try sidecar.get(target)
            #expect(response.status == status, "\(target): \(response.status)")
            #expect(response.text != Self.index, "\(target) got the fallback")
            ResponseFieldChecks.expectNoPath(response, site.root, target)
        }
        #expect(try sidecar.get("/app.js").text == "js\n")
    }

    /// `--fallback-extensions any`: a missing file with an extension falls back too.
    @Test func anyExtensionWidensIt() throws {
        let (_, sidecar) = try Self.start(["--fallback-extensions", "any"])
        let response = try sidecar.get("/missing.js")
        #expect(response.status == 200)
        #expect(response.text == Self.index)
        #expect(try sidecar.get("/.secret/x.js").status == 404)
    }

    /// An operator `--cache-control` rule for the fallback's path wins over `no-cache`.
    @Test func cacheControlRuleWins() throws {
        let (_, sidecar) = try Self.start(["--cache-control", "*.html=max-age=60"])
        #expect(try sidecar.get("/route").header("Cache-Control") == "max-age=60")
    }
}
