import Glibc
import Testing

/// `--listen`: binding the socket itself when not socket-activated.
@Suite("--listen")
struct ListenTests {
    /// behaviour §1.4: `--listen PATH` binds, listens and serves.
    @Test func listenBindsAndServes() throws {
        let site = try TempSite()
        let body = try site.writeRandom("a.bin", count: 5000)
        let sidecar = try SidecarProcess(["--root", site.root], sockets: .listen([nil]))
        let response = try sidecar.connect().get("/a.bin")
        #expect(response.status == 200)
        #expect(response.body == body)
    }

    /// behaviour §1.4: `--socket-mode` sets the socket file's permission bits exactly (whatever
    /// the umask).
    @Test(arguments: ["0660", "0600", "0666"])
    func socketModeIsApplied(mode: String) throws {
        let site = try TempSite()
        let sidecar = try SidecarProcess(
            ["--root", site.root, "--socket-mode", mode], sockets: .listen([nil]))
        var info = stat()
        try SupportError.check(stat(sidecar.socketPath, &info), "stat")
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o7777 == mode_t(mode, radix: 8)!)
    }

    /// behaviour §1.4: a socket file nobody listens on (left by a crash) is replaced.
    @Test func staleSocketFileIsReplaced() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "fresh\n")
        let directory = try TempDirectory(prefix: "asset-sidecar-stale")
        let path = directory.path("stale.sock")
        let stale = try SupportError.check(
            socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0), "socket")
        _ = try UnixAddress(path: path).withSockaddr {
            try SupportError.check(bind(stale, $0, $1), "bind")
        }
        close(stale)
        #expect(throws: (any Error).self) { try UnixHTTPClient(path: path, timeout: .zero) }

        let sidecar = try SidecarProcess(["--root", site.root, "--listen", path], sockets: .none)
        try BoundedWait.until("the sidecar listens on the old path") {
            if let status = sidecar.exitStatus() {
                throw SupportError.unavailable("exited (\(status)): \(sidecar.standardError)")
            }
            return (try? UnixHTTPClient(path: path, timeout: .zero)) != nil
        }
        let response = try UnixHTTPClient(path: path).get("/a.txt")
        #expect(response.status == 200)
        #expect(response.body == body)
    }

    /// behaviour §1.4, §1.5: a socket another sidecar is listening on is not taken over: the second
    /// exits 78 with one line, and the first keeps serving on it.
    @Test func liveSocketIsAStartupError() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "first owner\n")
        let first = try SidecarProcess(["--root", site.root], sockets: .listen([nil]))

        let second = try SidecarProcess(
            ["--root", site.root, "--listen", first.socketPath], sockets: .none)
        #expect(try second.waitForExit() == .exited(78))
        let lines = second.standardError.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(second.standardError)")

        let response = try first.connect().get("/a.txt")
        #expect(response.status == 200)
        #expect(response.body == body)
    }

    /// behaviour §1.3, §1.4: `--listen NAME=PATH` selects the `--site NAME=ROOT`.
    @Test func namedListenSelectsSite() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "docs\n")
        let sidecar = try SidecarProcess(
            ["--site", "docs=\(site.root)"], sockets: .listen(["docs"]))
        #expect(try sidecar.connect().get("/a.txt").body == body)
    }
}
