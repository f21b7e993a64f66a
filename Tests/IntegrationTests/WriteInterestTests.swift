import Glibc
import Testing

/// Which readiness a loop asks epoll for on a connection, as `/proc/PID/fdinfo` shows its
/// registration.
@Suite("Write readiness is watched only while a send waits")
struct WriteInterestTests {
    /// The registration of the one connection of a `--threads 1` sidecar: the only one that is
    /// edge-triggered (listeners, the wake eventfd and inotify are level-triggered).
    static func connectionEvents(_ pid: pid_t) throws -> [UInt32] {
        try ProcessInspection.epollRegistrations(pid).map(\.events)
            .filter { $0 & Self.edgeTriggered != 0 }
    }

    /// `EPOLLOUT` and `EPOLLET` of `<sys/epoll.h>` (Glibc's Swift module does not import them).
    static let output: UInt32 = 0x004
    static let edgeTriggered: UInt32 = 1 << 31

    /// behaviour §6.1: a response that fits in the socket leaves the connection registered for
    /// input only (registered for `EPOLLOUT` too, every read by the peer would wake an idle
    /// loop); a send that fills the socket adds `EPOLLOUT`, the transfer then completes byte for
    /// byte as the client reads, and the next request takes the watch away again.
    @Test func outputIsWatchedWhileASendWaitsAndNotAfter() throws {
        let site = try TempSite()
        let small = try site.writeRandom("small.bin", count: 1024, seed: 5)
        let large = try site.writeRandom("large.bin", count: 16 << 20, seed: 6)
        let served = try SupervisedSidecar(site, arguments: ["--threads", "1"])
        let client = try served.connect()

        let first = try client.get("/small.bin")
        #expect(first.status == 200 && first.body == small)
        let afterSmall = try Self.connectionEvents(served.pid)
        #expect(afterSmall.count == 1)
        #expect(afterSmall.allSatisfy { $0 & Self.output == 0 }, "\(afterSmall)")

        // Unread, 16 MiB fill the socket: the send waits, and only EPOLLOUT can resume it.
        try client.send(UnixHTTPClient.request("GET", "/large.bin"))
        try BoundedWait.until("EPOLLOUT on the connection whose send waits") {
            try Self.connectionEvents(served.pid).contains { $0 & Self.output != 0 }
        }
        let second = try client.readResponse()
        #expect(second.status == 200)
        #expect(second.body == large)

        let third = try client.get("/small.bin")
        #expect(third.status == 200 && third.body == small)
        let afterThird = try Self.connectionEvents(served.pid)
        #expect(afterThird.count == 1)
        #expect(afterThird.allSatisfy { $0 & Self.output == 0 }, "\(afterThird)")
    }
}
