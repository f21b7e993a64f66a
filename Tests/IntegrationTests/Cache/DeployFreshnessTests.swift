import Glibc
import Testing

/// The deploy patterns of issue 9 against the real binary and a real filesystem, each in both
/// revalidation modes: `auto` (inotify events; no system call on a hit) and `always` (the
/// diagnostic fallback, one `fstatat` per hit). A request sent after the change returned must
/// see the new state, on a warm keep-alive connection whose previous answer was a cache hit.
@Suite("Deploys seen at once by the open-file cache")
struct DeployFreshnessTests {
    static let modes = ["auto", "always"]

    /// Writes `text` to `relativePath` with a past modification time (a strong ETag, so the
    /// file is cached), through a staging name renamed over it when `byRename`.
    static func deploy(
        _ site: TempSite, _ relativePath: String, _ text: String, byRename: Bool = true,
        seconds: Int = TempSite.pastModificationTime
    ) throws {
        let staging = byRename ? relativePath + ".staging" : relativePath
        try site.write(staging, text: text)
        try site.setModificationTime(staging, seconds: seconds)
        if byRename {
            try SupportError.check(
                rename(site.path(staging), site.path(relativePath)), "rename \(staging)")
        }
    }

    /// Replaces the symbolic link `relativePath` by one to `target` atomically, as
    /// `ln -sfn TARGET LINK.tmp && mv -T LINK.tmp LINK` does.
    static func switchLink(_ site: TempSite, _ relativePath: String, to target: String) throws {
        try site.symlink(relativePath + ".tmp", to: target)
        try SupportError.check(
            rename(site.path(relativePath + ".tmp"), site.path(relativePath)), "rename link")
    }

    /// Requests `target` twice on `client` (the second answer comes from the cache) and
    /// checks both bodies.
    static func expectCached(
        _ client: UnixHTTPClient, _ target: String, _ text: String, _ sidecar: CacheSidecar
    ) throws {
        let hit = "asset_sidecar_file_cache_lookups_total{result=\"hit\"}"
        #expect(try client.get(target).text == text)
        let before = try sidecar.metrics()
        #expect(try client.get(target).text == text)
        #expect(try sidecar.metrics().delta(hit, since: before) == 1, "not served from the cache")
    }

    /// 10,000 rounds of rename-then-request on one keep-alive connection: each new file
    /// (a new inode with a strong validator, so cached when first served) is asked for right
    /// after its `rename` returned, then again from the cache.
    @Test(arguments: modes) func renameThenRequestIsNeverStale(mode: String) throws {
        let site = try TempSite()
        try Self.deploy(site, "app.js", "round -1")
        let sidecar = try CacheSidecar(root: site.root, ["--revalidate", mode])
        let client = try sidecar.connect()
        try Self.expectCached(client, "/app.js", "round -1", sidecar)
        var stale = 0
        for round in 0..<10_000 {
            try Self.deploy(site, "app.js", "round \(round)", seconds: 1_700_000_000 + round % 2)
            let fresh = try client.get("/app.js")
            let cached = try client.get("/app.js")
            if fresh.text != "round \(round)" || cached.text != "round \(round)" { stale += 1 }
        }
        #expect(stale == 0)
        let lookups = try sidecar.metrics()
        let misses = lookups["asset_sidecar_file_cache_lookups_total{result=\"miss\"}"]
        let hits = lookups["asset_sidecar_file_cache_lookups_total{result=\"hit\"}"]
        #expect(misses >= 10_001, "the new files were not looked up afresh")
        #expect(hits >= 10_001, "the new files were not served from the cache")
    }

    /// `--root /srv/app/current` with `current -> releases/v1`, switched to `releases/v2`:
    /// the next request is answered from v2, a response in flight finishes from v1, and no
    /// descriptor of the old tree stays open.
    @Test(arguments: modes) func aSwitchedRootSymlinkIsFollowed(mode: String) throws {
        let site = try TempSite()
        try Self.deploy(site, "releases/v1/index.html", "v1", byRename: false)
        try Self.deploy(site, "releases/v2/index.html", "v2", byRename: false)
        let big = try site.writeRandom("releases/v1/big.bin", count: 8 << 20)
        try site.setModificationTime("releases/v1/big.bin")
        try site.symlink("current", to: "releases/v1")
        let sidecar = try CacheSidecar(
            root: site.path("current"), ["--revalidate", mode, "--threads", "2"])
        let client = try sidecar.connect()
        try Self.expectCached(client, "/index.html", "v1", sidecar)
        let download = try sidecar.connect()
        try download.send(UnixHTTPClient.request("GET", "/big.bin"))
        let (head, length) = try download.readHead()
        #expect(head.status == 200)
        #expect(length == big.count)

        try Self.switchLink(site, "current", to: "releases/v2")
        #expect(try client.get("/index.html").text == "v2")
        #expect(try client.get("/big.bin").status == 404)
        var body: [UInt8] = []
        for _ in 0..<(big.count / 1024 + 1) where body.count < big.count {
            body += try download.readBytes(atMost: big.count - body.count)
        }
        #expect(body == big, "the response in flight did not finish from the old tree")
        download.close()
        if mode == "auto" {
            let old = site.path("releases/v1")
            try BoundedWait.until("the old tree's descriptors closed", timeout: .seconds(1)) {
                try sidecar.descriptors(under: old) == 0
            }
        }
    }

    /// A release symlink inside the root (`static -> builds/a`) switched to `builds/b`.
    @Test(arguments: modes) func aSwitchedSymlinkInsideTheRootIsFollowed(mode: String) throws {
        let site = try TempSite()
        try Self.deploy(site, "builds/a/app.css", "a", byRename: false)
        try Self.deploy(site, "builds/b/app.css", "b", byRename: false)
        try site.symlink("static", to: "builds/a")
        let sidecar = try CacheSidecar(root: site.root, ["--revalidate", mode])
        let client = try sidecar.connect()
        try Self.expectCached(client, "/static/app.css", "a", sidecar)
        try Self.switchLink(site, "static", to: "builds/b")
        #expect(try client.get("/static/app.css").text == "b")
    }

    /// The Kubernetes ConfigMap/Secret volume: `config.json -> ..data/config.json`,
    /// `..data -> ..2024_01`, updated by writing `..2024_02` and swapping `..data`.
    @Test(arguments: modes) func aConfigMapDataSwapIsSeen(mode: String) throws {
        let site = try TempSite()
        try Self.deploy(site, "..2024_01/config.json", "{\"v\":1}", byRename: false)
        try site.symlink("..data", to: "..2024_01")
        try site.symlink("config.json", to: "..data/config.json")
        let sidecar = try CacheSidecar(root: site.root, ["--revalidate", mode])
        let client = try sidecar.connect()
        try Self.expectCached(client, "/config.json", "{\"v\":1}", sidecar)
        try Self.deploy(site, "..2024_02/config.json", "{\"v\":2}", byRename: false)
        try Self.switchLink(site, "..data", to: "..2024_02")
        #expect(try client.get("/config.json").text == "{\"v\":2}")
    }

    /// `mv assets assets.old && mv assets.new assets`: every file beneath is seen anew.
    @Test(arguments: modes) func aMovedDirectoryTreeIsSeen(mode: String) throws {
        let site = try TempSite()
        try Self.deploy(site, "assets/js/app.js", "old", byRename: false)
        try Self.deploy(site, "assets.new/js/app.js", "new", byRename: false)
        let sidecar = try CacheSidecar(root: site.root, ["--revalidate", mode])
        let client = try sidecar.connect()
        try Self.expectCached(client, "/assets/js/app.js", "old", sidecar)
        try SupportError.check(rename(site.path("assets"), site.path("assets.old")), "mv")
        #expect(try client.get("/assets/js/app.js").status == 404)
        try SupportError.check(rename(site.path("assets.new"), site.path("assets")), "mv")
        #expect(try client.get("/assets/js/app.js").text == "new")
    }

    /// `rsync --delay-updates`: new files land in `.~tmp~/` and are renamed into place at the
    /// end, one after another; then the staging directory goes.
    @Test(arguments: modes) func delayedUpdatesAreSeen(mode: String) throws {
        let site = try TempSite()
        let names = ["a.css", "b.css", "c.css"]
        for name in names { try Self.deploy(site, "css/" + name, "old " + name, byRename: false) }
        let sidecar = try CacheSidecar(root: site.root, ["--revalidate", mode])
        let client = try sidecar.connect()
        for name in names { try Self.expectCached(client, "/css/" + name, "old " + name, sidecar) }
        for name in names {
            try Self.deploy(site, "css/.~tmp~/" + name, "new " + name, byRename: false)
        }
        for name in names {
            try SupportError.check(
                rename(site.path("css/.~tmp~/" + name), site.path("css/" + name)), "rename")
        }
        try SupportError.check(rmdir(site.path("css/.~tmp~")), "rmdir")
        for name in names { #expect(try client.get("/css/" + name).text == "new " + name) }
    }

    /// An unlinked file is gone at once; one truncated in place is served at its new length,
    /// and a variant added beside a cached file is offered to the next request that accepts
    /// it.
    @Test(arguments: modes) func unlinkTruncateAndNewVariantsAreSeen(mode: String) throws {
        let site = try TempSite()
        try Self.deploy(site, "gone.txt", "gone", byRename: false)
        try Self.deploy(site, "cut.txt", "0123456789", byRename: false)
        try Self.deploy(site, "page.html", "<p>plain</p>", byRename: false)
        let sidecar = try CacheSidecar(root: site.root, ["--revalidate", mode])
        let client = try sidecar.connect()
        try Self.expectCached(client, "/gone.txt", "gone", sidecar)
        try Self.expectCached(client, "/cut.txt", "0123456789", sidecar)
        let gzip = ["Accept-Encoding: gzip"]
        #expect(try client.get("/page.html", gzip).header("Content-Encoding") == nil)
        #expect(try client.get("/page.html", gzip).header("Content-Encoding") == nil)

        try SupportError.check(unlink(site.path("gone.txt")), "unlink")
        #expect(try client.get("/gone.txt").status == 404)
        try site.truncate("cut.txt", to: 4)
        #expect(try client.get("/cut.txt").text == "0123")
        try Self.deploy(site, "page.html.gz", "gzipped", byRename: false)
        #expect(try client.get("/page.html", gzip).header("Content-Encoding") == "gzip")
    }
}
