import Glibc
import Testing

/// The watchdog (behaviour §1.6): with `WATCHDOG_USEC` set for this process, `WATCHDOG=1` every half
/// interval — but only while every event loop keeps turning, so that one wedged loop makes
/// systemd restart the service.
@Suite("Watchdog")
struct WatchdogTests {
    /// `WATCHDOG_USEC` for these tests: 400 ms, so a ping every 200 ms.
    static let watchdogMicroseconds = 400_000
    static let pingInterval = Duration.microseconds(watchdogMicroseconds / 2)

    /// behaviour §1.6: pings keep coming, from the sidecar's PID (five within a bounded wait; at the
    /// promised rate they take one second).
    @Test func pingsKeepArriving() throws {
        let sidecar = try Self.start(environment: [:])
        let pings = try sidecar.notify.waitForCount(5, of: "WATCHDOG=1", timeout: .seconds(15))
        #expect(pings.allSatisfy { $0.senderPID == sidecar.pid })
    }

    /// behaviour §1.6 ("when `sd_watchdog_enabled` says so"): `WATCHDOG_PID` naming another process
    /// means the watchdog is not this process's, so it sends no pings. (A negative check: a
    /// slow machine can only make it pass wrongly, never fail wrongly.)
    @Test func watchdogOfAnotherProcessSendsNoPings() throws {
        let sidecar = try Self.start(environment: ["WATCHDOG_PID": "1"])
        let messages = try sidecar.notify.receiveAll(during: Self.pingInterval * 6)
        #expect(!messages.contains { $0.contains("WATCHDOG=1") }, "\(messages)")
        #expect(sidecar.sidecar.exitStatus() == nil)
    }

    /// behaviour §1.6: with two loops, stopping only `loop-1` (ptrace, on that thread alone) stops
    /// the pings while the process lives and loop-0 still serves: after the stop, at most one
    /// ping (for turns made just before it) and then none for three ping intervals. Detaching
    /// resumes the thread, and the pings resume.
    @Test func stalledLoopWithholdsPings() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "alive\n")
        let sidecar = try Self.start(site: site, environment: [:], arguments: ["--threads", "2"])
        let pid = sidecar.pid
        let tid = try ProcessInspection.awaitThread(named: "loop-1", in: pid)
        #expect(tid != pid)
        _ = try sidecar.notify.waitForCount(2, of: "WATCHDOG=1", timeout: .seconds(10))

        try ThreadStopper.whileStopped(tid, of: pid) {
            #expect(try ProcessInspection.threadState(tid, of: pid) == "t")
            let late = try sidecar.notify.arrivalsBeforeQuiet(
                of: "WATCHDOG=1", window: Self.pingInterval * 3, limit: 1)
            #expect(late != nil, "pings kept arriving while loop-1 was stopped")
            #expect(sidecar.sidecar.exitStatus() == nil)
            #expect(try ProcessInspection.threadState(tid, of: pid) == "t")
            #expect(try ProcessInspection.threadState(pid, of: pid) != "Z")
            let response = try sidecar.get("/a.txt")
            #expect(response.status == 200)
            #expect(response.body == body)
        }

        try BoundedWait.until("loop-1 running again") {
            try ProcessInspection.threadState(tid, of: pid) != "t"
        }
        let resumed = try sidecar.notify.waitForCount(2, of: "WATCHDOG=1", timeout: .seconds(10))
        #expect(resumed.allSatisfy { $0.senderPID == pid })
        #expect(try sidecar.get("/a.txt").body == body)
    }

    private static func start(
        site: TempSite? = nil, environment: [String: String], arguments: [String] = []
    ) throws -> SupervisedSidecar {
        var variables = environment
        variables["WATCHDOG_USEC"] = String(watchdogMicroseconds)
        let sidecar = try SupervisedSidecar(
            site ?? TempSite(), arguments: arguments, environment: variables)
        try sidecar.start()
        return sidecar
    }
}
