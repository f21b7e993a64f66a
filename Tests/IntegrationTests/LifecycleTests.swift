import Glibc
import Testing

/// Readiness, shutdown and the drain of in-flight responses, as systemd sees them through
/// `sd_notify` and the exit status.
@Suite("Lifecycle and sd_notify")
struct LifecycleTests {
    /// behaviour §1.6: `READY=1` is sent by the sidecar's own process (the PID systemd started;
    /// the activator execs it in place) before its first response is complete. A datagram is
    /// queued in the sink the moment it is sent, so the sink already holds it when the
    /// response has been read. An ordering bug would be a race, so five fresh sidecars are
    /// checked.
    @Test func readyIsSentBeforeTheFirstResponse() throws {
        let site = try TempSite()
        let body = try site.write("hello.txt", text: "hello, world\n")
        for attempt in 1...5 {
            let served = try SupervisedSidecar(site)
            let response = try served.get("/hello.txt")
            #expect(response.status == 200)
            #expect(response.body == body)

            var messages: [NotifyMessage] = []
            while let message = try served.notify.receive(timeout: .zero) {
                messages.append(message)
            }
            let ready = messages.first { $0.contains("READY=1") }
            if ready == nil {
                let late = try? served.notify.waitFor("READY=1", timeout: .seconds(10))
                Issue.record(
                    """
                    attempt \(attempt): no READY=1 before the first response was complete \
                    (received \(messages)); it came after: \(late.map(\.description) ?? "never")
                    """)
            } else {
                #expect(ready?.senderPID == served.pid, "READY=1 from another process")
            }
        }
    }

    /// behaviour §1.6: SIGTERM and SIGINT make the sidecar send `STOPPING=1` and exit 0.
    @Test(arguments: [SIGTERM, SIGINT])
    func signalStopsWithStoppingAndExitZero(signal: Int32) throws {
        let served = try SupervisedSidecar(TempSite())
        try served.start()

        served.sidecar.signal(signal)
        let stopping = try served.notify.waitFor("STOPPING=1", timeout: .seconds(10))
        #expect(stopping.senderPID == served.pid)
        #expect(try served.sidecar.waitForExit(timeout: .seconds(15)) == .exited(0))
    }

    /// behaviour §1.6: an idle keep-alive connection is not an in-flight response: it is closed
    /// at once on SIGTERM and does not hold the exit up until the (long) drain timeout.
    @Test func idleKeepAliveConnectionDoesNotDelayExit() throws {
        let site = try TempSite()
        try site.write("a.txt", text: "a\n")
        let served = try SupervisedSidecar(site, arguments: ["--drain-timeout", "60s"])
        let client = try served.connect()
        #expect(try client.get("/a.txt").status == 200)
        try served.notify.waitFor("READY=1", timeout: .seconds(10))

        served.sidecar.terminate()
        try served.notify.waitFor("STOPPING=1", timeout: .seconds(10))
        // Far below the 60 s drain timeout: only a wait for the idle connection would take it.
        #expect(try served.sidecar.waitForExit(timeout: .seconds(20)) == .exited(0))
        #expect(try client.readUntilClosed(timeout: .seconds(5)).isEmpty)
    }

    /// behaviour §1.6, §6.1: a response in flight when SIGTERM arrives is completed. The client
    /// does not read until the sidecar has acknowledged the signal (`STOPPING=1`), so 64 MiB
    /// cannot have left the sidecar yet: it is mid-`sendfile`, blocked on a full socket.
    @Test func responseInFlightIsCompletedOnSigterm() throws {
        let site = try TempSite()
        let expected = try site.writeRandom("big.bin", count: 64 << 20, seed: 64)
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        try client.send(UnixHTTPClient.request("GET", "/big.bin"))
        try BoundedWait.until("the response starts") { try client.queuedBytes() > 0 }

        served.sidecar.terminate()
        try served.notify.waitFor("STOPPING=1", timeout: .seconds(10))
        #expect(served.sidecar.exitStatus() == nil, "exited with a response in flight")

        let response = try client.readResponse(timeout: .seconds(60))
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == String(expected.count))
        #expect(
            ByteComparison.firstDifference(response.body, expected) == nil,
            "\(ByteComparison.describe(response.body, expected))")
        #expect(try served.sidecar.waitForExit(timeout: .seconds(15)) == .exited(0))
    }

    /// behaviour §1.6: `--drain-timeout` bounds the drain. A client that never reads cannot keep
    /// the process alive: it exits 0 soon after the 1 s timeout, long before the default
    /// 10 s would end it.
    @Test func drainTimeoutBoundsAStalledResponse() throws {
        let site = try TempSite()
        try site.makeSparse("big.bin", size: 64 << 20)
        let served = try SupervisedSidecar(site, arguments: ["--drain-timeout", "1s"])
        let client = try served.connect()
        try client.send(UnixHTTPClient.request("GET", "/big.bin"))
        try BoundedWait.until("the response starts") { try client.queuedBytes() > 0 }

        served.sidecar.terminate()
        try served.notify.waitFor("STOPPING=1", timeout: .seconds(10))
        #expect(try served.sidecar.waitForExit(timeout: .seconds(8)) == .exited(0))
        client.close()
    }
}
