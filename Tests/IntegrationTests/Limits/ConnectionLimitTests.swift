import Glibc
import Testing

/// `--max-connections` (behaviour §2.5): beyond the limit new connections wait in the kernel's
/// backlog — not accepted and dropped, not spun on — and are served once a slot frees.
@Suite("Connection limit")
struct ConnectionLimitTests {
    /// behaviour §2.5: with `--max-connections 2 --threads 1` and two idle keep-alive connections
    /// open, a third connects (the backlog takes it) but gets no answer, while the process uses
    /// next to no CPU; closing one of the two lets the third be served.
    @Test func connectionsBeyondTheLimitWaitInTheBacklog() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "limited\n")
        let sidecar = try SupervisedSidecar(
            site, arguments: ["--max-connections", "2", "--threads", "1"])
        let first = try sidecar.connect()
        #expect(try first.get("/a.txt").body == body)
        try sidecar.notify.waitFor("READY=1", timeout: .seconds(10))
        let second = try sidecar.connect()
        #expect(try second.get("/a.txt").body == body)

        let third = try sidecar.connect()
        try third.send(UnixHTTPClient.request("GET", "/a.txt"))
        // A negative check: waiting can only make it pass wrongly, never fail wrongly.
        BoundedWait.pause(.milliseconds(500))
        #expect(try third.queuedBytes() == 0, "the third connection was answered over the limit")
        let busy = try ProcessInspection.activity(of: sidecar.pid, during: .seconds(1))
        #expect(busy.cpu < .milliseconds(200), "busy while at the limit: \(busy.cpu) CPU in 1 s")
        #expect(
            busy.busiestThreadRunnable < .milliseconds(500),
            "a thread spins while at the limit: runnable \(busy.busiestThreadRunnable) of 1 s")
        #expect(try third.queuedBytes() == 0)
        // The two admitted connections are still served.
        #expect(try second.get("/a.txt").body == body)

        first.close()
        let answer = try third.readResponse()
        #expect(answer.status == 200)
        #expect(answer.body == body)
        #expect(try third.get("/a.txt").body == body)
        #expect(try second.get("/a.txt").body == body)
    }
}
