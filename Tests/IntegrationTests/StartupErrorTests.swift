import Foundation
import Glibc
import Testing

/// Configuration mistakes end the process at once with status 78 (EX_CONFIG) and one line on
/// stderr, so systemd's `RestartPreventExitStatus=78` stops a restart loop and the journal
/// says why.
@Suite("Startup errors")
struct StartupErrorTests {
    /// behaviour §1.5: a document root that does not exist.
    @Test func missingRootExits78() throws {
        let missing = try TempDirectory(prefix: "asset-sidecar-gone").path("no-such-root")
        let sidecar = try SidecarProcess(["--root", missing])
        try Self.trigger(sidecar)
        #expect(try sidecar.waitForExit() == .exited(78))
        let lines = Self.sidecarLines(sidecar.standardError)
        #expect(lines.count == 1, "stderr: \(sidecar.standardError)")
        #expect(lines.first?.contains(missing) == true, "the line should name the root: \(lines)")
    }

    /// behaviour §1.5: flags that do not parse, or values out of range, exit 78 with one line.
    @Test(arguments: [
        ["--bogus"],
        ["--root"],
        ["--threads", "0"],
        ["--header-timeout", "soon"],
        ["--symlinks", "sometimes"],
        ["--socket-mode", "0999"],
        ["--discard-timeout", "0s"],
        ["--max-discard-body", "2g"],
    ])
    func badFlagExits78(arguments: [String]) throws {
        let site = try TempSite()
        let listen = try TempDirectory(prefix: "asset-sidecar-flag")
        // A valid --root and --listen besides, so only the flag under test is wrong.
        let full =
            arguments.first == "--root"
            ? ["--listen", listen.path("s.sock")] + arguments
            : ["--root", site.root, "--listen", listen.path("s.sock")] + arguments
        let sidecar = try SidecarProcess(full, sockets: .none)
        #expect(try sidecar.waitForExit() == .exited(78))
        let lines = Self.sidecarLines(sidecar.standardError)
        #expect(lines.count == 1, "stderr: \(sidecar.standardError)")
    }

    /// behaviour §1.3, §1.5: the activated socket is named `assets`, `--site` names only `x`, and
    /// there is no `--root`: that socket maps to no root.
    @Test func socketWithoutRootExits78() throws {
        let site = try TempSite()
        let sidecar = try SidecarProcess(["--site", "x=\(site.root)"])
        try Self.trigger(sidecar)
        #expect(try sidecar.waitForExit() == .exited(78))
        let lines = Self.sidecarLines(sidecar.standardError)
        #expect(lines.count == 1, "stderr: \(sidecar.standardError)")
        #expect(lines.first?.contains("assets") == true, "the line should name the socket")
    }

    /// behaviour §1.4, §1.5: neither socket activation nor `--listen`.
    @Test func noSocketExits78() throws {
        let site = try TempSite()
        let sidecar = try SidecarProcess(["--root", site.root], sockets: .none)
        #expect(try sidecar.waitForExit() == .exited(78))
        #expect(Self.sidecarLines(sidecar.standardError).count == 1)
    }

    /// behaviour §1.2, §1.5: an inherited AF_UNIX datagram socket is not a listening stream socket.
    @Test func inheritedDatagramSocketExits78() throws {
        let activated = try Activated(["--datagram"])
        try Self.sendDatagram(to: activated.socketPath)
        try Self.expectRejectedDescriptor(activated.process)
    }

    /// behaviour §1.2, §1.5: an inherited AF_UNIX seqpacket socket is not a stream socket either.
    @Test func inheritedSeqpacketSocketExits78() throws {
        let activated = try Activated(["--seqpacket"])
        let fd = try Self.connect(activated.socketPath, type: SOCK_SEQPACKET)
        defer { close(fd) }
        try Self.expectRejectedDescriptor(activated.process)
    }

    /// behaviour §1.1, §1.2, §1.5: an inherited TCP listener (on 127.0.0.1) is refused: the sidecar
    /// serves Unix sockets only.
    @Test func inheritedTCPListenerExits78() throws {
        let port = try LoopbackAddress.unusedPort()
        let site = try TempSite()
        let process = try ChildProcess(
            [
                "systemd-socket-activate", "-l", port.description, "--fdname=assets", "--",
                try SidecarBinary.path(), "--root", site.root,
            ], environment: Self.noServiceManager)
        var connection: Int32 = -1
        try process.waitUntil("the activator listens on \(port)", timeout: .seconds(10)) {
            connection = (try? port.connectStream(timeout: .seconds(1))) ?? -1
            return connection >= 0
        }
        defer { close(connection) }
        try Self.expectRejectedDescriptor(process)
    }

    /// behaviour §1.5: `--help` exits 0 and documents every flag of the core behaviour.
    @Test func helpExitsZeroAndListsEveryFlag() throws {
        let process = try ChildProcess(
            [try SidecarBinary.path(), "--help"], environment: Self.noServiceManager)
        #expect(try process.waitForExit(timeout: .seconds(15)) == .exited(0))
        let help = String(decoding: process.standardOutput, as: UTF8.self)
        let flags = [
            "--root", "--site", "--listen", "--socket-mode", "--threads", "--backlog",
            "--max-connections", "--header-timeout", "--idle-timeout", "--send-timeout",
            "--max-discard-body", "--discard-timeout", "--drain-timeout", "--exit-idle-after",
            "--send-chunk", "--symlinks", "--dotfiles",
            "--max-request-line", "--max-header-bytes", "--max-header-fields", "--log-level",
            "--help",
        ]
        for flag in flags {
            #expect(help.contains(flag), "--help does not mention \(flag)")
        }
    }

    // MARK: - Helpers

    /// The test runner's own service-manager variables, removed from children.
    private static let noServiceManager: [String: String?] = [
        "LISTEN_FDS": nil, "LISTEN_PID": nil, "LISTEN_FDNAMES": nil, "NOTIFY_SOCKET": nil,
    ]

    /// Under socket activation the sidecar starts on the first connection: make one. The
    /// connection may be refused or reset once the process has failed, which is fine.
    private static func trigger(_ sidecar: SidecarProcess) throws {
        let fd = try UnixAddress(path: sidecar.socketPath).connectStream(timeout: .seconds(5))
        close(fd)
    }

    /// The lines the sidecar wrote to stderr: under `systemd-socket-activate` those after the
    /// activator's `Execing …` line, otherwise all of them.
    private static func sidecarLines(_ standardError: String) -> [Substring] {
        var lines = standardError.split(separator: "\n", omittingEmptySubsequences: true)
        if let exec = lines.lastIndex(where: { $0.hasPrefix("Execing ") }) {
            lines.removeSubrange(...exec)
        }
        return lines
    }

    /// Exit 78 and one stderr line that names the descriptor (`assets`).
    private static func expectRejectedDescriptor(_ process: ChildProcess) throws {
        #expect(try process.waitForExit(timeout: .seconds(15)) == .exited(78))
        let lines = sidecarLines(process.standardError)
        #expect(lines.count == 1, "stderr: \(process.standardError)")
        #expect(
            lines.first?.contains("assets") == true,
            "the line should name the descriptor: \(process.standardError)")
    }

    private static func sendDatagram(to path: String) throws {
        let fd = try SupportError.check(
            socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0), "socket")
        defer { close(fd) }
        let sent = try UnixAddress(path: path).withSockaddr { address, length in
            sendto(fd, "x", 1, 0, address, length)
        }
        try SupportError.check(sent, "sendto \(path)")
    }

    private static func connect(_ path: String, type: __socket_type) throws -> Int32 {
        let fd = try SupportError.check(
            socket(AF_UNIX, Int32(type.rawValue | SOCK_CLOEXEC.rawValue), 0), "socket")
        do {
            _ = try UnixAddress(path: path).withSockaddr {
                try SupportError.check(Glibc.connect(fd, $0, $1), "connect \(path)")
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }
}

/// `systemd-socket-activate OPTIONS -l PATH --fdname=assets -- asset-sidecar --root ROOT`, for
/// socket kinds the harness's ``SidecarProcess`` does not make; the socket's directory and the
/// root live as long as the value.
private struct Activated {
    let process: ChildProcess
    let socketPath: String
    private let directory: TempDirectory
    private let site: TempSite

    /// Starts the activator and waits until its socket exists.
    init(_ options: [String]) throws {
        directory = try TempDirectory(prefix: "asset-sidecar-kind")
        site = try TempSite()
        let path = directory.path("assets.sock")
        socketPath = path
        process = try ChildProcess(
            ["systemd-socket-activate"] + options + [
                "-l", path, "--fdname=assets", "--", try SidecarBinary.path(), "--root", site.root,
            ],
            environment: [
                "LISTEN_FDS": nil, "LISTEN_PID": nil, "LISTEN_FDNAMES": nil, "NOTIFY_SOCKET": nil,
            ])
        // A datagram socket is ready once bound; a seqpacket one once it listens.
        let datagram = options.contains("--datagram")
        try process.waitUntil("the activator's socket is ready", timeout: .seconds(10)) {
            var info = stat()
            return datagram ? lstat(path, &info) == 0 : UnixSocketTable.isListening(path)
        }
    }
}
