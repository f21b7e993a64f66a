import Glibc
import Testing

/// The metrics socket (behaviour §7.2): a socket named `metrics` serves the Prometheus text format —
/// responses by status, bytes by method (sendfile or copied), open connections, cache lookups,
/// truncations and timeouts — to GET and HEAD, and 405 to other methods.
@Suite("Metrics socket")
struct MetricsTests {
    /// behaviour §7.2: between two scrapes the counters grow by exactly what was served: three 200s
    /// (plus the first scrape's own 200), two 404s, the large body's bytes through sendfile
    /// and the heads through copies.
    @Test func countersMatchWhatWasServed() throws {
        let site = try TempSite()
        let large = try site.writeRandom("large.bin", count: 1 << 20)
        let small = try site.write("small.txt", text: "small\n")
        let sidecar = try SupervisedSidecar(site, metrics: true)
        try sidecar.start()

        let before = try sidecar.metrics()
        let client = try sidecar.connect()
        #expect(try client.get("/large.bin").body == large)
        #expect(try client.get("/small.txt").body == small)
        #expect(try client.get("/small.txt").body == small)
        #expect(try client.get("/missing.txt").status == 404)
        #expect(try client.get("/missing/deeper.txt").status == 404)
        let after = try sidecar.metrics()

        #expect(after.responses(200) - before.responses(200) == 4, "\(after)")
        #expect(after.responses(404) - before.responses(404) == 2, "\(after)")
        let sendfile = "asset_sidecar_sent_bytes_total{method=\"sendfile\"}"
        let copy = "asset_sidecar_sent_bytes_total{method=\"copy\"}"
        #expect(after.delta(sendfile, since: before) >= Double(large.count), "\(after)")
        #expect(after.delta(copy, since: before) > 0, "\(after)")
        for series in [
            "asset_sidecar_truncations_total", "asset_sidecar_timeouts_total{kind=\"header\"}",
            "asset_sidecar_timeouts_total{kind=\"idle\"}",
            "asset_sidecar_timeouts_total{kind=\"send\"}",
        ] {
            #expect(after.values[series] != nil, "no \(series) in \(after)")
            #expect(after.delta(series, since: before) == 0, "\(series) grew: \(after)")
        }
        client.close()
    }

    /// behaviour §7.2: the open-connections gauge counts a connection while it is open (plus the
    /// scrape's own), and stops counting it once it is closed.
    @Test func openConnectionsGaugeFollowsConnections() throws {
        let site = try TempSite()
        try site.write("a.txt", text: "a\n")
        let sidecar = try SupervisedSidecar(site, metrics: true)
        try sidecar.start()
        let gauge = "asset_sidecar_open_connections"

        let held = try sidecar.connect()
        #expect(try held.get("/a.txt").status == 200)
        let open = try sidecar.metrics()
        #expect(open[gauge] >= 2, "\(open)")

        held.close()
        // Only the scrape's own connection remains (the server sees the close shortly after).
        try BoundedWait.until("open_connections back to 1") {
            try sidecar.metrics()[gauge] == 1
        }
    }

    /// behaviour §2.1, §2.2, §7.2: HEAD gets GET's head without the body; POST gets 405 with
    /// `Allow: GET, HEAD`.
    @Test func headAndOtherMethods() throws {
        let sidecar = try SupervisedSidecar(TempSite(), metrics: true)
        try sidecar.start()
        let client = try sidecar.connectMetrics()
        let get = try client.get("/metrics")
        #expect(get.status == 200)
        #expect(get.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(get.text.contains("# TYPE asset_sidecar_responses_total counter"))
        _ = try MetricsSample(text: get.text)

        let head = try client.get("/metrics", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Type") == get.header("Content-Type"))
        #expect(head.header("Content-Length").flatMap { Int($0) } ?? 0 > 0)

        let post = try client.get("/metrics", ["Content-Length: 0"], method: "POST")
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, HEAD")
    }
}
