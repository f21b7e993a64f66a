import Glibc
import Testing

/// Running out of descriptors (behaviour §2.5, §6.3): with `RLIMIT_NOFILE` small and the file cache
/// off, connections use up the descriptors. Requests whose file cannot be opened get 503, open
/// connections are still answered, accepting pauses instead of spinning, and once descriptors
/// are free again the connections that waited in the backlog are accepted and served. The
/// process runs without `NOTIFY_SOCKET`: `sd_notify` would open a socket for a moment every
/// few seconds, and the descriptor counts here are exact.
@Suite("Descriptor exhaustion")
struct DescriptorExhaustionTests {
    static let limit = 32

    @Test func exhaustionGets503AndRecovers() throws {
        let site = try TempSite()
        let body = try site.write("small.txt", text: "small file\n")
        let prlimit = try ExternalTool.path("prlimit")
        let sidecar = try SupervisedSidecar(
            site, arguments: ["--open-file-cache", "0", "--threads", "1"],
            wrapper: [prlimit, "--nofile=\(Self.limit):\(Self.limit)", "--"], notifies: false)
        try sidecar.start()
        let pid = sidecar.pid

        // One connection at a time, each with one request: every connection holds a descriptor,
        // and each request opens the file for a moment. When a connection takes the last
        // descriptor, its own request's open fails: 503. (Bounded: at most `limit` connections.)
        var clients: [UnixHTTPClient] = []
        var exhausted = false
        for _ in 0..<Self.limit {
            let client = try sidecar.connect()
            clients.append(client)
            let response = try client.get("/small.txt")
            if response.status == 503 {
                exhausted = true
                #expect(!response.text.contains("small"), "a path in the body: \(response.text)")
                #expect(!response.text.contains(site.root))
                break
            }
            #expect(response.status == 200)
            #expect(response.body == body)
        }
        try #require(exhausted, "no 503 after \(clients.count) connections")
        #expect(try ProcessInspection.descriptorCount(pid) == Self.limit)

        // Open connections are still answered.
        #expect(try clients[0].get("/small.txt").status == 503)
        let post = try clients[1].get("/small.txt", ["Content-Length: 0"], method: "POST")
        #expect(post.status == 405)

        // New connections wait in the backlog (accept fails with EMFILE and pauses) without
        // the process spinning.
        let waiting = try (0..<3).map { _ in try sidecar.connect() }
        let busy = try ProcessInspection.activity(of: pid, during: .seconds(1))
        #expect(
            busy.cpu < .milliseconds(200), "busy while out of descriptors: \(busy.cpu) CPU in 1 s")
        #expect(
            busy.busiestThreadRunnable < .milliseconds(500),
            "a thread spins while out of descriptors: runnable \(busy.busiestThreadRunnable) of 1 s"
        )
        for client in waiting {
            #expect(try client.queuedBytes() == 0)
        }

        // Four descriptors come free: the three waiting connections are accepted, one stays
        // free for opening files, and they are served.
        for client in clients.prefix(4) { client.close() }
        clients.removeFirst(4)
        try BoundedWait.until("the waiting connections accepted") {
            try ProcessInspection.descriptorCount(pid) == Self.limit - 1
        }
        for client in waiting {
            let response = try client.get("/small.txt")
            #expect(response.status == 200)
            #expect(response.body == body)
        }

        // With every connection closed, new ones are served as before.
        for client in clients + waiting { client.close() }
        for _ in 0..<3 {
            #expect(try sidecar.get("/small.txt").body == body)
        }
        #expect(sidecar.sidecar.exitStatus() == nil)
    }
}
