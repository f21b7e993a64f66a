import Testing

/// behaviour §4.1, §4.2, §4.4: the fields of a response (validators, Content-Type, Cache-Control)
/// and what error bodies may say.
@Suite("Conformance: response fields (behaviour §4.1, §4.2, §4.4)", .conformanceSite)
struct ResponseFieldConformanceTests {
    /// behaviour §4.2: the built-in table, `charset=utf-8` on text types, extensions matched
    /// case-insensitively, `application/octet-stream` for unknown or missing extensions
    /// (RFC 9110 §8.3).
    static let types: [ConformanceCase] =
        ConformanceLayout.contentTypes.map { ext, type in
            ConformanceCase(
                spec: "§4.2", rfc: "RFC 9110 §8.3", what: ".\(ext) → \(type)",
                target: "/types/f.\(ext)", status: 200, expect: ["Content-Type": type],
                body: .file("types/f.\(ext)"))
        } + [
            ConformanceCase(
                spec: "§4.2", rfc: "RFC 9110 §8.3", what: "no extension → octet-stream",
                target: "/types/noext", status: 200,
                expect: ["Content-Type": "application/octet-stream"]),
            ConformanceCase(
                spec: "§4.2", rfc: "RFC 9110 §8.3", what: "a dotfile's name is no extension",
                target: "/.env", alternate: true, status: 200,
                expect: ["Content-Type": "application/octet-stream"]),
            ConformanceCase(
                spec: "§4.2", rfc: "-", what: "--mime-type md=text/markdown replaces the entry",
                target: "/types/f.md", alternate: true, status: 200,
                expect: ["Content-Type": "text/markdown"]),
            ConformanceCase(
                spec: "§4.2", rfc: "-", what: "--mime-type leaves other entries alone",
                target: "/types/f.html", alternate: true, status: 200,
                expect: ["Content-Type": "text/html; charset=utf-8"]),
            ConformanceCase(
                spec: "§4.2", rfc: "RFC 9110 §15.3.7", what: "a 206 has the file's type",
                target: "/types/f.css", fields: ["Range: bytes=0-1"], status: 206,
                expect: ["Content-Type": "text/css; charset=utf-8"]),
        ]

    @Test(arguments: types)
    func contentType(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §4.1: a settled file's response: exact length, `Last-Modified` the IMF-fixdate of
    /// its mtime (RFC 9110 §8.8.2, §5.6.7), a strong ETag (§8.8.3), `Accept-Ranges: bytes`
    /// (§14.3), and the ETag derived from inode, size and mtime in nanoseconds (it is
    /// `"INODE-SIZE-MTIMENS"` in lower-case hexadecimal: checked against `stat(2)`).
    @Test(arguments: ["r.bin", "big.txt", "empty.bin", "index.html"])
    func validatorsOfASettledFile(path: String) throws {
        let site = try ConformanceSite.get()
        let response = try site.send("GET", "/" + path)
        #expect(response.status == 200)
        #expect(response.body == site.bytes(path))
        #expect(response.header("Content-Length") == String(site.bytes(path).count))
        #expect(response.header("Last-Modified") == ConformanceSite.lastModified)
        #expect(response.header("Accept-Ranges") == "bytes")
        let etag = try #require(response.header("ETag"))
        #expect(ConformanceSite.isStrong(etag), "\(etag)")
        let info = try site.fileStatus(path)
        let nanoseconds = UInt64(info.st_mtim.tv_sec) * 1_000_000_000 + UInt64(info.st_mtim.tv_nsec)
        let derived =
            "\"\(String(UInt64(info.st_ino), radix: 16))-\(String(info.st_size, radix: 16))-"
            + "\(String(nanoseconds, radix: 16))\""
        #expect(etag == derived)
    }

    /// behaviour §4.1: distinct files have distinct ETags, and the same file the same ETag on every
    /// request (RFC 9110 §8.8.3).
    @Test func etagsAreStableAndDistinct() throws {
        let site = try ConformanceSite.get()
        let paths = ["r.bin", "big.txt", "index.html", "app.js", "page.html", "probe.txt"]
        var seen: [String: String] = [:]
        for path in paths {
            let first = try site.send("GET", "/" + path).header("ETag")
            let second = try site.send("HEAD", "/" + path).header("ETag")
            #expect(first != nil && first == second, "\(path)")
            if let first {
                #expect(seen[first] == nil, "\(path) has the ETag of \(seen[first] ?? "")")
                seen[first] = path
            }
        }
    }

    /// behaviour §4.1: error and redirect bodies are short plain text (status and reason) that
    /// never name a filesystem path; the common rules check the root and `/tmp` on every
    /// response, and these rows produce each kind of error.
    static let errors: [ConformanceCase] = {
        let table: [(String, String, [String], Int, String)] = [
            ("GET", "/missing/file.txt", [], 404, "404 Not Found\n"),
            ("GET", "/.env", [], 404, "404 Not Found\n"),
            ("GET", "/noindex/", [], 404, "404 Not Found\n"),
            ("GET", "/fifo", [], 404, "404 Not Found\n"),
            ("POST", "/r.bin", [], 405, "405 Method Not Allowed\n"),
            ("BREW", "/r.bin", [], 501, "501 Not Implemented\n"),
            ("GET", "/r.bin", ["If-Match: \"x\""], 412, "412 Precondition Failed\n"),
            ("GET", "/r.bin", ["Range: bytes=5000-"], 416, "416 Range Not Satisfiable\n"),
            ("GET", "/dir", [], 301, "301 Moved Permanently\n"),
            ("GET", "/a%00b", [], 400, "400 Bad Request\n"),
            ("GET", "/a%2Fb", [], 400, "400 Bad Request\n"),
        ]
        return table.map { method, target, fields, status, body in
            ConformanceCase(
                spec: "§4.1", rfc: "RFC 9110 §15", what: "\(method) \(target) → \(status)",
                method: method, target: target, fields: fields, status: status,
                expect: ["Content-Type": "text/plain; charset=utf-8"], body: .text(body))
        }
    }()

    @Test(arguments: errors)
    func errorBodyIsShortTextWithoutPaths(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §4.4: by default, names with a content hash are `public, max-age=31536000,
    /// immutable` (RFC 9111 §5.2.2.1, RFC 8246) and other names get no Cache-Control; with
    /// `--cache-control '*.html=no-cache' --cache-control '/static/**=public, max-age=3600'`
    /// the first matching rule wins, a name no rule matches keeps the default.
    static let cacheControl: [ConformanceCase] = {
        let table: [(String, Bool, String?, String)] = [
            ("/app.3f9a1c2b.js", false, "public, max-age=31536000, immutable", "hex hash"),
            ("/index-BXk7Wq2N.js", false, "public, max-age=31536000, immutable", "Vite hash"),
            ("/static/app.3f9a1c2b.js", false, "public, max-age=31536000, immutable", "nested"),
            ("/app.js", false, nil, "no hash"),
            ("/index.html", false, nil, "no hash"),
            ("/static/page.html", false, nil, "no hash, no rules"),
            ("/page.html", true, "no-cache", "*.html rule"),
            ("/static/page.html", true, "no-cache", "*.html listed first wins over /static/**"),
            ("/static/app.js", true, "public, max-age=3600", "/static/** rule"),
            ("/static/app.3f9a1c2b.js", true, "public, max-age=3600", "a rule beats the default"),
            ("/app.3f9a1c2b.js", true, "public, max-age=31536000, immutable", "no rule: default"),
            ("/app.js", true, nil, "no rule, no hash"),
            ("/", true, "no-cache", "a directory index is matched as index.html"),
            ("/dir/", true, "no-cache", "a directory index is matched as index.html"),
        ]
        return table.map { target, alternate, value, what in
            ConformanceCase(
                spec: "§4.4", rfc: "RFC 9111 §5.2", what: "\(target): \(what)", target: target,
                alternate: alternate, status: 200,
                expect: value.map { ["Cache-Control": $0] } ?? [:],
                absent: value == nil ? ["Cache-Control"] : [])
        }
    }()

    @Test(arguments: cacheControl)
    func cacheControlByPath(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §4.4, §5.1: Cache-Control rides on 206 and 304 too (RFC 9110 §15.3.7 and
    /// §15.4.5: a 304 carries the Cache-Control a 200 would).
    static let cacheControlOnOtherStatuses: [ConformanceCase] = [
        ConformanceCase(
            spec: "§4.4 §5.1", rfc: "RFC 9110 §15.4.5", what: "304 of a hashed name",
            target: "/app.3f9a1c2b.js", fields: ["If-None-Match: {etag}"], status: 304,
            expect: ["Cache-Control": "public, max-age=31536000, immutable"], body: .empty),
        ConformanceCase(
            spec: "§4.4 §5.1", rfc: "RFC 9110 §15.4.5", what: "304 under a *.html rule",
            target: "/page.html", fields: ["If-None-Match: {etag}"], alternate: true,
            status: 304, expect: ["Cache-Control": "no-cache"], body: .empty),
        ConformanceCase(
            spec: "§4.4", rfc: "RFC 9110 §15.3.7", what: "206 of a hashed name",
            target: "/app.3f9a1c2b.js", fields: ["Range: bytes=0-3"], status: 206,
            expect: ["Cache-Control": "public, max-age=31536000, immutable"],
            body: .slice("app.3f9a1c2b.js", 0...3)),
        ConformanceCase(
            spec: "§4.4", rfc: "RFC 9110 §15.4.5", what: "304 of a plain name: none",
            target: "/app.js", fields: ["If-None-Match: {etag}"], status: 304,
            absent: ["Cache-Control"], body: .empty),
    ]

    @Test(arguments: cacheControlOnOtherStatuses)
    func cacheControlOn206And304(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }
}
