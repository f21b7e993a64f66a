import Testing

/// curl(1), a client nobody here wrote, talking to the sidecar's Unix socket.
@Suite("curl --unix-socket")
struct CurlTests {
    /// behaviour §1.1, §3.4: `curl --unix-socket` GET gets the whole file, byte for byte.
    @Test func curlGet() throws {
        let (served, bytes) = try Self.serve()
        let result = try Curl.run(["http://localhost/f.bin"], unixSocket: served.sidecar.socketPath)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.status == 200)
        #expect(result.header("Content-Length") == String(bytes.count))
        #expect(
            ByteComparison.firstDifference(result.body, bytes) == nil,
            "\(ByteComparison.describe(result.body, bytes))")
    }

    /// behaviour §2.2: `curl -I` (HEAD) gets the header fields and no body.
    @Test func curlHead() throws {
        let (served, bytes) = try Self.serve()
        let result = try Curl.run(
            ["-I", "http://localhost/f.bin"], unixSocket: served.sidecar.socketPath)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.status == 200)
        #expect(result.header("Content-Length") == String(bytes.count))
        #expect(result.header("Accept-Ranges") == "bytes")
        // With -I curl writes the head itself to the output file: nothing may follow it.
        #expect(result.text.hasPrefix("HTTP/1.1 200"))
        #expect(result.text.hasSuffix("\r\n\r\n"), "bytes after the head: \(result.text)")
    }

    /// behaviour §5.3: `curl -r` gets a 206 with the exact bytes.
    @Test(arguments: [
        ("1000-1999", 1000, 1999), ("-100", 199_900, 199_999), ("199000-", 199_000, 199_999),
    ])
    func curlRange(range: String, first: Int, last: Int) throws {
        let (served, bytes) = try Self.serve()
        let result = try Curl.run(
            ["-r", range, "http://localhost/f.bin"], unixSocket: served.sidecar.socketPath)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.status == 206)
        #expect(result.header("Content-Range") == "bytes \(first)-\(last)/\(bytes.count)")
        #expect(result.body == Array(bytes[first...last]))
    }

    /// behaviour §3.3: curl sees the 404 and the 301 as sent.
    @Test func curlErrorsAndRedirects() throws {
        let (served, _) = try Self.serve()
        let missing = try Curl.run(
            ["http://localhost/missing"], unixSocket: served.sidecar.socketPath)
        #expect(missing.exitCode == 0)
        #expect(missing.status == 404)
        let redirect = try Curl.run(["http://localhost/dir"], unixSocket: served.sidecar.socketPath)
        #expect(redirect.status == 301)
        #expect(redirect.header("Location") == "dir/")
    }

    /// A site with `f.bin` (200 000 seeded bytes) and a directory `dir`.
    private static func serve() throws -> (SupervisedSidecar, [UInt8]) {
        let site = try TempSite()
        let bytes = try site.writeRandom("f.bin", count: 200_000, seed: 11)
        try site.makeDirectory("dir")
        return (try SupervisedSidecar(site), bytes)
    }
}
