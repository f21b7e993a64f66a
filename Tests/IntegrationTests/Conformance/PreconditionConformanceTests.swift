import Testing

/// behaviour §5.1–§5.2: conditional requests in the order of RFC 9110 §13.2.2, and If-Range.
/// The target `/r.bin` (1000 bytes) has a strong ETag (`{etag}`) and Last-Modified
/// `Tue, 14 Nov 2023 22:13:20 GMT`.
@Suite("Conformance: preconditions (behaviour §5.1–§5.2)", .conformanceSite)
struct PreconditionConformanceTests {
    private static let lm = ConformanceSite.lastModified
    private static let before = ConformanceSite.secondBefore
    private static let after = ConformanceSite.secondAfter
    private static let future = "Fri, 01 Jan 2100 00:00:00 GMT"

    /// A row on `/r.bin`: 200 means the whole file, 304 no body, 412 the error body.
    private static func row(
        _ rfc: String, _ what: String, _ fields: [String], _ status: Int,
        method: String = "GET"
    ) -> ConformanceCase {
        var expect: [String: String] = [:]
        var absent: [String] = []
        let body: ConformanceBody
        switch status {
        case 304:
            expect = ["ETag": "{etag}", "Last-Modified": lm]
            absent = ["Content-Length", "Content-Type", "Content-Range", "Accept-Ranges"]
            body = .empty
        case 412:
            body = method == "HEAD" ? .empty : .text("412 Precondition Failed\n")
            absent = ["Content-Range"]
        case 206:
            body = .slice("r.bin", 0...9)
            expect = ["Content-Range": "bytes 0-9/1000", "ETag": "{etag}"]
        default:
            body = method == "HEAD" ? .empty : .file("r.bin")
            expect = ["ETag": "{etag}", "Content-Length": "1000"]
            absent = ["Content-Range"]
        }
        return ConformanceCase(
            spec: "§5.1", rfc: rfc, what: "\(what) → \(status)", method: method,
            target: "/r.bin", fields: fields, status: status, expect: expect, absent: absent,
            body: body)
    }

    /// RFC 9110 §13.1.1 and §13.2.2 step 1: If-Match, strong comparison.
    static let ifMatchRows: [ConformanceCase] = [
        row("RFC 9110 §13.1.1", "If-Match: current ETag", ["If-Match: {etag}"], 200),
        row("RFC 9110 §13.1.1", "If-Match: *", ["If-Match: *"], 200),
        row("RFC 9110 §13.1.1", "If-Match: another ETag", ["If-Match: \"nope\""], 412),
        row("RFC 9110 §13.1.1", "If-Match: list holding it", ["If-Match: \"a\", {etag}"], 200),
        row("RFC 9110 §13.1.1", "If-Match: list without it", ["If-Match: \"a\", \"b\""], 412),
        row(
            "RFC 9110 §5.3", "If-Match over two field lines",
            ["If-Match: \"a\"", "If-Match: {etag}"], 200),
        row(
            "RFC 9110 §8.8.3.2", "If-Match: W/ of the ETag (weak never matches)",
            ["If-Match: W/{etag}"], 412),
        row("RFC 9110 §13.1.1", "If-Match: malformed", ["If-Match: nope"], 412),
        row(
            "RFC 9110 §13.1.1", "HEAD If-Match: another", ["If-Match: \"nope\""], 412,
            method: "HEAD"),
        row(
            "RFC 9110 §13.2.2 step 1", "If-Match fails, If-None-Match would 304",
            ["If-Match: \"nope\"", "If-None-Match: {etag}"], 412),
        row(
            "RFC 9110 §13.2.2 step 1", "If-Match fails, If-Unmodified-Since would hold",
            ["If-Match: \"nope\"", "If-Unmodified-Since: \(future)"], 412),
        row(
            "RFC 9110 §13.2.2 step 2", "If-Match holds: If-Unmodified-Since not evaluated",
            ["If-Match: {etag}", "If-Unmodified-Since: \(before)"], 200),
        row(
            "RFC 9110 §13.2.2 step 3", "If-Match holds, then If-None-Match matches",
            ["If-Match: {etag}", "If-None-Match: {etag}"], 304),
        row(
            "RFC 9110 §13.2.2 step 5", "If-Match fails before Range",
            ["If-Match: \"nope\"", "Range: bytes=0-9"], 412),
    ]

    @Test(arguments: ifMatchRows)
    func ifMatchStrongComparison(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// RFC 9110 §13.1.4 and §13.2.2 step 2: If-Unmodified-Since in each HTTP-date format;
    /// an invalid date is ignored.
    static let ifUnmodifiedSinceRows: [ConformanceCase] = [
        row("RFC 9110 §13.1.4", "IUS a second before", ["If-Unmodified-Since: \(before)"], 412),
        row("RFC 9110 §13.1.4", "IUS equal", ["If-Unmodified-Since: \(lm)"], 200),
        row("RFC 9110 §13.1.4", "IUS a second after", ["If-Unmodified-Since: \(after)"], 200),
        row(
            "RFC 9110 §5.6.7", "IUS RFC 850 a second before",
            ["If-Unmodified-Since: \(ConformanceSite.secondBeforeRFC850)"], 412),
        row(
            "RFC 9110 §5.6.7", "IUS asctime a second before",
            ["If-Unmodified-Since: \(ConformanceSite.secondBeforeAsctime)"], 412),
        row("RFC 9110 §13.1.4", "IUS invalid: ignored", ["If-Unmodified-Since: yesterday"], 200),
        row(
            "RFC 9110 §13.1.4", "IUS two dates: invalid, ignored",
            ["If-Unmodified-Since: \(before), \(before)"], 200),
        row(
            "RFC 9110 §13.2.2 step 2", "HEAD IUS a second before",
            ["If-Unmodified-Since: \(before)"], 412, method: "HEAD"),
        row(
            "RFC 9110 §13.2.2 step 2", "IUS fails before If-None-Match",
            ["If-Unmodified-Since: \(before)", "If-None-Match: {etag}"], 412),
    ]

    @Test(arguments: ifUnmodifiedSinceRows)
    func ifUnmodifiedSince(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// RFC 9110 §13.1.2 and §13.2.2 step 3: If-None-Match, weak comparison; a match on GET or
    /// HEAD is 304 with ETag and Last-Modified and without Content-Length or body.
    static let ifNoneMatchRows: [ConformanceCase] = [
        row("RFC 9110 §13.1.2", "INM: current ETag", ["If-None-Match: {etag}"], 304),
        row(
            "RFC 9110 §8.8.3.2", "INM: W/ of the ETag (weak comparison)",
            ["If-None-Match: W/{etag}"], 304),
        row("RFC 9110 §13.1.2", "INM: *", ["If-None-Match: *"], 304),
        row("RFC 9110 §13.1.2", "INM: list holding it", ["If-None-Match: \"a\", {etag}"], 304),
        row(
            "RFC 9110 §13.1.2", "INM: list holding W/ of it",
            ["If-None-Match: \"a\",W/{etag} , \"b\""], 304),
        row(
            "RFC 9110 §5.3", "INM over several field lines",
            ["If-None-Match: \"a\"", "If-None-Match: \"b\", \"c\"", "If-None-Match: {etag}"], 304),
        row("RFC 9110 §13.1.2", "INM: another ETag", ["If-None-Match: \"nope\""], 200),
        row(
            "RFC 9110 §13.1.2", "INM: the ETag without quotes is not it",
            ["If-None-Match: nope, \"x\""], 200),
        row(
            "RFC 9110 §13.1.2", "HEAD INM: current", ["If-None-Match: {etag}"], 304,
            method: "HEAD"),
        row(
            "RFC 9110 §13.2.2 step 4", "INM mismatch wins over IMS not-modified",
            ["If-None-Match: \"nope\"", "If-Modified-Since: \(lm)"], 200),
        row(
            "RFC 9110 §13.2.2 step 3", "INM match wins over IMS modified",
            ["If-None-Match: {etag}", "If-Modified-Since: \(before)"], 304),
        row(
            "RFC 9110 §13.2.2 step 3", "INM match before Range",
            ["If-None-Match: {etag}", "Range: bytes=0-9"], 304),
    ]

    @Test(arguments: ifNoneMatchRows)
    func ifNoneMatchWeakComparison(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// RFC 9110 §13.1.3 and §13.2.2 step 4: If-Modified-Since in all three HTTP-date formats
    /// (§5.6.7: recipients MUST accept them); a future or invalid date is ignored (behaviour §5.1).
    static let ifModifiedSinceRows: [ConformanceCase] = [
        row("RFC 9110 §13.1.3", "IMS equal, IMF-fixdate", ["If-Modified-Since: \(lm)"], 304),
        row(
            "RFC 9110 §5.6.7", "IMS equal, RFC 850",
            ["If-Modified-Since: \(ConformanceSite.lastModifiedRFC850)"], 304),
        row(
            "RFC 9110 §5.6.7", "IMS equal, asctime",
            ["If-Modified-Since: \(ConformanceSite.lastModifiedAsctime)"], 304),
        row("RFC 9110 §13.1.3", "IMS a second after", ["If-Modified-Since: \(after)"], 304),
        row("RFC 9110 §13.1.3", "IMS a second before", ["If-Modified-Since: \(before)"], 200),
        row(
            "RFC 9110 §5.6.7", "IMS RFC 850 a second before",
            ["If-Modified-Since: \(ConformanceSite.secondBeforeRFC850)"], 200),
        row(
            "RFC 9110 §5.6.7", "IMS asctime a second before",
            ["If-Modified-Since: \(ConformanceSite.secondBeforeAsctime)"], 200),
        row(
            "RFC 9110 §13.1.3", "IMS in the future: ignored", ["If-Modified-Since: \(future)"], 200),
        row("RFC 9110 §13.1.3", "IMS invalid: ignored", ["If-Modified-Since: yesterday"], 200),
        row(
            "RFC 9110 §5.6.7", "IMS lower-case (case-sensitive): ignored",
            ["If-Modified-Since: tue, 14 nov 2023 22:13:20 gmt"], 200),
        row(
            "RFC 9110 §13.1.3", "IMS with trailing junk: ignored",
            ["If-Modified-Since: \(lm) x"], 200),
        row(
            "RFC 9110 §13.1.3", "HEAD IMS equal", ["If-Modified-Since: \(lm)"], 304,
            method: "HEAD"),
        row(
            "RFC 9110 §13.2.2 step 4", "IMS not-modified before Range",
            ["If-Modified-Since: \(lm)", "Range: bytes=0-9"], 304),
    ]

    @Test(arguments: ifModifiedSinceRows)
    func ifModifiedSince(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §5.1: a 304 carries ETag, Last-Modified, Cache-Control, Vary and Date, and no
    /// Content-Length or body (RFC 9110 §15.4.5); HEAD and GET alike.
    @Test(arguments: ["GET", "HEAD"])
    func notModifiedCarriesTheCachingFields(method: String) throws {
        let site = try ConformanceSite.get()
        let etag = try site.validator(
            "ETag", of: "/enc/all.js", ["Accept-Encoding: br"], coding: "br")
        let full = try site.send("GET", "/app.3f9a1c2b.js")
        for (target, fields, expected) in [
            ("/enc/all.js", ["Accept-Encoding: br", "If-None-Match: \(etag)"], full),
            ("/app.3f9a1c2b.js", ["If-None-Match: \(full.header("ETag") ?? "")"], full),
        ] {
            let response = try site.send(method, target, fields)
            #expect(response.status == 304, "\(target)")
            #expect(response.body.isEmpty)
            #expect(response.header("Content-Length") == nil)
            #expect(response.header("Date") != nil)
            #expect(response.header("Last-Modified") == ConformanceSite.lastModified)
            if target == "/enc/all.js" {
                #expect(response.header("ETag") == etag)
                #expect(response.header("Vary") == "Accept-Encoding")
            } else {
                #expect(response.header("ETag") == expected.header("ETag"))
                #expect(response.header("Cache-Control") == expected.header("Cache-Control"))
                #expect(response.header("Cache-Control") != nil)
            }
        }
    }

    /// behaviour §5.2: If-Range holds with the strong ETag or an HTTP-date exactly equal to the
    /// Last-Modified of a strongly validated file (RFC 9110 §13.1.5); anything else gives the
    /// whole file (200). Without Range, If-Range is ignored; HEAD ignores both.
    static let ifRangeRows: [ConformanceCase] = {
        let table: [(String, Int, String)] = [
            ("If-Range: {etag}", 206, "the strong ETag"),
            ("If-Range: \"other\"", 200, "another ETag"),
            ("If-Range: W/{etag}", 200, "a weak tag never matches"),
            ("If-Range: \(lm)", 206, "the Last-Modified date"),
            ("If-Range: \(ConformanceSite.lastModifiedRFC850)", 206, "the date in RFC 850 form"),
            ("If-Range: \(ConformanceSite.lastModifiedAsctime)", 206, "the date in asctime form"),
            ("If-Range: \(before)", 200, "an earlier date"),
            ("If-Range: \(after)", 200, "a later date"),
            ("If-Range: yesterday", 200, "not a date nor a tag"),
            ("If-Range: {etag}, \"x\"", 200, "a list is not an entity-tag"),
        ]
        let rows =
            table.map { field, status, what in
                row("RFC 9110 §13.1.5", "If-Range: \(what)", ["Range: bytes=0-9", field], status)
            } + [
                row(
                    "RFC 9110 §13.1.5", "If-Range without Range: ignored",
                    ["If-Range: \"other\""], 200),
                row(
                    "RFC 9110 §14.2", "HEAD with Range and If-Range",
                    ["Range: bytes=0-9", "If-Range: {etag}"], 200, method: "HEAD"),
            ]
        return rows.map { row in
            var row = row
            row.spec = "§5.2"
            return row
        }
    }()

    @Test(arguments: ifRangeRows)
    func ifRange(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }
}
