import HTTP1
import Serve
import Testing

/// The serving stage end to end without a socket: admission → target → files → plan → head.
@Suite("FileResponder")
struct FileResponderTests {
    static let text = Array("0123456789abcdefghij".utf8)

    func site() throws -> SiteFixture {
        try SiteFixture(files: [
            "a.txt": Self.text,
            "dir/index.html": Array("<p>index</p>".utf8),
            "app.css": Array("body{}".utf8),
            "app.css.gz": Array("GZIPPED".utf8),
            ".env": Array("secret".utf8),
        ])
    }

    @Test func wholeFileWithItsFields() throws {
        let answer = try site().get("/a.txt")
        #expect(answer.status == .ok)
        #expect(answer.body == Self.text)
        #expect(answer.field("Content-Length") == "20")
        #expect(answer.field("Content-Type") == "text/plain; charset=utf-8")
        #expect(answer.field("Accept-Ranges") == "bytes")
        #expect(answer.field("Vary") == "Accept-Encoding")
        #expect(answer.field("ETag")?.hasPrefix("\"") == true)
        #expect(answer.field("Last-Modified") != nil)
        #expect(!answer.closeAfter)
    }

    @Test func headHasTheFieldsWithoutTheBody() throws {
        let site = try site()
        let get = site.get("/a.txt")
        let head = site.head("/a.txt")
        #expect(head.body.isEmpty)
        #expect(head.head == get.head)
    }

    @Test func singleRange() throws {
        let answer = try site().get("/a.txt", "Range: bytes=2-5")
        #expect(answer.status == .partialContent)
        #expect(answer.body == Array("2345".utf8))
        #expect(answer.field("Content-Range") == "bytes 2-5/20")
        #expect(answer.field("Content-Length") == "4")
    }

    @Test func unsatisfiableRange() throws {
        let answer = try site().get("/a.txt", "Range: bytes=50-")
        #expect(answer.status == .rangeNotSatisfiable)
        #expect(answer.field("Content-Range") == "bytes */20")
        #expect(answer.field("Vary") == "Accept-Encoding")
    }

    @Test func severalRangesAreMultipart() throws {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 300)
        let answer = try SiteFixture(files: ["big.bin": big]).get(
            "/big.bin", "Range: bytes=0-1,200-201")
        #expect(answer.status == .partialContent)
        #expect(answer.field("Content-Type")?.hasPrefix("multipart/byteranges; boundary=") == true)
        #expect(answer.field("Content-Length") == String(answer.body.count))
    }

    @Test func notModifiedByETag() throws {
        let site = try site()
        let etag = try #require(site.get("/a.txt").field("ETag"))
        let answer = site.get("/a.txt", "If-None-Match: \(etag)")
        #expect(answer.status == .notModified)
        #expect(answer.body.isEmpty)
        #expect(answer.field("ETag") == etag)
        #expect(answer.field("Content-Length") == nil)
    }

    @Test func failedIfMatch() throws {
        let answer = try site().get("/a.txt", "If-Match: \"other\"")
        #expect(answer.status == .preconditionFailed)
    }

    @Test func directoryWithoutSlashRedirects() throws {
        let answer = try site().get("/dir?x=1")
        #expect(answer.status == .movedPermanently)
        #expect(answer.field("Location") == "dir/?x=1")
    }

    @Test func directoryWithSlashServesItsIndex() throws {
        let answer = try site().get("/dir/")
        #expect(answer.status == .ok)
        #expect(answer.body == Array("<p>index</p>".utf8))
        #expect(answer.field("Content-Type") == "text/html; charset=utf-8")
    }

    @Test func hiddenFilesAreNotFound() throws {
        let answer = try site().get("/.env")
        #expect(answer.status == .notFound)
        #expect(!String(decoding: answer.body, as: UTF8.self).contains("env"))
    }

    @Test func missingFileIsNotFound() throws {
        #expect(try site().get("/nope.txt").status == .notFound)
    }

    @Test func malformedTargetIsBadRequestAndCloses() throws {
        let answer = try site().get("/a%00b")
        #expect(answer.status == .badRequest)
        #expect(answer.closeAfter)
    }

    @Test func otherMethodsAreRefused() throws {
        let site = try site()
        let post = site.answer("POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        #expect(post.status == .methodNotAllowed)
        #expect(post.field("Allow") == "GET, HEAD")
        let brew = site.answer("BREW /a.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(brew.status == .notImplemented)
        #expect(brew.closeAfter)
    }

    /// behaviour §2.4: 413; whether the connection stays is the session's decision
    /// (`UnreadBody`, through `context.keepAlive`), so a keep-alive context keeps it.
    @Test func bodyOnGetIsRefused() throws {
        let answer = try site().answer(
            "GET /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n")
        #expect(answer.status == .contentTooLarge)
        #expect(!answer.closeAfter)
    }

    @Test func precompressedVariantByAcceptEncoding() throws {
        let site = try site()
        let plain = site.get("/app.css")
        let gzip = site.get("/app.css", "Accept-Encoding: gzip")
        #expect(gzip.body == Array("GZIPPED".utf8))
        #expect(gzip.field("Content-Encoding") == "gzip")
        #expect(gzip.field("Content-Type") == plain.field("Content-Type"))
        #expect(gzip.field("ETag") != plain.field("ETag"))
        #expect(plain.field("Content-Encoding") == nil)
    }

    @Test func secondRequestIsACacheHit() throws {
        let site = try site()
        _ = site.get("/a.txt")
        _ = site.get("/a.txt")
        #expect(site.stats.cacheMisses.load(ordering: .relaxed) == 1)
        #expect(site.stats.cacheHits.load(ordering: .relaxed) == 1)
    }

    @Test func cacheControlRuleByPath() throws {
        let rule = CacheControlRules.Rule(
            pattern: Array("*.txt".utf8), value: Array("no-cache".utf8))
        let site = try SiteFixture(
            files: ["a.txt": Self.text], settings: SiteFixture.settings(cacheControl: [rule]))
        #expect(site.get("/a.txt").field("Cache-Control") == "no-cache")
        #expect(site.get("/a.txt", "If-None-Match: *").field("Cache-Control") == "no-cache")
    }

    @Test func http10KeepAliveIsSaid() throws {
        let answer = try site().answer(
            "GET /a.txt HTTP/1.0\r\nHost: t\r\nConnection: keep-alive\r\n\r\n")
        #expect(answer.field("Connection") == "keep-alive")
        #expect(answer.count("Connection") == 1)
    }
}
