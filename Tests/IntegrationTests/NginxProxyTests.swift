import Testing

/// A real nginx in front, configured as `deploy/nginx/asset-sidecar.conf` recommends:
/// `upstream { server unix:…; keepalive; }`, `proxy_http_version 1.1`, `Connection ""`.
@Suite("Behind nginx")
struct NginxProxyTests {
    /// behaviour §1.1, §8.1: GETs, a range, a HEAD and a 404 pass through nginx intact, and nginx
    /// reuses its upstream connection: the sidecar sees one connection for all the requests.
    @Test func proxiedRequestsAreExactAndReuseTheUpstreamConnection() throws {
        let site = try TempSite()
        let big = try site.writeRandom("big.bin", count: 3_000_000, seed: 21)
        let page = try site.write("index.html", text: "<!doctype html><p>hi</p>\n")
        let served = try SupervisedSidecar(site)
        try served.start()
        let nginx = try NginxProcess(.proxy(upstreamSocket: served.sidecar.socketPath))
        let listener = try ProcessInspection.descriptors(served.pid)[3]

        var connections: Set<String> = []
        var requests = 0
        /// One request on a new client connection to nginx; notes the sidecar's connections.
        func proxied(_ target: String, _ fields: [String] = [], method: String = "GET") throws
            -> HTTPResponse
        {
            let response = try nginx.connect().get(target, fields, method: method)
            requests += 1
            for (fd, target) in try ProcessInspection.descriptors(served.pid)
            where target.hasPrefix("socket:") && fd != 3 && target != listener {
                connections.insert(target)
            }
            return response
        }

        let whole = try proxied("/big.bin")
        #expect(whole.status == 200)
        #expect(
            ByteComparison.firstDifference(whole.body, big) == nil,
            "\(ByteComparison.describe(whole.body, big))")

        let range = try proxied("/big.bin", ["Range: bytes=1000000-1000099"])
        #expect(range.status == 206)
        #expect(range.header("Content-Range") == "bytes 1000000-1000099/3000000")
        #expect(range.body == Array(big[1_000_000...1_000_099]))

        let missing = try proxied("/missing.txt")
        #expect(missing.status == 404)

        let head = try proxied("/big.bin", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "3000000")

        for _ in 0..<4 {
            let response = try proxied("/")
            #expect(response.status == 200)
            #expect(response.body == page)
        }
        #expect(requests == 8)
        #expect(
            connections.count < requests,
            "the sidecar saw \(connections.count) connections for \(requests) requests")
        #expect(!connections.isEmpty, "no upstream connection seen open")
        #expect(!nginx.errorLog.contains("[error]"), "\(nginx.errorLog)")
        try nginx.stop()
    }
}
