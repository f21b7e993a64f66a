import Foundation
import Glibc
import Testing

/// The hot upgrade (behaviour §1.6) under `systemd-socket-activate`: SIGHUP starts the binary now at
/// the sidecar's path on the same listening sockets, which announces itself with `MAINPID=` and
/// `READY=1`; the old process then drains and exits 0. A binary that fails to start leaves the
/// old process serving. The sidecar runs through a symbolic link in a test directory, which
/// the tests repoint (the link is not resolved at startup, so the upgrade follows it).
@Suite("Hot upgrade")
struct HotUpgradeTests {
    private let hit = "asset_sidecar_file_cache_lookups_total{result=\"hit\"}"
    private let miss = "asset_sidecar_file_cache_lookups_total{result=\"miss\"}"

    /// The new process: `MAINPID=` its own PID with `READY=1`, sent by itself after the old
    /// process's `RELOADING=1`; the old one exits 0; the new one serves both sockets with empty
    /// caches, and stops on SIGTERM with `STOPPING=1`.
    @Test func reloadHandsTheSocketsToANewProcess() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "cached\n")
        try site.setModificationTime("a.txt")
        let sidecar = try SupervisedSidecar(site, metrics: true)
        try sidecar.start()
        #expect(try sidecar.get("/a.txt").body == body)
        #expect(try sidecar.get("/a.txt").body == body)

        sidecar.sidecar.signal(SIGHUP)
        let reloading = try sidecar.notify.waitFor("RELOADING=1", timeout: .seconds(10))
        #expect(reloading.senderPID == sidecar.pid)
        let ready = try sidecar.notify.waitFor("READY=1", timeout: .seconds(10))
        let newPID = try #require(ready["MAINPID"].flatMap { pid_t($0) }, "\(ready)")
        #expect(newPID != sidecar.pid)
        #expect(ready.senderPID == newPID)
        // The new process reports to the old one once its notifications are taken in: the sink
        // reading its barrier is what a service manager does.
        try sidecar.notify.waitFor("BARRIER=1", timeout: .seconds(10))
        #expect(try sidecar.sidecar.waitForExit(timeout: .seconds(15)) == .exited(0))

        let again = try sidecar.get("/a.txt")
        #expect(again.status == 200)
        #expect(again.body == body)
        let metrics = try sidecar.metrics()
        #expect(metrics[miss] == 1, "a new process, an empty cache: \(metrics)")
        #expect(metrics[hit] == 0, "\(metrics)")

        kill(newPID, SIGTERM)
        let stopping = try sidecar.notify.waitFor("STOPPING=1", timeout: .seconds(10))
        #expect(stopping.senderPID == newPID)
        // No longer our child (the old process was its parent): it is gone once kill(2) fails.
        try BoundedWait.until("the new process exits") { kill(newPID, 0) != 0 }
    }

    /// A binary that exits 78 at the path: the old process says `READY=1` again itself, logs
    /// why, and serves on; a later reload with a good binary back in place upgrades.
    @Test func failedStartLeavesTheOldProcessServing() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "a\n")
        let directory = try TempDirectory(prefix: "asset-sidecar-upgrade")
        let link = directory.path("asset-sidecar")
        try FileManager.default.createSymbolicLink(
            atPath: link, withDestinationPath: try SidecarBinary.path())
        let sidecar = try SupervisedSidecar(site, binary: link)
        try sidecar.start()

        let failing = directory.path("exit-78")
        try Data("#!/bin/sh\nexit 78\n".utf8).write(to: URL(fileURLWithPath: failing))
        #expect(chmod(failing, 0o755) == 0)
        try Self.repoint(link, to: failing, in: directory)
        sidecar.sidecar.signal(SIGHUP)
        try sidecar.notify.waitFor("RELOADING=1", timeout: .seconds(10))
        let ready = try sidecar.notify.waitFor("READY=1", timeout: .seconds(20))
        #expect(ready.senderPID == sidecar.pid)
        #expect(ready["MAINPID"] == nil)
        try BoundedWait.until("the failure is logged") {
            sidecar.sidecar.standardError.contains("upgrade failed")
        }
        #expect(sidecar.sidecar.standardError.contains("exited with status 78"))
        #expect(sidecar.sidecar.exitStatus() == nil)
        #expect(try sidecar.get("/a.txt").body == body)

        try Self.repoint(link, to: try SidecarBinary.path(), in: directory)
        sidecar.sidecar.signal(SIGHUP)
        let upgraded = try sidecar.notify.waitFor("READY=1", timeout: .seconds(10))
        #expect(upgraded.senderPID != sidecar.pid)
        #expect(upgraded["MAINPID"] == upgraded.senderPID.map(String.init), "\(upgraded)")
        try sidecar.notify.waitFor("BARRIER=1", timeout: .seconds(10))
        #expect(try sidecar.sidecar.waitForExit(timeout: .seconds(15)) == .exited(0))
        #expect(try sidecar.get("/a.txt").body == body)
        if let pid = upgraded.senderPID { kill(pid, SIGTERM) }
    }

    /// Replaces `link` by a new link to `target`, atomically (rename over it).
    private static func repoint(_ link: String, to target: String, in directory: TempDirectory)
        throws
    {
        let next = directory.path("next-link")
        try FileManager.default.createSymbolicLink(atPath: next, withDestinationPath: target)
        guard rename(next, link) == 0 else { throw SupportError.system("rename", errno: errno) }
    }
}
