import Glibc
import Testing

/// How long the open-file cache holds descriptors (issue 9): a replaced file's is released
/// at once when notifications are in force, any entry's after the inactivity period; the
/// cache's share per loop bounds the total; the mode in force is in the start-up log and the
/// metrics.
@Suite("Open-file cache lifecycle")
struct CacheLifecycleTests {
    /// `count` files `f0.txt`… with past modification times (strong ETags: cached).
    static func populate(_ site: TempSite, count: Int) throws {
        for index in 0..<count {
            try site.write("f\(index).txt", text: "file \(index)")
            try site.setModificationTime("f\(index).txt")
        }
    }

    /// Requests every file on each of `connections` connections (so each loop that accepts
    /// one caches them) and returns the descriptors held on the site's files.
    static func warm(
        _ sidecar: CacheSidecar, _ site: TempSite, count: Int, connections: Int
    ) throws -> Int {
        for _ in 0..<connections {
            let client = try sidecar.connect()
            for index in 0..<count {
                #expect(try client.get("/f\(index).txt").text == "file \(index)")
            }
        }
        return try sidecar.descriptors(under: site.root)
    }

    /// 100 cached files replaced by rename, two loops: no deleted-but-open descriptor remains
    /// 1 s later (the events are read as soon as they arrive), and every file is served new.
    @Test func replacedFilesAreReleasedAtOnce() throws {
        let site = try TempSite()
        try Self.populate(site, count: 100)
        let sidecar = try CacheSidecar(root: site.root, ["--threads", "2"])
        let held = try Self.warm(sidecar, site, count: 100, connections: 4)
        #expect(held >= 100, "the files were not cached")
        for index in 0..<100 {
            try site.replaceByRename("f\(index).txt", Array("new \(index)".utf8))
        }
        try BoundedWait.until("replaced files released", timeout: .seconds(1)) {
            try sidecar.deletedDescriptors() == 0
        }
        let metrics = try sidecar.metrics()
        #expect(metrics["asset_sidecar_file_cache_removals_total{cause=\"changed\"}"] >= 100)
        let client = try sidecar.connect()
        for index in 0..<100 { #expect(try client.get("/f\(index).txt").text == "new \(index)") }
    }

    /// Entries unused for `--open-file-cache-inactive` are closed: the descriptor count goes
    /// back to what the process holds idle (listeners and loops), in either mode; without
    /// notifications that is also how a replaced file's descriptor is released.
    @Test(arguments: ["auto", "always"]) func unusedEntriesAreClosed(mode: String) throws {
        let site = try TempSite()
        try Self.populate(site, count: 20)
        let sidecar = try CacheSidecar(
            root: site.root,
            ["--threads", "2", "--revalidate", mode, "--open-file-cache-inactive", "1s"])
        // Idle, once the loops run (a first answer): everything but connections; the two
        // listeners are the only other sockets.
        _ = try sidecar.metrics()
        let idle = try sidecar.descriptorTargets().filter { !$0.hasPrefix("socket:") }.count + 2
        #expect(try Self.warm(sidecar, site, count: 20, connections: 2) >= 20)
        try site.replaceByRename("f0.txt", Array("new".utf8))
        try BoundedWait.until("unused entries closed", timeout: .seconds(10)) {
            try sidecar.descriptors(under: site.root) == 0
        }
        #expect(try sidecar.deletedDescriptors() == 0)
        try BoundedWait.until("descriptors back to idle", timeout: .seconds(10)) {
            try ProcessInspection.descriptorCount(sidecar.pid) == idle
        }
        let metrics = try sidecar.metrics()
        #expect(metrics["asset_sidecar_file_cache_removals_total{cause=\"inactive\"}"] >= 19)
        #expect(metrics["asset_sidecar_file_cache_entries{revalidation=\"events\"}"] == 0)
        #expect(metrics["asset_sidecar_file_cache_entries{revalidation=\"per_request\"}"] == 0)
    }

    /// `--open-file-cache` is the total over the loops: with 2 loops and 10 entries, at most 10
    /// of 40 hot files stay open however the connections spread, and the least recently used
    /// entries are the ones evicted.
    @Test func theCacheBoundCoversEveryLoop() throws {
        let site = try TempSite()
        try Self.populate(site, count: 40)
        let sidecar = try CacheSidecar(
            root: site.root, ["--threads", "2", "--open-file-cache", "10"])
        let held = try Self.warm(sidecar, site, count: 40, connections: 4)
        #expect(held <= 10)
        #expect(held >= 5)
        let metrics = try sidecar.metrics()
        #expect(metrics["asset_sidecar_file_cache_removals_total{cause=\"evicted\"}"] >= 70)
    }

    /// The mode in force is reported at start-up and in the metrics: events by default on a
    /// local filesystem, per-request revalidation with `--revalidate always`.
    @Test(arguments: ["auto", "always"]) func theModeIsReported(mode: String) throws {
        let site = try TempSite()
        try Self.populate(site, count: 1)
        let sidecar = try CacheSidecar(root: site.root, ["--threads", "2", "--revalidate", mode])
        let metrics = try sidecar.metrics()
        let events = metrics["asset_sidecar_file_revalidation_mode{mode=\"events\"}"]
        let perRequest = metrics["asset_sidecar_file_revalidation_mode{mode=\"per_request\"}"]
        #expect(events == (mode == "auto" ? 2 : 0))
        #expect(perRequest == (mode == "auto" ? 0 : 2))
        let line = mode == "auto" ? "mode=events" : "mode=per_request (disabled by --revalidate"
        try BoundedWait.until("the start-up line") {
            sidecar.process.standardError.contains("open-file cache revalidation")
        }
        #expect(sidecar.process.standardError.contains(line), "\(sidecar.process.standardError)")
    }
}
