import Testing

/// Single byte ranges (RFC 9110 §14): 206 with exact bytes and Content-Range, 416, and the
/// cases that fall back to the whole file.
@Suite("Byte ranges")
struct RangeTests {
    /// The length of the file the ranges apply to.
    static let length = 1000

    /// behaviour §5.3: satisfiable ranges give 206, the exact `Content-Range: bytes a-b/len` and
    /// exactly those bytes. `b` past the end clamps, even when it does not fit in 64 bits;
    /// a suffix longer than the file is the whole file; the unit is case-insensitive.
    @Test(arguments: [
        ("bytes=0-99", 0, 99),
        ("bytes=0-0", 0, 0),
        ("bytes=999-999", 999, 999),
        ("bytes=100-", 100, 999),
        ("bytes=-100", 900, 999),
        ("bytes=-1", 999, 999),
        ("bytes=-5000", 0, 999),
        ("bytes=990-2000", 990, 999),
        ("bytes=5-99999999999999999999", 5, 999),
        ("bytes=0-18446744073709551616", 0, 999),
        ("BYTES=10-19", 10, 19),
    ])
    func satisfiableRange(range: String, first: Int, last: Int) throws {
        let (served, bytes) = try Self.serve()
        let response = try served.get("/r.bin", ["Range: \(range)"])
        #expect(response.status == 206, "\(range)")
        #expect(response.header("Content-Range") == "bytes \(first)-\(last)/\(Self.length)")
        #expect(response.header("Content-Length") == String(last - first + 1))
        #expect(response.body == Array(bytes[first...last]), "\(range)")
        #expect(response.header("Accept-Ranges") == "bytes")
        #expect(response.header("ETag") != nil)
        #expect(response.header("Last-Modified") != nil)
    }

    /// behaviour §5.3: no satisfiable range → 416 with `Content-Range: bytes */len`; also for an
    /// empty file, where even `bytes=0-` is past the end.
    @Test(arguments: [
        ("r.bin", "bytes=1000-", 1000),
        ("r.bin", "bytes=5000-6000", 1000),
        ("empty.bin", "bytes=0-", 0),
        ("empty.bin", "bytes=0-10", 0),
    ])
    func unsatisfiableRange(name: String, range: String, length: Int) throws {
        let (served, _) = try Self.serve()
        let response = try served.get("/\(name)", ["Range: \(range)"])
        #expect(response.status == 416, "\(range)")
        #expect(response.header("Content-Range") == "bytes */\(length)")
        #expect(response.header("Content-Length") == String(response.body.count))
    }

    /// behaviour §5.2: another unit, or a Range that does not parse, is ignored: 200 with the
    /// whole file and no Content-Range.
    @Test(arguments: [
        "items=0-10", "bytes=abc", "bytes=10-5", "bytes=", "bytes=--5", "bytes=1-2-3", "0-10",
    ])
    func ignoredRangeGivesTheWholeFile(range: String) throws {
        let (served, bytes) = try Self.serve()
        let response = try served.get("/r.bin", ["Range: \(range)"])
        #expect(response.status == 200, "\(range)")
        #expect(response.header("Content-Range") == nil)
        #expect(response.body == bytes)
    }

    /// behaviour §2.2, §5.2: Range is defined for GET only; HEAD ignores it and answers the
    /// header fields of the whole file.
    @Test func rangeOnHeadIsIgnored() throws {
        let (served, _) = try Self.serve()
        let client = try served.connect()
        let response = try client.get("/r.bin", ["Range: bytes=0-9"], method: "HEAD")
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == String(Self.length))
        #expect(response.header("Content-Range") == nil)
        #expect(response.body.isEmpty)
        #expect(try client.get("/r.bin", ["Range: bytes=0-9"]).status == 206)
    }

    /// A site with `r.bin` (`length` seeded bytes) and an empty `empty.bin`.
    private static func serve() throws -> (SupervisedSidecar, [UInt8]) {
        let site = try TempSite()
        let bytes = try site.writeRandom("r.bin", count: length, seed: 7)
        try site.write("empty.bin", [])
        return (try SupervisedSidecar(site), bytes)
    }
}
