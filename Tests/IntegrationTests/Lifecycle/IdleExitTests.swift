import Glibc
import Testing

/// `--exit-idle-after` (behaviour §1.7): with no open connection for that long the sidecar says
/// `STOPPING=1`, closes its copies of the listening sockets and exits 0; connections that
/// arrive meanwhile wait in the backlog of the manager's socket for the next activation, and
/// none is accepted and then dropped.
@Suite("Idle exit")
struct IdleExitTests {
    /// behaviour §1.7 under `systemd-socket-activate`: an open (idle keep-alive) connection holds the
    /// process up past the limit; once it closes, `STOPPING=1` comes no sooner than the limit
    /// later, and the process exits 0.
    @Test func exitsAfterTheLastConnectionCloses() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "idle\n")
        let sidecar = try SupervisedSidecar(site, arguments: ["--exit-idle-after", "1s"])
        let client = try sidecar.connect()
        #expect(try client.get("/a.txt").body == body)
        try sidecar.notify.waitFor("READY=1", timeout: .seconds(10))

        // Longer than the limit with the connection open (a negative check: it can only pass
        // wrongly on a slow machine, never fail wrongly).
        let meanwhile = try sidecar.notify.receiveAll(during: .milliseconds(1500))
        #expect(!meanwhile.contains { $0.contains("STOPPING=1") }, "\(meanwhile)")
        #expect(sidecar.sidecar.exitStatus() == nil)
        #expect(try client.get("/a.txt").body == body)

        client.close()
        let closed = ContinuousClock.now
        let stopping = try sidecar.notify.waitFor("STOPPING=1", timeout: .seconds(10))
        #expect(ContinuousClock.now - closed >= .milliseconds(950))
        #expect(stopping.senderPID == sidecar.pid)
        #expect(try sidecar.sidecar.waitForExit(timeout: .seconds(15)) == .exited(0))
    }

    /// behaviour §1.7, the drop guarantee. The test owns the listening socket, as systemd does, and
    /// activates a sidecar on it (fd 3, `LISTEN_FDS=1`) whenever a request is pending and no
    /// sidecar runs. Thirty requests, each on a fresh connection, are sent around the idle
    /// exit: right after `STOPPING=1`, after pauses sweeping across the limit, and at once;
    /// every other group of rounds connects first and sends the request 30 ms later. Every one
    /// must get a complete 200, from the exiting process or from the next one; a connection
    /// closed without a response is a connection accepted and dropped.
    @Test func noConnectionIsAcceptedAndDroppedAroundTheExit() throws {
        let site = try TempSite()
        let body = try site.writeRandom("a.bin", count: 20_000)
        let socket = try ListeningSocket()
        let notify = try NotifySink()
        let idle = 300
        let command = try [
            SidecarBinary.path(), "--root", site.root, "--exit-idle-after", "\(idle)ms",
            "--threads", "2",
        ]
        var activations: [InheritingProcess] = []
        var failures: [String] = []
        var served = 0

        for round in 0..<30 {
            switch round % 3 {
            case 0:
                // Right after the running sidecar announces its exit.
                if let current = activations.last, current.exitStatus() == nil {
                    _ = try Self.waitForStopping(from: current.pid, on: notify)
                }
            case 1:
                BoundedWait.pause(.milliseconds(idle - 100 + (round / 3 % 5) * 50))
            default:
                break
            }
            let client = try socket.connect()
            if round / 3 % 2 == 1 {
                // A client that connects, then takes a moment to send its request (the accepted
                // but not yet readable connection must be served too).
                BoundedWait.pause(.milliseconds(30))
            }
            do {
                try client.send(UnixHTTPClient.request("GET", "/a.bin", ["Connection: close"]))
            } catch SupportError.system(_, let code) where code == EPIPE || code == ECONNRESET {
                failures.append("round \(round): closed before the request was sent")
                continue
            }
            let deadline = Deadline(after: .seconds(20))
            while true {
                if activations.last?.exitStatus() != nil || activations.isEmpty {
                    // What systemd does when the socket has a pending connection and the
                    // service is not running: start it.
                    activations.append(
                        try InheritingProcess(
                            command, socket: socket, environment: ["NOTIFY_SOCKET": notify.address])
                    )
                }
                do {
                    let response = try client.readResponse(timeout: .milliseconds(20))
                    if response.status == 200 && response.body == body {
                        served += 1
                    } else {
                        failures.append("round \(round): status \(response.status)")
                    }
                    break
                } catch HTTPClientError.timedOut {
                    guard !deadline.hasPassed else {
                        failures.append("round \(round): no response")
                        break
                    }
                } catch HTTPClientError.closed(let unread) {
                    failures.append("round \(round): closed after \(unread.count) bytes")
                    break
                }
            }
            client.close()
        }

        #expect(failures.isEmpty, "\(failures)")
        #expect(served == 30)
        // The rounds crossed exits: several processes served them, in turn.
        #expect(activations.count >= 5, "only \(activations.count) activations")
        for process in activations {
            #expect(try process.waitForExit(timeout: .seconds(15)) == .exited(0))
        }
        // Whatever is still queued in the sink (bounded: every process has exited).
        var drained = 0
        while drained < 10_000, try notify.receive(timeout: .milliseconds(100)) != nil {
            drained += 1
        }
        for process in activations {
            let stopping = notify.received.contains {
                $0.senderPID == process.pid && $0.contains("STOPPING=1")
            }
            #expect(stopping, "no STOPPING=1 from \(process.pid): \(process.standardError)")
        }
    }

    /// Receives until `STOPPING=1` from `pid` (true), or gives up after a bounded wait (false).
    private static func waitForStopping(from pid: pid_t, on notify: NotifySink) throws -> Bool {
        let deadline = Deadline(after: .seconds(5))
        while let message = try notify.receive(timeout: deadline.instant - .now) {
            if message.senderPID == pid && message.contains("STOPPING=1") { return true }
        }
        return false
    }
}
