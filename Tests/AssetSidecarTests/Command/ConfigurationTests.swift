import Serve
import Testing

@testable import AssetSidecar

/// The command line turned into a validated configuration (behaviour §1.3–1.5).
@Suite struct ConfigurationTests {
    private func configure(_ arguments: [String]) throws -> Configuration {
        try SidecarCommand.parse(arguments).makeConfiguration(processorCount: 2)
    }

    @Test func defaultsFollowTheSpec() throws {
        let config = try configure(["--root", "/srv"])
        #expect(config.threads == 2)
        #expect(config.backlog == 4096)
        #expect(config.maxConnections == 10_000)
        #expect(config.headerTimeout == 10_000)
        #expect(config.idleTimeout == 75_000)
        #expect(config.sendTimeout == 60_000)
        #expect(config.discardTimeout == 5_000)
        #expect(config.maxDiscardBody == 1 << 20)
        #expect(config.lingerBytes == 1 << 20)
        #expect(config.drainTimeout == 10_000)
        #expect(config.sendChunk == 2 << 20)
        #expect(config.limits.requestLine == 8192)
        #expect(config.limits.headerSection == 16384)
        #expect(config.limits.headerCount == 100)
        #expect(config.symlinks == .beneath)
        #expect(config.site.dotfiles == .deny)
        #expect(config.exitIdleAfter == nil)
    }

    @Test func sitesAndListenAddresses() throws {
        let config = try configure([
            "--site", "assets=/srv/a", "--site", "docs=/srv/d=x", "--listen", "/run/a.sock",
            "--listen", "docs=/run/d.sock", "--socket-mode", "0660",
        ])
        #expect(config.sites == ["assets": "/srv/a", "docs": "/srv/d=x"])
        #expect(
            config.listen == [
                .init(name: nil, path: "/run/a.sock"), .init(name: "docs", path: "/run/d.sock"),
            ])
        #expect(config.socketMode == 0o660)
    }

    @Test func socketsMapToRootsByName() throws {
        let config = try configure(["--site", "assets=/srv/a", "--root", "/srv/default"])
        #expect(
            try config.roots(forSocketsNamed: ["assets", "other", nil])
                == ["/srv/a", "/srv/default", "/srv/default"])
        let strict = try configure(["--site", "assets=/srv/a"])
        #expect(try strict.roots(forSocketsNamed: ["metrics", "assets"]) == [nil, "/srv/a"])
        #expect(throws: StartupError.self) { try strict.roots(forSocketsNamed: ["other"]) }
        #expect(throws: StartupError.self) { try strict.roots(forSocketsNamed: [nil]) }
    }

    @Test(arguments: [
        [], ["--site", "noequals"], ["--site", "=/srv"],
        ["--root", "/a", "--site", "a=/x", "--site", "a=/y"],
        ["--root", "/a", "--threads", "0"], ["--root", "/a", "--socket-mode", "999"],
        ["--root", "/a", "--send-chunk", "1k"], ["--root", "/a", "--header-timeout", "0s"],
        ["--root", "/a", "--max-request-line", "10"], ["--root", "/a", "--listen", "=/x"],
        ["--root", "/a", "--discard-timeout", "0s"], ["--root", "/a", "--max-discard-body", "2g"],
    ])
    func invalidConfigurationsAreStartupErrors(arguments: [String]) {
        #expect(throws: StartupError.self) { try configure(arguments) }
    }

    @Test func limitsAreConfigurable() throws {
        let config = try configure([
            "--root", "/a", "--max-request-line", "1k", "--max-header-bytes", "4k",
            "--max-header-fields", "10", "--exit-idle-after", "30s", "--threads", "3",
            "--max-discard-body", "0", "--discard-timeout", "2s",
        ])
        #expect(config.maxDiscardBody == 0)
        #expect(config.lingerBytes == 64 << 10)
        #expect(config.discardTimeout == 2_000)
        #expect(config.limits.requestLine == 1024)
        #expect(config.limits.headerSection == 4096)
        #expect(config.limits.headerCount == 10)
        #expect(config.exitIdleAfter == 30_000)
        #expect(config.threads == 3)
    }
}
