import Foundation
import Testing

/// behaviour §4.3: precompressed variants (`NAME.br`, `NAME.zst`, `NAME.gz` beside `NAME`), chosen
/// by Accept-Encoding (RFC 9110 §12.5.3), each with its own ETag, `Vary: Accept-Encoding` on
/// every response for the resource, ranges over the variant, never compression on the fly.
@Suite("Conformance: precompressed variants (behaviour §4.3)", .conformanceSite)
struct EncodingConformanceTests {
    /// The suffix of each coding's variant file.
    static let suffix = ["br": ".br", "zstd": ".zst", "gzip": ".gz", "": ""]

    /// One Accept-Encoding matrix row: the field lines sent and the coding expected ("" for
    /// identity), for `/enc/all.js` (all three variants present) unless `target` says other.
    struct Negotiation: Sendable, CustomTestStringConvertible {
        var fieldLines: [String]
        var coding: String
        var rule: String
        var target = "/enc/all.js"

        var testDescription: String {
            let sent =
                fieldLines.isEmpty
                ? "no Accept-Encoding"
                : fieldLines.map { $0.isEmpty ? "(empty)" : $0 }.joined(separator: " + ")
            return "\(target) \(sent) → \(coding.isEmpty ? "identity" : coding) (\(rule))"
        }
    }

    /// RFC 9110 §12.5.3 and §12.4.2. Documented choices: without the field, identity (like
    /// nginx's gzip_static); ties go to br, then zstd, then gzip, then identity; when every
    /// coding is refused, identity anyway rather than 406; unknown codings and elements with
    /// parameters other than q, or an invalid q, are ignored.
    static let negotiations: [Negotiation] = [
        Negotiation(fieldLines: [], coding: "", rule: "no field: identity"),
        Negotiation(fieldLines: [""], coding: "", rule: "§12.5.3 empty value: identity"),
        Negotiation(fieldLines: ["gzip, deflate, br, zstd"], coding: "br", rule: "tie: br first"),
        Negotiation(fieldLines: ["gzip, zstd"], coding: "zstd", rule: "tie: zstd before gzip"),
        Negotiation(fieldLines: ["zstd;q=0.8, gzip;q=0.8"], coding: "zstd", rule: "tie at 0.8"),
        Negotiation(
            fieldLines: ["gzip;q=0.5, br;q=0.5, zstd;q=0.5"], coding: "br", rule: "tie at 0.5"),
        Negotiation(fieldLines: ["gzip"], coding: "gzip", rule: "the only one"),
        Negotiation(fieldLines: ["br"], coding: "br", rule: "the only one"),
        Negotiation(fieldLines: ["zstd"], coding: "zstd", rule: "the only one"),
        Negotiation(fieldLines: ["gzip;q=1, br;q=0.5"], coding: "gzip", rule: "§12.4.2 q wins"),
        Negotiation(fieldLines: ["br;q=0.9, gzip;q=0.91"], coding: "gzip", rule: "q thousandths"),
        Negotiation(fieldLines: ["br;q=0, gzip"], coding: "gzip", rule: "q=0 refuses br"),
        Negotiation(fieldLines: ["br;q=0"], coding: "", rule: "q=0 refuses br; rest unnamed"),
        Negotiation(fieldLines: ["br;q=0.0, zstd;q=0.000"], coding: "", rule: "q=0.0 refuses"),
        Negotiation(fieldLines: ["*"], coding: "br", rule: "* accepts all: tie"),
        Negotiation(fieldLines: ["*;q=0"], coding: "", rule: "all refused: identity anyway"),
        Negotiation(fieldLines: ["*;q=0, gzip"], coding: "gzip", rule: "* does not override"),
        Negotiation(fieldLines: ["br;q=0.2, *;q=0.5"], coding: "zstd", rule: "* for unnamed"),
        Negotiation(fieldLines: ["identity;q=0, gzip"], coding: "gzip", rule: "identity refused"),
        Negotiation(fieldLines: ["identity;q=0"], coding: "", rule: "all refused: identity"),
        Negotiation(fieldLines: ["identity, gzip;q=0.5"], coding: "", rule: "identity q=1"),
        Negotiation(fieldLines: ["identity;q=0.5, gzip"], coding: "gzip", rule: "gzip higher"),
        Negotiation(fieldLines: ["x-gzip"], coding: "gzip", rule: "§8.4.1.3 x-gzip is gzip"),
        Negotiation(fieldLines: ["GZIP"], coding: "gzip", rule: "§8.4.1 case-insensitive"),
        Negotiation(fieldLines: ["Br;Q=1"], coding: "br", rule: "case-insensitive q"),
        Negotiation(fieldLines: ["deflate, compress"], coding: "", rule: "unknown: ignored"),
        Negotiation(
            fieldLines: ["deflate;q=1, gzip;q=0.5"], coding: "gzip", rule: "unknown ignored"),
        Negotiation(fieldLines: ["br;q=2, gzip"], coding: "gzip", rule: "invalid q ignored"),
        Negotiation(fieldLines: ["br;level=5, gzip"], coding: "gzip", rule: "parameter ignored"),
        Negotiation(fieldLines: ["gzip ; q=0.5 , br;q=0.4"], coding: "gzip", rule: "OWS"),
        Negotiation(
            fieldLines: ["gzip;q=0.5", "br;q=0.4"], coding: "gzip", rule: "two field lines"),
        Negotiation(fieldLines: ["br", "br;q=0"], coding: "", rule: "named twice: lowest q"),
        Negotiation(
            fieldLines: ["br, gzip"], coding: "gzip", rule: "only gzip exists",
            target: "/enc/gz.css"),
        Negotiation(
            fieldLines: ["br, zstd"], coding: "", rule: "no acceptable variant",
            target: "/enc/gz.css"),
        Negotiation(
            fieldLines: ["gzip"], coding: "", rule: "never compressed on the fly",
            target: "/enc/plain.js"),
        Negotiation(
            fieldLines: ["br, zstd, gzip, *"], coding: "", rule: "never compressed on the fly",
            target: "/r.bin"),
    ]

    /// behaviour §4.3: the chosen variant's bytes with `Content-Encoding`, the original's
    /// `Content-Type`, and `Vary: Accept-Encoding` when the resource has variants.
    @Test(arguments: negotiations)
    func acceptEncodingChoosesTheVariant(row: Negotiation) throws {
        let site = try ConformanceSite.get()
        let response = try site.send(
            "GET", row.target, row.fieldLines.map { "Accept-Encoding: \($0)" })
        let name = String(row.target.dropFirst())
        let expected = site.bytes(name + Self.suffix[row.coding, default: ""])
        #expect(response.status == 200)
        #expect(
            response.headers(named: "Content-Encoding") == (row.coding.isEmpty ? [] : [row.coding]),
            "\(row)")
        #expect(
            response.body == expected, "\(row): \(ByteComparison.describe(response.body, expected))"
        )
        #expect(response.header("Content-Length") == String(expected.count))
        #expect(response.headers(named: "Vary") == ["Accept-Encoding"], "\(row)")
        let original = try site.send("GET", row.target)
        #expect(response.header("Content-Type") == original.header("Content-Type"))
    }

    /// behaviour §4.3: each variant has an ETag of its own, strong and distinct from the others and
    /// from the identity file's (RFC 9110 §8.8.3: different content, different entity-tag),
    /// and each is stable.
    @Test func eachVariantHasItsOwnETag() throws {
        let site = try ConformanceSite.get()
        var etags: [String: String] = [:]
        for coding in ["", "br", "zstd", "gzip"] {
            let fields = coding.isEmpty ? [] : ["Accept-Encoding: \(coding)"]
            let first = try site.send("GET", "/enc/all.js", fields)
            let again = try site.send("HEAD", "/enc/all.js", fields)
            let etag = try #require(first.header("ETag"))
            #expect(ConformanceSite.isStrong(etag), "\(coding): \(etag)")
            #expect(again.header("ETag") == etag, "\(coding)")
            etags[coding] = etag
        }
        #expect(Set(etags.values).count == 4, "\(etags)")
    }

    /// behaviour §4.3: `Vary: Accept-Encoding` on every response for a resource with variants (RFC
    /// 9110 §12.5.5) — 200, 206, 304, 412, 416, HEAD, with and without Accept-Encoding — and
    /// on none for a resource without.
    static let varyRows: [ConformanceCase] = {
        let statuses: [(fields: [String], status: Int, what: String)] = [
            ([], 200, "200 identity"),
            (["Accept-Encoding: CODING"], 200, "200 variant"),
            (["Accept-Encoding: CODING", "Range: bytes=0-9"], 206, "206 variant"),
            (["Range: bytes=0-9"], 206, "206 identity"),
            (["Accept-Encoding: CODING", "Range: bytes=0-9,100-109"], 206, "multipart 206"),
            (["Accept-Encoding: CODING", "If-None-Match: {etag:CODING}"], 304, "304 variant"),
            (["If-None-Match: {etag}"], 304, "304 identity"),
            (["If-Modified-Since: \(ConformanceSite.lastModified)"], 304, "304 by date"),
            (["Accept-Encoding: CODING", "If-Match: \"nope\""], 412, "412 variant"),
            (["If-Unmodified-Since: \(ConformanceSite.secondBefore)"], 412, "412 by date"),
            (["Accept-Encoding: CODING", "Range: bytes=100000-"], 416, "416 variant"),
            (["Range: bytes=100000-"], 416, "416 identity"),
        ]
        // CODING: the variant each resource has (plain.js has none: gzip is asked for, and
        // the identity file's ETag is the one that matches).
        let targets: [(target: String, coding: String?)] = [
            ("/enc/all.js", "br"), ("/enc/gz.css", "gzip"), ("/enc/plain.js", nil),
        ]
        return statuses.flatMap { row in
            targets.map { resource in
                let fields = row.fields.map {
                    $0.replacingOccurrences(
                        of: "{etag:CODING}",
                        with: resource.coding.map { "{etag:\($0)}" } ?? "{etag}"
                    )
                    .replacingOccurrences(of: "CODING", with: resource.coding ?? "gzip")
                }
                return ConformanceCase(
                    spec: "§4.3", rfc: "RFC 9110 §12.5.5",
                    what:
                        "\(resource.target) \(row.what)\(resource.coding.map { " (\($0))" } ?? "")",
                    target: resource.target, fields: fields, status: row.status,
                    expect: ["Vary": "Accept-Encoding"])
            }
        }
    }()

    @Test(arguments: varyRows)
    func varyOnEveryResponseOfTheResource(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §4.3: `HEAD` of a resource with variants carries Vary too.
    @Test func varyOnHead() throws {
        let site = try ConformanceSite.get()
        for fields in [[], ["Accept-Encoding: br"]] {
            let head = try site.send("HEAD", "/enc/all.js", fields)
            #expect(head.headers(named: "Vary") == ["Accept-Encoding"], "\(fields)")
        }
    }

    /// behaviour §4.3, §5.3: ranges apply to the variant served: `Content-Range` totals its size,
    /// the bytes are its bytes, a 416 names its length (RFC 9110 §14.4, §15.5.17).
    static let variantRanges: [ConformanceCase] = {
        let table: [(String, String, Int, String, ClosedRange<Int>?)] = [
            ("br", "bytes=0-9", 206, "bytes 0-9/300", 0...9),
            ("br", "bytes=-5", 206, "bytes 295-299/300", 295...299),
            ("br", "bytes=290-5000", 206, "bytes 290-299/300", 290...299),
            ("zstd", "bytes=100-", 206, "bytes 100-349/350", 100...349),
            ("gzip", "bytes=399-399", 206, "bytes 399-399/400", 399...399),
            ("", "bytes=1990-", 206, "bytes 1990-1999/2000", 1990...1999),
            ("br", "bytes=300-", 416, "bytes */300", nil),
            ("gzip", "bytes=400-", 416, "bytes */400", nil),
            ("", "bytes=2000-", 416, "bytes */2000", nil),
        ]
        return table.map { coding, range, status, contentRange, slice in
            ConformanceCase(
                spec: "§4.3 §5.3", rfc: "RFC 9110 §14.4",
                what: "\(coding) \(range) → \(contentRange)",
                target: "/enc/all.js",
                fields: (coding.isEmpty ? [] : ["Accept-Encoding: \(coding)"]) + [
                    "Range: \(range)"
                ],
                status: status,
                expect: ["Content-Range": contentRange]
                    .merging(
                        status == 206 && !coding.isEmpty ? ["Content-Encoding": coding] : [:],
                        uniquingKeysWith: { $1 }),
                absent: status == 416 || coding.isEmpty ? ["Content-Encoding"] : [],
                body: slice.map { .slice("enc/all.js" + (suffix[coding] ?? ""), $0) } ?? .unchecked)
        }
    }()

    @Test(arguments: variantRanges)
    func rangesApplyToTheVariant(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §4.3, §5.4: a multipart/byteranges response of a variant: each part's
    /// Content-Range totals the variant's size and holds its bytes; and the response says the
    /// parts are br-coded — `Content-Encoding: br` on the response or in every part — since
    /// behaviour §4.3 serves a variant "with Content-Encoding" (RFC 9110 §8.4: without it the
    /// recipient cannot know the bytes are coded). nginx 1.22 with gzip_static sidesteps the
    /// question: it ignores Range on a precompressed response (200, whole `.gz`).
    @Test func multipartRangesOfAVariant() throws {
        let site = try ConformanceSite.get()
        let br = site.bytes("enc/all.js.br")
        let response = try site.send(
            "GET", "/enc/all.js", ["Accept-Encoding: br", "Range: bytes=0-9,200-209"])
        #expect(response.status == 206)
        #expect(response.header("Vary") == "Accept-Encoding")
        let type = try #require(response.header("Content-Type"))
        let boundary = try #require(MultipartByteranges.boundary(fromContentType: type))
        let body = try MultipartByteranges(response.body, boundary: boundary)
        #expect(body.parts.count == 2)
        for (part, range) in zip(body.parts, [0...9, 200...209]) {
            #expect(
                part.headers(named: "Content-Range") == [
                    "bytes \(range.lowerBound)-\(range.upperBound)/300"
                ])
            #expect(part.content == Array(br[range]))
            #expect(part.headers(named: "Content-Type") == ["text/javascript; charset=utf-8"])
        }
        let topLevel = response.headers(named: "Content-Encoding")
        let inParts = body.parts.allSatisfy { $0.headers(named: "Content-Encoding") == ["br"] }
        #expect(
            topLevel == ["br"] || inParts,
            "the multipart 206 of the br variant says nowhere that its parts are br-coded")
    }

    /// behaviour §4.3: If-Range and preconditions compare the ETag of the variant that would be
    /// served (RFC 9110 §13.1.5, §13.1.2): the identity ETag does not validate the br
    /// variant, and the br ETag does not validate the identity file.
    static let variantValidators: [ConformanceCase] = [
        ConformanceCase(
            spec: "§4.3 §5.2", rfc: "RFC 9110 §13.1.5", what: "If-Range br ETag, br → 206",
            target: "/enc/all.js",
            fields: ["Accept-Encoding: br", "Range: bytes=0-9", "If-Range: {etag:br}"],
            status: 206, expect: ["Content-Encoding": "br"], body: .slice("enc/all.js.br", 0...9)),
        ConformanceCase(
            spec: "§4.3 §5.2", rfc: "RFC 9110 §13.1.5", what: "If-Range identity ETag, br → 200",
            target: "/enc/all.js",
            fields: ["Accept-Encoding: br", "Range: bytes=0-9", "If-Range: {etag}"],
            status: 200, expect: ["Content-Encoding": "br"], body: .file("enc/all.js.br")),
        ConformanceCase(
            spec: "§4.3 §5.1", rfc: "RFC 9110 §13.1.2", what: "INM identity ETag, br → 200 br",
            target: "/enc/all.js", fields: ["Accept-Encoding: br", "If-None-Match: {etag}"],
            status: 200, expect: ["Content-Encoding": "br"], body: .file("enc/all.js.br")),
        ConformanceCase(
            spec: "§4.3 §5.1", rfc: "RFC 9110 §13.1.2", what: "INM br ETag, no AE → 200",
            target: "/enc/all.js", fields: ["If-None-Match: {etag:br}"], status: 200,
            absent: ["Content-Encoding"], body: .file("enc/all.js")),
        ConformanceCase(
            spec: "§4.3 §5.1", rfc: "RFC 9110 §15.4.5", what: "INM br ETag, br → 304 br ETag",
            target: "/enc/all.js", fields: ["Accept-Encoding: br", "If-None-Match: {etag:br}"],
            status: 304, expect: ["ETag": "{etag:br}", "Vary": "Accept-Encoding"], body: .empty),
        ConformanceCase(
            spec: "§4.3 §5.1", rfc: "RFC 9110 §13.1.1", what: "If-Match br ETag, gzip → 412",
            target: "/enc/all.js", fields: ["Accept-Encoding: gzip", "If-Match: {etag:br}"],
            status: 412, expect: ["Vary": "Accept-Encoding"]),
    ]

    @Test(arguments: variantValidators)
    func validatorsAreThoseOfTheVariant(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §4.3: a variant's own name is an ordinary file: served as itself, typed by its
    /// extension, with no Content-Encoding (and, like every file response, with Vary).
    @Test func variantFileByItsOwnName() throws {
        try ConformanceSite.get().run(
            ConformanceCase(
                spec: "§4.3", rfc: "RFC 9110 §8.4", what: "/enc/all.js.gz as a file",
                target: "/enc/all.js.gz", fields: ["Accept-Encoding: gzip"], status: 200,
                expect: ["Content-Type": "application/gzip", "Vary": "Accept-Encoding"],
                absent: ["Content-Encoding"], body: .file("enc/all.js.gz")))
    }

    /// behaviour §4.3, §3.5: a variant added after the resource was served (and cached) is used by
    /// the next request that accepts it, and one removed is no longer used. The sequence runs
    /// on one connection, so on one event loop and its open-file cache, and again on fresh
    /// connections.
    @Test func variantAddedOrRemovedLaterIsSeen() throws {
        let site = try ConformanceSite.get()
        let plain = try site.write(
            "late/app.js", Array(ConformanceLayout.textBytes(count: 900).utf8))
        try site.settle("late/app.js")
        let client = try UnixHTTPClient(path: site.socket)
        for _ in 0..<3 {
            let before = try client.get("/late/app.js", ["Accept-Encoding: gzip"])
            #expect(before.header("Content-Encoding") == nil)
            #expect(before.header("Vary") == "Accept-Encoding")
            #expect(before.body == plain)
        }
        // The server notices new siblings by the directory's change stamp: make sure the new
        // entry changes it.
        try site.waitForNextTimestamp(after: "late")
        let gzip = try site.write("late/app.js.gz", SeededBytes.make(count: 123, seed: 99))
        try site.settle("late/app.js.gz")
        for response in [
            try client.get("/late/app.js", ["Accept-Encoding: gzip"]),
            try site.send("GET", "/late/app.js", ["Accept-Encoding: gzip"]),
        ] {
            #expect(response.header("Content-Encoding") == "gzip")
            #expect(response.header("Vary") == "Accept-Encoding")
            #expect(response.body == gzip)
        }
        try site.waitForNextTimestamp(after: "late")
        try site.remove("late/app.js.gz")
        for response in [
            try client.get("/late/app.js", ["Accept-Encoding: gzip"]),
            try site.send("GET", "/late/app.js", ["Accept-Encoding: gzip"]),
        ] {
            #expect(response.header("Content-Encoding") == nil)
            #expect(response.header("Vary") == "Accept-Encoding")
            #expect(response.body == plain)
        }
    }

    /// behaviour §4.3 ("Vary: Accept-Encoding on every response for that resource"): once a
    /// variant exists, a request without Accept-Encoding (identity) must carry Vary too, even
    /// when the identity file was served and cached before the variant appeared; otherwise a
    /// shared cache stores the identity response as the only one for every client. The server
    /// sends Vary on every file response, so it is there before the variant too.
    @Test func varyAppearsForIdentityOnceAVariantIsAdded() throws {
        let site = try ConformanceSite.get()
        let plain = try site.write(
            "later/app.js", Array(ConformanceLayout.textBytes(count: 700).utf8))
        try site.settle("later/app.js")
        let client = try UnixHTTPClient(path: site.socket)
        for _ in 0..<3 {
            #expect(try client.get("/later/app.js").header("Vary") == "Accept-Encoding")
        }
        try site.waitForNextTimestamp(after: "later")
        try site.write("later/app.js.br", SeededBytes.make(count: 77, seed: 98))
        try site.settle("later/app.js.br")
        let identity = try client.get("/later/app.js")
        #expect(identity.body == plain)
        #expect(
            identity.header("Vary") == "Accept-Encoding",
            "identity response after app.js.br appeared, on the connection that cached it")
        #expect(try site.send("GET", "/later/app.js").header("Vary") == "Accept-Encoding")
    }
}
