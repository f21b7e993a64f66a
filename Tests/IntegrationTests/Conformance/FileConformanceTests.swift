import Testing

/// behaviour §3.2–§3.3: hidden names, directories and special files.
@Suite("Conformance: files (behaviour §3.2–§3.3)", .conformanceSite)
struct FileConformanceTests {
    private static let notFound = ConformanceBody.text("404 Not Found\n")

    /// behaviour §3.2: a segment beginning with `.` is 404 anywhere except a leading
    /// `/.well-known/` (RFC 8615), whose own hidden names stay hidden; `--dotfiles allow`
    /// serves them all.
    static let dotfiles: [ConformanceCase] = [
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "/.env → 404", target: "/.env", status: 404,
            body: notFound),
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "/a/.git/config → 404", target: "/a/.git/config",
            status: 404, body: notFound),
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "/.git/ (a hidden directory) → 404", target: "/.git/",
            status: 404, body: notFound),
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "/.git (hidden directory, no slash) → 404, no 301",
            target: "/.git", status: 404, absent: ["Location"], body: notFound),
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "/.git/HEAD → 404", target: "/.git/HEAD", status: 404,
            body: notFound),
        ConformanceCase(
            spec: "§3.2", rfc: "RFC 3986 §2.3", what: "/%2eenv (encoded dot) → 404",
            target: "/%2eenv", status: 404, body: notFound),
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "HEAD /.env → 404", method: "HEAD", target: "/.env",
            status: 404, body: .empty),
        ConformanceCase(
            spec: "§3.2", rfc: "RFC 8615 §3", what: "/.well-known/x → 200",
            target: "/.well-known/x", status: 200, body: .file(".well-known/x")),
        ConformanceCase(
            spec: "§3.2", rfc: "RFC 8615 §3", what: "/.well-known/.hidden → 404",
            target: "/.well-known/.hidden", status: 404, body: notFound),
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "--dotfiles allow: /.env → 200", target: "/.env",
            alternate: true, status: 200, body: .file(".env")),
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "--dotfiles allow: /a/.git/config → 200",
            target: "/a/.git/config", alternate: true, status: 200, body: .file("a/.git/config")),
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "--dotfiles allow: /.well-known/.hidden → 200",
            target: "/.well-known/.hidden", alternate: true, status: 200,
            body: .file(".well-known/.hidden")),
        ConformanceCase(
            spec: "§3.2", rfc: "-", what: "--dotfiles allow: /.git → 301 .git/",
            target: "/.git", alternate: true, status: 301, expect: ["Location": ".git/"]),
    ]

    @Test(arguments: dotfiles)
    func hiddenNames(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §3.3: a directory without its trailing slash is 301 to a relative `Location`
    /// (RFC 9110 §10.2.2 allows a relative reference; RFC 3986 §5.2 resolves `dir/` against
    /// `/dir` to `/dir/`), query kept; with the slash, `index.html` (its bytes and type);
    /// without an index, 404 and never a listing.
    static let directories: [ConformanceCase] = [
        ConformanceCase(
            spec: "§3.3", rfc: "RFC 9110 §15.4.2, §10.2.2", what: "/dir → 301 dir/",
            target: "/dir", status: 301, expect: ["Location": "dir/"],
            body: .text("301 Moved Permanently\n")),
        ConformanceCase(
            spec: "§3.3", rfc: "RFC 9110 §10.2.2", what: "/dir?x=1 → 301 dir/?x=1",
            target: "/dir?x=1", status: 301, expect: ["Location": "dir/?x=1"]),
        ConformanceCase(
            spec: "§3.3", rfc: "RFC 9110 §10.2.2", what: "/dir?a=1&b=%20 → query kept verbatim",
            target: "/dir?a=1&b=%20", status: 301, expect: ["Location": "dir/?a=1&b=%20"]),
        ConformanceCase(
            spec: "§3.3", rfc: "RFC 3986 §5.2", what: "/nested/sub → 301 sub/",
            target: "/nested/sub", status: 301, expect: ["Location": "sub/"]),
        ConformanceCase(
            spec: "§3.3", rfc: "RFC 9110 §15.4.2", what: "/noindex → 301 noindex/",
            target: "/noindex", status: 301, expect: ["Location": "noindex/"]),
        ConformanceCase(
            spec: "§3.3", rfc: "RFC 9110 §9.3.2", what: "HEAD /dir → 301, no body",
            method: "HEAD", target: "/dir", status: 301, expect: ["Location": "dir/"],
            body: .empty),
        ConformanceCase(
            spec: "§3.3", rfc: "-", what: "/dir/ → its index.html", target: "/dir/",
            status: 200, expect: ["Content-Type": "text/html; charset=utf-8"],
            absent: ["Location"], body: .file("dir/index.html")),
        ConformanceCase(
            spec: "§3.3", rfc: "-", what: "/dir/?x=1 → its index.html", target: "/dir/?x=1",
            status: 200, expect: ["Content-Type": "text/html; charset=utf-8"],
            body: .file("dir/index.html")),
        ConformanceCase(
            spec: "§3.3", rfc: "-", what: "/nested/sub/ → its index.html", target: "/nested/sub/",
            status: 200, expect: ["Content-Type": "text/html; charset=utf-8"],
            body: .file("nested/sub/index.html")),
        ConformanceCase(
            spec: "§3.3", rfc: "-", what: "/ → the root's index.html", target: "/",
            status: 200, expect: ["Content-Type": "text/html; charset=utf-8"],
            body: .file("index.html")),
        ConformanceCase(
            spec: "§3.3", rfc: "-", what: "/noindex/ → 404, no listing", target: "/noindex/",
            status: 404, body: notFound),
        ConformanceCase(
            spec: "§3.3", rfc: "-", what: "/dir/page.txt/ (a file with a slash) → 404",
            target: "/dir/page.txt/", status: 404, body: notFound),
    ]

    @Test(arguments: directories)
    func directoryRequests(row: ConformanceCase) throws {
        try ConformanceSite.get().run(row)
    }

    /// behaviour §3.3: the index served for `/dir/` is the file `/dir/index.html` itself: the same
    /// validators and fields.
    @Test func directoryIndexIsTheIndexFile() throws {
        let site = try ConformanceSite.get()
        let viaDirectory = try site.send("GET", "/dir/")
        let direct = try site.send("GET", "/dir/index.html")
        #expect(viaDirectory.status == 200 && direct.status == 200)
        #expect(viaDirectory.body == direct.body)
        for name in ["ETag", "Last-Modified", "Content-Type", "Content-Length"] {
            #expect(viaDirectory.header(name) == direct.header(name), "\(name)")
        }
    }

    /// behaviour §3.3: a FIFO or a socket file in the root is 404, answered without opening it in
    /// a way that blocks: the response arrives within the client's bounded wait (a blocking
    /// open of a FIFO with no writer would never return), and the connection stays usable
    /// (the probe pipelined behind it is answered).
    @Test(arguments: ["/fifo", "/socket", "/fifo/", "/socket?x=1"])
    func specialFileIsNotFound(target: String) throws {
        let site = try ConformanceSite.get()
        for method in ["GET", "HEAD"] {
            let response = try site.send(method, target)
            #expect(response.status == 404, "\(method) \(target)")
            #expect(response.header("Location") == nil)
            if method == "GET" { #expect(response.text == "404 Not Found\n") }
        }
    }
}
