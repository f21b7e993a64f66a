import Glibc
import Testing

/// behaviour §4.1 and RFC 9110 §8.8.1: a file modified within the last second gets a weak ETag
/// (`W/"…"`), because a second rewrite in the same second could keep a strong validator
/// unchanged; once the file has settled its ETag is strong. Every case writes a file of its
/// own. Nothing here depends on timing to pass: a freshness check reads the server's own
/// `Date` and rewrites the file to try again when the machine was too slow for the file to
/// still count as fresh; settling is awaited by polling with a bound.
@Suite("Conformance: validator strength (behaviour §4.1, §5.1–§5.2)", .conformanceSite)
struct ValidatorConformanceTests {
    /// Writes `bytes` to `path` and runs `requests`, again (at most 20 times) until every
    /// response's `Date` shows the server answered within a second of the file's modification
    /// time, so that it had to treat the file as fresh; returns those responses.
    private static func whileFresh(
        _ site: ConformanceSite, _ path: String, _ bytes: [UInt8],
        _ requests: () throws -> [HTTPResponse]
    ) throws -> (responses: [HTTPResponse], mtime: Int) {
        for _ in 0..<20 {
            try site.write(path, bytes)
            let mtime = Int(try site.fileStatus(path).st_mtim.tv_sec)
            let responses = try requests()
            let dates = responses.compactMap { $0.header("Date").flatMap(ConformanceDate.seconds) }
            if dates.count == responses.count && dates.allSatisfy({ $0 <= mtime + 1 }) {
                return (responses, mtime)
            }
        }
        throw SupportError.timedOut("20 attempts to query \(path) while it was fresh")
    }

    /// The ETag behaviour §4.1 derives from `stat`: `"INODE-SIZE-MTIMENS"` in hexadecimal.
    private static func derivedETag(_ info: stat) -> String {
        let nanoseconds =
            UInt64(info.st_mtim.tv_sec) * 1_000_000_000 + UInt64(info.st_mtim.tv_nsec)
        return "\"\(String(UInt64(info.st_ino), radix: 16))-\(String(info.st_size, radix: 16))-"
            + "\(String(nanoseconds, radix: 16))\""
    }

    /// behaviour §4.1: a file written just now is served with a weak ETag and the Last-Modified of
    /// its mtime (RFC 9110 §8.8.1: weak while it could change again unnoticed).
    @Test func freshFileHasAWeakETag() throws {
        let site = try ConformanceSite.get()
        let bytes = Array("written just now\n".utf8)
        let (responses, mtime) = try Self.whileFresh(site, "fresh/weak.txt", bytes) {
            [try site.send("GET", "/fresh/weak.txt")]
        }
        let response = responses[0]
        #expect(response.status == 200)
        #expect(response.body == bytes)
        let etag = try #require(response.header("ETag"))
        #expect(etag.hasPrefix("W/\"") && ConformanceSite.isEntityTag(etag), "\(etag)")
        #expect(etag == "W/" + Self.derivedETag(try site.fileStatus("fresh/weak.txt")))
        #expect(response.header("Last-Modified") == ConformanceDate.string(mtime))
    }

    /// RFC 9110 §8.8.3.2 with behaviour §5.1–§5.2 on a weakly validated file: If-Match (strong
    /// comparison) never matches it, If-None-Match (weak comparison) does, If-Range with its
    /// tag or its date never holds (§13.1.5: a weak tag, or a date that is not a strong
    /// validator), while a plain Range still works.
    @Test func weakValidatorInEachCondition() throws {
        let site = try ConformanceSite.get()
        let path = "fresh/conditions.bin"
        let bytes = SeededBytes.make(count: 100, seed: 5)
        let target = "/" + path
        var expectations: [(String, [String], Int)] = []
        let (responses, _) = try Self.whileFresh(site, path, bytes) {
            let first = try site.send("GET", target)
            guard let etag = first.header("ETag"), let date = first.header("Last-Modified")
            else { return [first] }
            let opaque = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
            expectations = [
                ("If-Match with the W/ tag → 412", ["If-Match: \(etag)"], 412),
                ("If-Match with the tag unweakened → 412", ["If-Match: \(opaque)"], 412),
                ("If-Match: * → 200", ["If-Match: *"], 200),
                ("If-None-Match with the W/ tag → 304", ["If-None-Match: \(etag)"], 304),
                ("If-None-Match with the tag unweakened → 304", ["If-None-Match: \(opaque)"], 304),
                ("If-Range with the W/ tag → 200", ["Range: bytes=0-9", "If-Range: \(etag)"], 200),
                ("If-Range with the date → 200", ["Range: bytes=0-9", "If-Range: \(date)"], 200),
                ("Range alone → 206", ["Range: bytes=0-9"], 206),
            ]
            return [first] + (try expectations.map { try site.send("GET", target, $0.1) })
        }
        let etag = try #require(responses[0].header("ETag"))
        #expect(etag.hasPrefix("W/"), "fresh file: \(etag)")
        try #require(responses.count == expectations.count + 1)
        for (response, expectation) in zip(responses.dropFirst(), expectations) {
            #expect(response.status == expectation.2, "\(expectation.0)")
            if response.status == 304 { #expect(response.header("ETag") == etag) }
            if response.status == 206 { #expect(response.body == Array(bytes[0...9])) }
            if response.status == 200 && expectation.1.count == 2 {
                #expect(response.body == bytes, "\(expectation.0): whole file")
            }
        }
    }

    /// behaviour §4.1, RFC 9110 §8.8.1: a file rewritten in place, same size, within the same
    /// second, must not keep a validator that still claims the old bytes: the two ETags differ
    /// or are weak. Once the file has settled (polled with a bound), its ETag is strong, the
    /// one derived from its metadata, and it validates (304, If-Range 206).
    @Test func sameSecondRewriteThenSettle() throws {
        let site = try ConformanceSite.get()
        let path = "fresh/rewritten.txt"
        let target = "/" + path
        let old = Array("version one, 32 bytes of text!!\n".utf8)
        let new = Array("version two, 32 bytes of text!!\n".utf8)
        var firstETag: String?
        var sameSecond = false
        for _ in 0..<20 where !sameSecond {
            try site.write(path, old)
            let before = try site.fileStatus(path)
            let first = try site.send("GET", target)
            try site.write(path, new)
            let after = try site.fileStatus(path)
            let second = try site.send("GET", target)
            #expect(first.body == old && second.body == new)
            sameSecond = before.st_mtim.tv_sec == after.st_mtim.tv_sec
            guard sameSecond, let one = first.header("ETag"), let two = second.header("ETag")
            else { continue }
            #expect(
                one != two || (one.hasPrefix("W/") && two.hasPrefix("W/")),
                "same-second rewrite kept the strong validator \(one)")
            #expect(after.st_ino == before.st_ino && after.st_size == before.st_size)
            firstETag = two
        }
        #expect(sameSecond, "never managed two writes within one second")
        var settled: HTTPResponse?
        try BoundedWait.until("\(path) gets a strong ETag", timeout: .seconds(10)) {
            let response = try site.send("GET", target)
            settled = response
            return response.header("ETag").map(ConformanceSite.isStrong) ?? false
        }
        let response = try #require(settled)
        let strong = try #require(response.header("ETag"))
        #expect(strong == Self.derivedETag(try site.fileStatus(path)))
        #expect(strong != firstETag)
        #expect(response.body == new)
        let notModified = try site.send("GET", target, ["If-None-Match: \(strong)"])
        #expect(notModified.status == 304)
        let partial = try site.send(
            "GET", target, ["Range: bytes=0-6", "If-Range: \(strong)"])
        #expect(partial.status == 206)
        #expect(partial.body == Array(new[0...6]))
        let byDate = try site.send(
            "GET", target,
            ["Range: bytes=0-6", "If-Range: \(response.header("Last-Modified") ?? "")"])
        #expect(byDate.status == 206, "If-Range with the Last-Modified of a settled file")
    }
}
