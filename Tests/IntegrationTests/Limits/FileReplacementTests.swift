import Glibc
import Testing

/// Files that change under a running server, with the open-file cache on (behaviour §3.5, §6.2):
/// the cache revalidates, so the next request sees a renamed-in file or an in-place rewrite,
/// with a new ETag.
@Suite("Files replaced while cached")
struct FileReplacementTests {
    /// behaviour §3.5: a file requested twice (so cached: the metrics count a hit) and then
    /// replaced by rename is served new on the very next request, on the same keep-alive
    /// connection, with a new ETag — even when the new file has the same size and modification
    /// time (only the inode differs).
    @Test func renamedFileIsServedNew() throws {
        let site = try TempSite()
        let old = try site.write("app.js", text: "console.log('old one')\n")
        try site.setModificationTime("app.js")
        let sidecar = try SupervisedSidecar(site, metrics: true)
        let client = try sidecar.connect()
        let first = try client.get("/app.js")
        let before = try sidecar.metrics()
        let second = try client.get("/app.js")
        #expect(first.body == old)
        #expect(second.body == old)
        #expect(second.header("ETag") == first.header("ETag"))
        let hit = "asset_sidecar_file_cache_lookups_total{result=\"hit\"}"
        #expect(try sidecar.metrics().delta(hit, since: before) == 1, "not served from the cache")

        let new = Array("console.log('new one')\n".utf8)
        #expect(new.count == old.count)
        try site.replaceByRename("app.js", new)
        try site.setModificationTime("app.js")
        let after = try client.get("/app.js")
        #expect(after.status == 200)
        #expect(after.body == new)
        #expect(after.header("ETag") != nil)
        #expect(after.header("ETag") != first.header("ETag"))
        #expect(try client.get("/app.js").body == new)
    }

    /// behaviour §3.4, §4.1: a cached file rewritten in place with bytes of the same size gets a new
    /// ETag (and its new bytes) on the next request: the write moved its modification time.
    @Test func inPlaceRewriteGetsNewETag() throws {
        let site = try TempSite()
        let old = try site.write("data.txt", text: "0123456789abcdef\n")
        try site.setModificationTime("data.txt")
        let sidecar = try SupervisedSidecar(site, metrics: true)
        let client = try sidecar.connect()
        let first = try client.get("/data.txt")
        #expect(first.body == old)
        let before = try sidecar.metrics()
        #expect(try client.get("/data.txt").header("ETag") == first.header("ETag"))
        let hit = "asset_sidecar_file_cache_lookups_total{result=\"hit\"}"
        #expect(try sidecar.metrics().delta(hit, since: before) == 1, "not served from the cache")

        let new = Array("fedcba9876543210\n".utf8)
        try site.write("data.txt", new, at: 0)
        let after = try client.get("/data.txt")
        #expect(after.status == 200)
        #expect(after.body == new)
        #expect(after.header("ETag") != first.header("ETag"))
        #expect(after.header("Last-Modified") != first.header("Last-Modified"))
    }
}
