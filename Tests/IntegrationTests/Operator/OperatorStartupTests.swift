import Testing

/// Every new flag's start-up refusals (behaviour §1.5): exit 78 and one line on stderr — a field
/// the server owns or one that could inject another, a path that is not a visible file, a
/// status without error pages, and a page missing from the root or reached by a link out of it.
@Suite("Operator flags: start-up refusals")
struct OperatorStartupTests {
    @Test(arguments: [
        ["--header", "Content-Length: 5"],
        ["--header", "*.js=X-Missing-Colon"],
        ["--header", "=X-A: 1"],
        ["--header", "*.js=Content-Length: 5"],
        ["--header", "*.js=etag: \"x\""],
        ["--header", "*.js=Cache-Control: no-cache"],
        ["--header", "*.js=Vary: Origin"],
        ["--header", "*.js=Proxy-Authenticate: x"],
        ["--header", "*.js=Bad Name: 1"],
        ["--header", "*.js=X-A:"],
        ["--header", "*.js=X-A: a\rb"],
        ["--header", "*.js=X-A: a\nX-B: b"],
        ["--header", "*.js=X-A: 1", "--header", "*.js=x-a: 2"],
        ["--fallback", "index.html"],
        ["--fallback", "/"],
        ["--fallback", "/.hidden.html"],
        ["--fallback", "/missing.html"],
        ["--fallback", "/dir"],
        ["--fallback", "/index.html", "--fallback-extensions", "some"],
        ["--error-page", "500=/index.html"],
        ["--error-page", "404"],
        ["--error-page", "404=/missing.html"],
        ["--error-page", "404=/index.html", "--error-page", "404=/index.html"],
        ["--error-page", "403=../etc/passwd"],
        ["--error-page", "404=/escape.html"],
        ["--fallback", "/escape.html"],
    ])
    func refused(arguments: [String]) throws {
        let site = try TempSite()
        try site.write("index.html", text: "<p>i</p>\n")
        try site.makeDirectory("dir")
        // A link out of the root: confinement refuses it as a page as it would a request.
        try site.symlink("escape.html", to: "/etc/hostname")
        let listen = try TempDirectory(prefix: "asset-sidecar-operator-flag")
        let sidecar = try SidecarProcess(
            ["--root", site.root, "--listen", listen.path("s.sock")] + arguments, sockets: .none)
        #expect(try sidecar.waitForExit() == .exited(78))
        let lines = sidecar.standardError.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr: \(sidecar.standardError)")
    }

    /// `--help` shows each new flag with the recipe examples.
    @Test func helpShowsTheExamples() throws {
        let process = try ChildProcess(
            [try SidecarBinary.path(), "--help"],
            environment: ["LISTEN_FDS": nil, "LISTEN_PID": nil, "NOTIFY_SOCKET": nil])
        #expect(try process.waitForExit(timeout: .seconds(15)) == .exited(0))
        let help = String(decoding: process.standardOutput, as: UTF8.self)
        for text in [
            "--header", "--fallback", "--fallback-extensions", "--error-page",
            "Access-Control-Allow-Origin", "X-Content-Type-Options", "rel=preload",
        ] {
            #expect(help.contains(text), "--help lacks \(text)")
        }
    }
}
