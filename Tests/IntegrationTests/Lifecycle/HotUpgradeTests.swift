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
        let upgrade = try FailingUpgrade(script: "exit 78")
        try upgrade.expectOldProcessServesOn(because: "exited with status 78", within: .seconds(20))

        let sidecar = upgrade.sidecar
        try Self.repoint(upgrade.link, to: try SidecarBinary.path(), in: upgrade.directory)
        sidecar.sidecar.signal(SIGHUP)
        let upgraded = try sidecar.notify.waitFor("READY=1", timeout: .seconds(10))
        #expect(upgraded.senderPID != sidecar.pid)
        #expect(upgraded["MAINPID"] == upgraded.senderPID.map(String.init), "\(upgraded)")
        try sidecar.notify.waitFor("BARRIER=1", timeout: .seconds(10))
        #expect(try sidecar.sidecar.waitForExit(timeout: .seconds(15)) == .exited(0))
        #expect(try sidecar.get("/a.txt").body == upgrade.body)
        if let pid = upgraded.senderPID { kill(pid, SIGTERM) }
    }

    /// A binary that starts but never becomes ready (a script that sleeps) is killed after
    /// the 10 s bound, while the old process serves; then it says `READY=1` again.
    @Test func newProcessThatIsNeverReadyIsKilled() throws {
        let upgrade = try FailingUpgrade(script: "exec sleep 60")
        #expect(
            try upgrade.sidecar.get("/a.txt").body == upgrade.body,
            "the old process serves meanwhile")
        try upgrade.expectOldProcessServesOn(
            because: "not ready within 10 s; killed", within: .seconds(30))
    }

    /// A sidecar started through a link to the binary under test; then the link is repointed
    /// at a shell script and SIGHUP is sent and acknowledged (`RELOADING=1`).
    private struct FailingUpgrade {
        let site: TempSite
        let body: [UInt8]
        let directory: TempDirectory
        let link: String
        let sidecar: SupervisedSidecar

        init(script: String) throws {
            site = try TempSite()
            body = try site.write("a.txt", text: "a\n")
            directory = try TempDirectory(prefix: "asset-sidecar-upgrade")
            link = directory.path("asset-sidecar")
            try FileManager.default.createSymbolicLink(
                atPath: link, withDestinationPath: try SidecarBinary.path())
            sidecar = try SupervisedSidecar(site, binary: link)
            try sidecar.start()
            let path = directory.path("script")
            try Data("#!/bin/sh\n\(script)\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(chmod(path, 0o755) == 0)
            try HotUpgradeTests.repoint(link, to: path, in: directory)
            sidecar.sidecar.signal(SIGHUP)
            try sidecar.notify.waitFor("RELOADING=1", timeout: .seconds(10))
        }

        /// The old process's own `READY=1` (no `MAINPID=`), the reason in its log, and the
        /// old process still running and serving.
        func expectOldProcessServesOn(because reason: String, within timeout: Duration) throws {
            let ready = try sidecar.notify.waitFor("READY=1", timeout: timeout)
            #expect(ready.senderPID == sidecar.pid)
            #expect(ready["MAINPID"] == nil)
            try BoundedWait.until("the failure is logged") {
                sidecar.sidecar.standardError.contains("upgrade failed")
            }
            #expect(
                sidecar.sidecar.standardError.contains(reason), "\(sidecar.sidecar.standardError)")
            #expect(sidecar.sidecar.exitStatus() == nil)
            #expect(try sidecar.get("/a.txt").body == body)
        }
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
