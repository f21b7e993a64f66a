import Glibc
import Testing

/// `/healthz` on the metrics socket (behaviour §7.2): 200 while every loop began a turn within the
/// last three heartbeats, 503 naming the stalled loop once one has not. A loop is stalled for
/// real: one thread of the process is stopped with ptrace (the other loop and the metrics
/// page still answer), then resumed.
@Suite("Health endpoint")
struct HealthTests {
    /// `WATCHDOG_USEC` = 400 ms makes the heartbeat 100 ms, so the window is 300 ms.
    static let environment = ["WATCHDOG_USEC": "400000"]

    /// Healthy: 200 `ok`, uncacheable, and HEAD gets the same head. (Waited for, bounded: a
    /// machine too loaded to run an idle loop within three heartbeats is rightly unhealthy.)
    @Test func healthyLoopsAnswer200() throws {
        let sidecar = try SupervisedSidecar(
            TempSite(), arguments: ["--threads", "2"], metrics: true)
        try sidecar.start()
        var healthy: HTTPResponse?
        try BoundedWait.until("/healthz answers 200") {
            healthy = try sidecar.connectMetrics().get("/healthz")
            return healthy?.status == 200
        }
        let response = try #require(healthy)
        #expect(response.text == "ok\n")
        #expect(response.header("Cache-Control") == "no-store")
        var head: HTTPResponse?
        try BoundedWait.until("HEAD /healthz answers 200") {
            head = try sidecar.connectMetrics().get("/healthz", method: "HEAD")
            return head?.status == 200
        }
        #expect(head?.body.isEmpty == true)
        #expect(head?.header("Content-Length") == "3")
    }

    /// Stopping loop-1 alone turns the answer into 503 naming loop 1 (within a bounded wait);
    /// resuming it brings 200 back.
    @Test func stalledLoopAnswers503() throws {
        let site = try TempSite()
        try site.write("a.txt", text: "a\n")
        let sidecar = try SupervisedSidecar(
            site, arguments: ["--threads", "2"], metrics: true, environment: Self.environment)
        try sidecar.start()
        let pid = sidecar.pid
        let tid = try ProcessInspection.awaitThread(named: "loop-1", in: pid)
        try BoundedWait.until("/healthz answers 200 before the stop") {
            try sidecar.connectMetrics().get("/healthz").status == 200
        }

        try ThreadStopper.whileStopped(tid, of: pid) {
            var last: HTTPResponse?
            try BoundedWait.until("/healthz answers 503 while loop-1 is stopped") {
                last = try sidecar.connectMetrics().get("/healthz")
                return last?.status == 503
            }
            let stalled = try #require(last)
            #expect(stalled.text.hasPrefix("loop 1 has not turned for "), "\(stalled.text)")
            #expect(!stalled.text.contains("loop 0"), "\(stalled.text)")
            #expect(try ProcessInspection.threadState(tid, of: pid) == "t")
            #expect(try sidecar.get("/a.txt").status == 200)
        }
        try BoundedWait.until("/healthz answers 200 once loop-1 runs again") {
            try sidecar.connectMetrics().get("/healthz").status == 200
        }
    }
}
