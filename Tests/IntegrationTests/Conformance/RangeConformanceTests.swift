import Testing

/// behaviour §5.2–§5.4: the Range field — units, syntax, single ranges, unsatisfiable ones,
/// several ranges as multipart/byteranges, and the limits against amplification. `/r.bin`
/// has 1000 bytes, `/big.txt` 10 000 (text/plain; charset=utf-8), `/empty.bin` none.
@Suite("Conformance: byte ranges (behaviour §5.2–§5.4)", .conformanceSite)
struct RangeConformanceTests {
    /// A 206 row on `/r.bin` for `range`, whose answer is bytes `first...last`.
    private static func partial(
        _ rfc: String, _ range: String, _ first: Int, _ last: Int, spec: String = "§5.3"
    ) -> ConformanceCase {
        ConformanceCase(
            spec: spec, rfc: rfc, what: "\(range) → 206 \(first)-\(last)", target: "/r.bin",
            fields: ["Range: \(range)"], status: 206,
            expect: [
                "Content-Range": "bytes \(first)-\(last)/1000",
                "Content-Length": String(last - first + 1),
                "Content-Type": "application/octet-stream",
                "Last-Modified": ConformanceSite.lastModified,
                "ETag": "{etag}",
            ],
            body: .slice("r.bin", first...last))
    }

    /// A 200 row on `path` for `range`: the whole file, no Content-Range.
    private static func whole(
        _ spec: String, _ rfc: String, _ range: String, _ what: String, path: String = "r.bin",
        alternate: Bool = false
    ) -> ConformanceCase {
        ConformanceCase(
            spec: spec, rfc: rfc, what: "\(range) → 200 (\(what))", target: "/" + path,
            fields: ["Range: \(range)"], alternate: alternate, status: 200,
            absent: ["Content-Range"], body: .file(path))
    }

    /// A 416 row on `path` (`length` bytes) for `range`.
    private static func unsatisfiable(
        _ rfc: String, _ range: String, path: String = "r.bin", length: Int = 1000
    ) -> ConformanceCase {
        ConformanceCase(
            spec: "§5.3", rfc: rfc, what: "\(range) → 416", target: "/" + path,
            fields: ["Range: \(range)"], status: 416,
            expect: [
                "Content-Range": "bytes */\(length)",
                "Content-Type": "text/plain; charset=utf-8",
            ],
            body: .text("416 Range Not Satisfiable\n"))
    }

    /// behaviour §5.3: `a-b`, `a-`, `-n`, clamped to the end (a last-pos beyond 64 bits too),
    /// exact `Content-Range` (RFC 9110 §14.1.2, §14.4, §15.3.7.1); behaviour §5.2: the unit is
    /// case-insensitive (RFC 9110 §14.1).
    static let single: [ConformanceCase] = [
        partial("RFC 9110 §14.1.2", "bytes=0-99", 0, 99),
        partial("RFC 9110 §14.1.2", "bytes=0-0", 0, 0),
        partial("RFC 9110 §14.1.2", "bytes=999-999", 999, 999),
        partial("RFC 9110 §14.1.2", "bytes=100-", 100, 999),
        partial("RFC 9110 §14.1.2", "bytes=0-", 0, 999),
        partial("RFC 9110 §14.1.2", "bytes=-100", 900, 999),
        partial("RFC 9110 §14.1.2", "bytes=-1", 999, 999),
        partial("RFC 9110 §14.1.2 (clamped)", "bytes=-5000", 0, 999),
        partial("RFC 9110 §14.1.2 (clamped)", "bytes=990-2000", 990, 999),
        partial("RFC 9110 §14.1.2 (clamped)", "bytes=5-9223372036854775807", 5, 999),
        partial("RFC 9110 §14.1.2 (beyond 64 bits)", "bytes=5-18446744073709551616", 5, 999),
        partial(
            "RFC 9110 §14.1.2 (beyond 64 bits)", "bytes=0-99999999999999999999999999999", 0, 999),
        partial("RFC 9110 §14.1.2", "bytes=-18446744073709551616", 0, 999),
        partial("RFC 9110 §14.1", "BYTES=0-1", 0, 1, spec: "§5.2"),
        partial("RFC 9110 §14.1", "Bytes=10-19", 10, 19, spec: "§5.2"),
        partial("RFC 9110 §14.1.1", "bytes=0-9, 2000-", 0, 9),
        partial("RFC 9110 §14.1.1", "bytes=-0, 10-19", 10, 19),
        partial("RFC 9110 §14.1.1 (OWS in the list)", "bytes=10-19 ,\t1000-", 10, 19),
        partial("RFC 9110 §5.6.1.2 (empty list elements)", "bytes=0-9,", 0, 9),
        partial("RFC 9110 §5.6.1.2 (empty list elements)", "bytes=,,0-9", 0, 9),
    ]

    @Test(arguments: single)
    func singleRange(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §5.2: another unit, or a Range that does not parse, is ignored (RFC 9110 §14.2: a
    /// server MAY ignore it): 200 with the whole file.
    static let ignored: [ConformanceCase] = [
        whole("§5.2", "RFC 9110 §14.2", "items=0-9", "unknown unit"),
        whole("§5.2", "RFC 9110 §14.2", "bytes=abc", "invalid"),
        whole("§5.2", "RFC 9110 §14.1.1", "bytes=10-5", "last < first: invalid"),
        whole("§5.2", "RFC 9110 §14.1.1", "bytes=", "empty set"),
        whole("§5.2", "RFC 9110 §14.1.1", "bytes=--5", "invalid"),
        whole("§5.2", "RFC 9110 §14.1.1", "bytes=1-2-3", "invalid"),
        whole("§5.2", "RFC 9110 §14.1", "0-9", "no unit"),
        whole("§5.2", "RFC 9110 §14.1", "bytes 0-9", "no ="),
        whole("§5.2", "RFC 9110 §14.1", "bytes = 0-9", "OWS around = is not the grammar"),
        whole("§5.2", "RFC 9110 §14.1.1", "bytes=0-9,x", "one invalid spec spoils the set"),
        whole("§5.2", "RFC 9110 §14.1.1", "bytes=+1-2", "a sign is no digit"),
    ]

    @Test(arguments: ignored)
    func ignoredRange(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §5.3: no satisfiable range → 416 with `Content-Range: bytes */len` (RFC 9110
    /// §15.5.17, §14.1.1: `-0` selects nothing; a first-pos at or past the end is
    /// unsatisfiable). Documented: an empty file answers an int-range with 416 `bytes */0`
    /// and a suffix range with 200 and an empty body (nginx 1.22 answers 200 to both: it
    /// ignores Range on an empty file, which RFC 9110 §14.2 allows too).
    static let unsatisfiableRows: [ConformanceCase] = [
        unsatisfiable("RFC 9110 §14.1.1", "bytes=1000-"),
        unsatisfiable("RFC 9110 §14.1.1", "bytes=1000-1000"),
        unsatisfiable("RFC 9110 §14.1.1", "bytes=5000-6000"),
        unsatisfiable("RFC 9110 §14.1.1", "bytes=-0"),
        unsatisfiable("RFC 9110 §14.1.1", "bytes=1000-,2000-3000,-0"),
        unsatisfiable("RFC 9110 §14.1.1", "bytes=18446744073709551616-"),
        unsatisfiable("RFC 9110 §14.1.2", "bytes=0-", path: "empty.bin", length: 0),
        unsatisfiable("RFC 9110 §14.1.2", "bytes=0-0", path: "empty.bin", length: 0),
        unsatisfiable("RFC 9110 §14.1.2", "bytes=-0", path: "empty.bin", length: 0),
        whole("§5.3", "RFC 9110 §14.1.2", "bytes=-1", "empty file, suffix", path: "empty.bin"),
        whole("§5.3", "RFC 9110 §14.1.2", "bytes=-1,-2", "empty file, suffixes", path: "empty.bin"),
    ]

    @Test(arguments: unsatisfiableRows)
    func unsatisfiableRange(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// One multipart row: the Range value on `/big.txt` and the parts expected, sorted and
    /// coalesced; a single expected part means a plain 206, none a 200 with the whole file.
    struct Multipart: Sendable, CustomTestStringConvertible {
        var range: String
        var parts: [ClosedRange<Int>]
        var rule: String
        var alternate = false

        var testDescription: String {
            let answer =
                parts.isEmpty
                ? "200 whole" : parts.count == 1 ? "206 \(parts[0])" : "multipart \(parts)"
            return "§5.4 \(range) → \(answer) (\(rule))\(alternate ? " --max-ranges 2" : "")"
        }
    }

    /// The spread-out ranges `0-9, 200-209, …` (`count` of them, 190 bytes apart).
    static func spread(_ count: Int) -> (String, [ClosedRange<Int>]) {
        let ranges = (0..<count).map { ($0 * 200)...($0 * 200 + 9) }
        return (
            "bytes=" + ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ","),
            ranges
        )
    }

    /// behaviour §5.4 (RFC 9110 §14.6, §15.3.7.2): ranges sorted and coalesced when they overlap or
    /// lie at most 80 bytes apart (documented: the RFC's "around 80 bytes" of part overhead);
    /// one left is a plain 206; more than `--max-ranges` (default 16), or a total larger than
    /// the file, is a 200 with the whole file.
    static let multipart: [Multipart] = [
        Multipart(range: "bytes=0-99,500-599", parts: [0...99, 500...599], rule: "two parts"),
        Multipart(range: "bytes=500-599,0-99", parts: [0...99, 500...599], rule: "sorted"),
        Multipart(
            range: "bytes=0-99,50-149,1000-1099", parts: [0...149, 1000...1099],
            rule: "overlap merged"),
        Multipart(range: "bytes=0-99,100-199", parts: [0...199], rule: "adjacent: plain 206"),
        Multipart(range: "bytes=0-99,180-199", parts: [0...199], rule: "gap of 80: merged"),
        Multipart(range: "bytes=0-99,181-199", parts: [0...99, 181...199], rule: "gap of 81"),
        Multipart(range: "bytes=0-9,-10", parts: [0...9, 9990...9999], rule: "suffix part"),
        Multipart(
            range: "bytes=9000-,0-0,5000-5000", parts: [0...0, 5000...5000, 9000...9999],
            rule: "three, sorted"),
        Multipart(range: "bytes=0-9,20000-,-0", parts: [0...9], rule: "unsatisfiable dropped"),
        Multipart(range: "bytes=0-4999,5000-9999", parts: [0...9999], rule: "total = size"),
        Multipart(range: spread(16).0, parts: spread(16).1, rule: "16 = default limit"),
        Multipart(range: spread(17).0, parts: [], rule: "17 > --max-ranges 16"),
        Multipart(range: "bytes=0-,0-", parts: [], rule: "total > size: no amplification"),
        Multipart(range: "bytes=0-5999,4000-9999", parts: [], rule: "overlap total > size"),
        Multipart(range: "bytes=-6000,0-4999", parts: [], rule: "total > size"),
        Multipart(
            range: "bytes=0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0", parts: [0...0],
            rule: "repeats coalesce"),
        Multipart(
            range: "bytes=0-9,200-209", parts: [0...9, 200...209], rule: "2 ≤ --max-ranges 2",
            alternate: true),
        Multipart(
            range: "bytes=0-9,200-209,400-409", parts: [], rule: "3 > --max-ranges 2",
            alternate: true),
        Multipart(
            range: "bytes=0-9,5-14,200-209", parts: [], rule: "counted before coalescing",
            alternate: true),
    ]

    @Test(arguments: multipart)
    func severalRanges(row: Multipart) throws {
        let site = try ConformanceSite.get()
        let file = site.bytes("big.txt")
        let response = try site.send(
            "GET", "/big.txt", ["Range: \(row.range)"], alternate: row.alternate)
        switch row.parts.count {
        case 0:
            #expect(response.status == 200, "\(row)")
            #expect(response.header("Content-Range") == nil)
            #expect(response.body == file, "\(ByteComparison.describe(response.body, file))")
        case 1:
            let part = row.parts[0]
            #expect(response.status == 206, "\(row)")
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(
                response.header("Content-Range")
                    == "bytes \(part.lowerBound)-\(part.upperBound)/\(file.count)")
            #expect(response.body == Array(file[part]))
        default:
            #expect(response.status == 206, "\(row)")
            #expect(response.header("Content-Range") == nil)
            let type = try #require(response.header("Content-Type"))
            let boundary = try #require(
                MultipartByteranges.boundary(fromContentType: type), "Content-Type: \(type)")
            #expect(response.header("Content-Length") == String(response.body.count))
            let body = try MultipartByteranges(response.body, boundary: boundary)
            #expect(body.preamble.isEmpty, "documented: no preamble")
            #expect(body.epilogue == [13, 10], "documented: CRLF after the close delimiter")
            #expect(body.parts.count == row.parts.count, "\(row)")
            // No amplification: no byte of the file is sent twice.
            #expect(body.parts.reduce(0) { $0 + $1.content.count } <= file.count)
            for (part, range) in zip(body.parts, row.parts) {
                #expect(part.headers(named: "Content-Type") == ["text/plain; charset=utf-8"])
                #expect(
                    part.headers(named: "Content-Range")
                        == ["bytes \(range.lowerBound)-\(range.upperBound)/\(file.count)"])
                #expect(part.content == Array(file[range]), "part \(range)")
            }
            // The body is exactly the parts in the layout of RFC 2046 §5.1.1: no padding,
            // nothing between them.
            var rebuilt: [UInt8] = []
            for (index, part) in body.parts.enumerated() {
                let lines = part.headers.map { "\($0.name): \($0.value)\r\n" }.joined()
                rebuilt += Array(
                    ((index > 0 ? "\r\n" : "") + "--\(boundary)\r\n" + lines + "\r\n").utf8)
                rebuilt += part.content
            }
            rebuilt += Array("\r\n--\(boundary)--\r\n".utf8)
            #expect(response.body == rebuilt, "\(ByteComparison.describe(response.body, rebuilt))")
        }
        for name in ["ETag", "Last-Modified", "Accept-Ranges"] {
            #expect(response.header(name) != nil, "\(name)")
        }
    }

    /// behaviour §5.4: a multipart response's boundary (RFC 2046 §5.1.1: 1 to 70 characters)
    /// never occurs in its parts, and each response gets a fresh one, so a file cannot be
    /// crafted to contain it.
    @Test func boundariesAreFreshPerResponse() throws {
        let site = try ConformanceSite.get()
        var boundaries: Set<String> = []
        for _ in 0..<4 {
            let response = try site.send("GET", "/big.txt", ["Range: bytes=0-9,500-509"])
            let type = try #require(response.header("Content-Type"))
            let boundary = try #require(MultipartByteranges.boundary(fromContentType: type))
            #expect(boundary.count >= 1 && boundary.count <= 70)
            #expect(!String(decoding: site.bytes("big.txt"), as: UTF8.self).contains(boundary))
            boundaries.insert(boundary)
        }
        #expect(boundaries.count == 4)
    }
}
