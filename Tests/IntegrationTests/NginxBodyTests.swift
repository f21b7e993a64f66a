import Testing

/// behaviour §2.4 through a real nginx front (`proxy_next_upstream off`, so nginx retries
/// nothing and hides no upstream failure): every request with a body that asset-sidecar will
/// not use gets the sidecar's own answer, never a 502, and nginx logs no upstream error.
@Suite("Request bodies behind nginx")
struct NginxBodyTests {
    /// Body sizes from 1 KB to nginx's default `client_max_body_size` (1m), which is also the
    /// sidecar's default `--max-discard-body`.
    static let sizes = [1000, 16_384, 65_536, 200_000, 900_000, 1 << 20]

    /// POST, PUT and DELETE with bodies of every size, a GET with bodies, and an unknown
    /// method with bodies (501, which closes: a lingering close): the status through nginx is
    /// the one the sidecar gives on its own socket, and the GET that follows each is served.
    @Test func everyBodyGetsTheSidecarsOwnStatus() throws {
        let site = try TempSite()
        let page = try site.write("index.html", text: "<p>after</p>\n")
        try site.write("smuggled.txt", text: "SMUGGLED\n")
        let served = try SupervisedSidecar(site)
        let nginx = try NginxProcess(
            .proxy(upstreamSocket: served.sidecar.socketPath), unixSocket: true,
            locationDirectives: "proxy_next_upstream off;")

        var variants: [(method: String, size: Int)] = []
        for method in ["POST", "PUT", "DELETE"] {
            variants += Self.sizes.map { (method, $0) }
        }
        variants += [
            ("GET", 1000), ("GET", 200_000), ("FROBNICATE", 1000), ("FROBNICATE", 900_000),
        ]
        var badGateways = 0
        for (method, size) in variants {
            do {
                let request = SmugglingBody.request(method, "/index.html", count: size)
                let direct = try served.connect()
                try direct.send(request)
                let own = try direct.readResponse(method: method).status
                let expected = ["GET": 413, "FROBNICATE": 501][method] ?? 405
                #expect(own == expected, "\(method) \(size): direct \(own)")

                let client = try nginx.connect(timeout: .seconds(10))
                try client.send(request, timeout: .seconds(10))
                let proxied = try client.readResponse(method: method)
                if proxied.status == 502 { badGateways += 1 }
                #expect(proxied.status == own, "\(method) \(size) through nginx")
                #expect(!proxied.text.contains("SMUGGLED"), "\(method) \(size)")
                let after = try client.get("/index.html")
                #expect(after.status == 200, "GET after \(method) \(size)")
                #expect(after.body == page, "GET after \(method) \(size)")
            } catch {
                Issue.record("\(method) \(size): \(error)")
            }
        }
        print("bodies through nginx: \(variants.count) requests, \(badGateways) × 502")
        #expect(badGateways == 0)
        let upstreamErrors = nginx.errorLog.split(separator: "\n").filter {
            $0.contains("[error]") || $0.contains("upstream")
        }
        #expect(upstreamErrors.isEmpty, "\(upstreamErrors.joined(separator: "\n"))")
        try nginx.stop()
    }
}
