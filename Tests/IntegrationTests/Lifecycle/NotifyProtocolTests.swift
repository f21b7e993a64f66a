import Glibc
import Testing

/// The `sd_notify` conversation with the service manager (behaviour §1.6): `READY=1` first, then
/// periodic `STATUS=` summaries that count what was served, `RELOADING=1` and `READY=1` around a
/// SIGHUP (which drops the file caches), and `STOPPING=1` before a clean exit on SIGTERM.
@Suite("sd_notify protocol")
struct NotifyProtocolTests {
    /// behaviour §1.6: the first message is `READY=1`, from the sidecar's own PID; a later `STATUS=`
    /// counts at least the requests served before it and the bytes of their bodies, and the
    /// connection still open; every `STATUS=` has the summary's form.
    @Test func readyComesFirstAndStatusCountsRequests() throws {
        let site = try TempSite()
        let body = try site.writeRandom("data.bin", count: 10_000)
        let sidecar = try SupervisedSidecar(site)
        let client = try sidecar.connect()
        let requests = 5
        for _ in 0..<requests {
            let response = try client.get("/data.bin")
            #expect(response.status == 200)
            #expect(response.body == body)
        }

        let first = try #require(try sidecar.notify.receive(timeout: .seconds(10)))
        #expect(first.contains("READY=1"), "first message: \(first)")
        #expect(first.senderPID == sidecar.pid)

        // A response is counted when it starts and its bytes as they go out, so one summary
        // can count a request whose bytes are still on the way: wait for one with both.
        let summary = try sidecar.notify.waitForStatus(timeout: .seconds(10)) {
            $0.requests >= requests && $0.bytesSent >= Int64(requests * body.count)
        }
        #expect(summary.connections >= 1, "the client's connection is still open: \(summary)")
        for message in sidecar.notify.received {
            #expect(message.senderPID == sidecar.pid, "from another process: \(message)")
            if let status = message["STATUS"] {
                #expect(StatusSummary(status) != nil, "STATUS= not a summary: \(status)")
            }
        }
        client.close()
    }

    /// behaviour §1.6: SIGHUP gives `RELOADING=1` with `MONOTONIC_USEC=` (the time of the reload on
    /// CLOCK_MONOTONIC, which every process shares) and then `READY=1`; SIGTERM gives
    /// `STOPPING=1` and exit status 0. The messages come in that order, all from the sidecar.
    @Test func reloadAndStopAreAnnouncedInOrder() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "a\n")
        let sidecar = try SupervisedSidecar(site)
        try sidecar.start()

        let beforeReload = Self.monotonicMicroseconds()
        sidecar.sidecar.signal(SIGHUP)
        let reloading = try sidecar.notify.waitFor("RELOADING=1", timeout: .seconds(10))
        let afterReload = Self.monotonicMicroseconds()
        let stamp = try #require(reloading["MONOTONIC_USEC"].flatMap { UInt64($0) })
        #expect((beforeReload...afterReload).contains(stamp), "MONOTONIC_USEC=\(stamp)")
        try sidecar.notify.waitFor("READY=1", timeout: .seconds(10))
        #expect(try sidecar.get("/a.txt").body == body)

        sidecar.sidecar.terminate()
        try sidecar.notify.waitFor("STOPPING=1", timeout: .seconds(10))
        #expect(try sidecar.sidecar.waitForExit(timeout: .seconds(15)) == .exited(0))

        let lifecycle = sidecar.notify.received.compactMap { message in
            message.assignments.first { ["READY", "RELOADING", "STOPPING"].contains($0.key) }
                .map { "\($0.key)=\($0.value)" }
        }
        #expect(lifecycle == ["READY=1", "RELOADING=1", "READY=1", "STOPPING=1"])
        #expect(sidecar.notify.received.allSatisfy { $0.senderPID == sidecar.pid })
    }

    /// behaviour §1.6, §6.2: SIGHUP drops the open-file caches. On one keep-alive connection (one
    /// loop, one cache) a file requested before is a cache hit; after the reload's `READY=1`
    /// the same request is a miss, and is still served. (The file's modification time is in
    /// the past: one modified within the last second has a weak ETag and is never cached.)
    @Test func reloadDropsTheFileCache() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "cached\n")
        try site.setModificationTime("a.txt")
        let sidecar = try SupervisedSidecar(site, metrics: true)
        let client = try sidecar.connect()
        #expect(try client.get("/a.txt").body == body)
        #expect(try client.get("/a.txt").body == body)
        try sidecar.notify.waitFor("READY=1", timeout: .seconds(10))

        let hit = "asset_sidecar_file_cache_lookups_total{result=\"hit\"}"
        let miss = "asset_sidecar_file_cache_lookups_total{result=\"miss\"}"
        let warm = try sidecar.metrics()
        #expect(try client.get("/a.txt").body == body)
        let cached = try sidecar.metrics()
        #expect(cached.delta(hit, since: warm) == 1, "\(cached)")
        #expect(cached.delta(miss, since: warm) == 0, "\(cached)")

        sidecar.sidecar.signal(SIGHUP)
        try sidecar.notify.waitFor("RELOADING=1", timeout: .seconds(10))
        try sidecar.notify.waitFor("READY=1", timeout: .seconds(10))

        let again = try client.get("/a.txt")
        #expect(again.status == 200)
        #expect(again.body == body)
        let reloaded = try sidecar.metrics()
        #expect(reloaded.delta(miss, since: cached) == 1, "\(reloaded)")
        #expect(reloaded.delta(hit, since: cached) == 0, "\(reloaded)")
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
