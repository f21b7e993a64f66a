import Testing

/// From request target to file: decoding, confinement beneath the root, dotfiles,
/// directories, symlinks and special files. Every error body is checked for paths.
@Suite("Request targets and file lookup")
struct PathResolutionTests {
    /// The test layout: files, a directory with and one without `index.html`, dotfiles,
    /// links inside and out, a FIFO, a socket file, and a secret in a sibling directory.
    final class Layout {
        let site: TempSite
        let outside: TempSite
        let served: SupervisedSidecar
        let a: [UInt8]
        let b: [UInt8]
        let index: [UInt8]
        let wellKnown: [UInt8]
        /// The sibling directory's name, as a segment after `..` from the root.
        var outsideName: String { String(outside.root.split(separator: "/").last!) }

        init(arguments: [String] = []) throws {
            site = try TempSite()
            outside = try TempSite()
            try outside.write("secret.txt", text: "TOP-SECRET\n")
            a = try site.write("a.txt", text: "file a\n")
            b = try site.write("sub/b.txt", text: "file b\n")
            try site.write("pct%41.txt", text: "percent\n")
            index = try site.write("dir/index.html", text: "<p>index</p>\n")
            try site.makeDirectory("empty")
            try site.write(".env", text: "DOTFILE-SECRET\n")
            try site.write("sub/.git/config", text: "DOTFILE-SECRET\n")
            try site.write(".hidden/x.txt", text: "DOTFILE-SECRET\n")
            wellKnown = try site.write(".well-known/security.txt", text: "Contact: x\n")
            try site.write("sub/.well-known/x.txt", text: "DOTFILE-SECRET\n")
            try site.symlink("inside-link.txt", to: "a.txt")
            try site.symlink("sub/up-link.txt", to: "../a.txt")
            try site.symlink("dirlink", to: "sub")
            try site.symlink("outside-abs.txt", to: outside.path("secret.txt"))
            try site.symlink(
                "outside-rel.txt", to: "../\(outside.root.split(separator: "/").last!)/secret.txt")
            try site.symlink("passwd-link", to: "/etc/passwd")
            try site.makeFIFO("fifo")
            try site.makeSocketFile("socket")
            served = try SupervisedSidecar(site, arguments: arguments)
        }

        /// GET `target` on a new connection; checks that an error body reveals no path.
        func get(_ target: String, _ fields: [String] = [], method: String = "GET") throws
            -> HTTPResponse
        {
            let response = try served.get(target, fields, method: method)
            if response.status >= 300 {
                let text = response.text
                #expect(!text.contains(site.root), "error body reveals the root: \(text)")
                #expect(!text.contains("/tmp"), "error body reveals a path: \(text)")
                #expect(!text.contains("SECRET"))
            }
            return response
        }
    }

    /// behaviour §2.3: the path is percent-decoded exactly once; the query is ignored; an
    /// absolute-form target is accepted and its path used.
    @Test func targetsAreDecodedOnceAndQueriesIgnored() throws {
        let layout = try Layout()
        #expect(try layout.get("/%61.txt").body == layout.a)
        #expect(try layout.get("/sub/%62%2Etxt").body == layout.b)
        let once = try layout.get("/pct%2541.txt")
        #expect(once.status == 200)
        #expect(once.text == "percent\n")
        #expect(try layout.get("/pctA.txt").status == 404)
        #expect(try layout.get("/a.txt?x=1&y=%2F..%00").body == layout.a)
        let absolute = try layout.get("http://localhost/a.txt")
        #expect(absolute.status == 200)
        #expect(absolute.body == layout.a)
    }

    /// behaviour §2.3: `%00`, an encoded `/`, any decoded control byte and broken escapes get 400.
    @Test(arguments: [
        "/a%00.txt", "/sub%2Fb.txt", "/sub%2fb.txt", "/a%01.txt", "/a%0A.txt", "/a%0D.txt",
        "/a%7F.txt", "/a%zz.txt", "/a.txt%", "/a.txt%4",
    ])
    func badEncodingGets400(target: String) throws {
        let layout = try Layout()
        #expect(try layout.get(target).status == 400, "\(target)")
    }

    /// behaviour §2.3, §3.1: a path that climbs above the root gets 400 or 404, never the bytes
    /// of a file outside it, however the dots are spelled.
    @Test func climbingAboveTheRootNeverServesOutside() throws {
        let layout = try Layout()
        let name = layout.outsideName
        let targets = [
            "/../../../../etc/passwd", "/..", "/../", "/../\(name)/secret.txt",
            "/sub/../../\(name)/secret.txt", "/%2e%2e/\(name)/secret.txt",
            "/sub/%2E%2E/%2E%2E/\(name)/secret.txt", "/./../\(name)/secret.txt",
            "/sub/..%2f..%2f\(name)/secret.txt", "/dirlink/../../\(name)/secret.txt",
        ]
        for target in targets {
            let response = try layout.get(target)
            #expect([400, 404].contains(response.status), "\(target): \(response.status)")
            #expect(!response.text.contains("TOP-SECRET"), "\(target)")
            #expect(!response.text.contains("root:"), "\(target)")
        }
    }

    /// behaviour §2.3: dot-segments that stay inside the root are resolved.
    @Test func dotSegmentsInsideTheRootAreResolved() throws {
        let layout = try Layout()
        #expect(try layout.get("/sub/../a.txt").body == layout.a)
        #expect(try layout.get("/./a.txt").body == layout.a)
        #expect(try layout.get("/sub/./b.txt").body == layout.b)
        #expect(try layout.get("/empty/../sub/%2E/b.txt").body == layout.b)
    }

    /// behaviour §3.3: a directory without the slash gets 301 to the relative `name/` with the
    /// query kept; with the slash its `index.html` is served, or 404 without one. No listings.
    @Test func directoriesRedirectAndServeTheirIndex() throws {
        let layout = try Layout()
        let bare = try layout.get("/dir")
        #expect(bare.status == 301)
        #expect(bare.header("Location") == "dir/")
        let query = try layout.get("/dir?v=1&w")
        #expect(query.status == 301)
        #expect(query.header("Location") == "dir/?v=1&w")
        let nested = try layout.get("/sub/.well-known")
        #expect(nested.status == 404, "a hidden directory is not redirected")
        let slash = try layout.get("/dir/")
        #expect(slash.status == 200)
        #expect(slash.body == layout.index)
        #expect(slash.header("Content-Type") == "text/html; charset=utf-8")
        #expect(try layout.get("/empty").status == 301)
        #expect(try layout.get("/empty/").status == 404)
        #expect(try layout.get("/sub/").status == 404)
        #expect(try layout.get("/").status == 404)
        #expect(try layout.get("/a.txt/").status == 404)
        let head = try layout.get("/dir", method: "HEAD")
        #expect(head.status == 301)
        #expect(head.header("Location") == "dir/")
    }

    /// behaviour §3.2: a segment beginning with `.` gets 404, however encoded, except under
    /// `/.well-known/`.
    @Test func dotfilesAreHiddenExceptWellKnown() throws {
        let layout = try Layout()
        for target in [
            "/.env", "/%2eenv", "/sub/.git/config", "/.hidden/x.txt", "/.hidden/",
            "/sub/.well-known/x.txt",
        ] {
            #expect(try layout.get(target).status == 404, "\(target)")
        }
        let wellKnown = try layout.get("/.well-known/security.txt")
        #expect(wellKnown.status == 200)
        #expect(wellKnown.body == layout.wellKnown)
    }

    /// behaviour §3.1: by default a symlink that stays inside the root is followed; one that
    /// leads out (absolute or relative) gets 404.
    @Test func symlinksAreFollowedOnlyBeneathTheRoot() throws {
        let layout = try Layout()
        #expect(try layout.get("/inside-link.txt").body == layout.a)
        #expect(try layout.get("/sub/up-link.txt").body == layout.a)
        #expect(try layout.get("/dirlink/b.txt").body == layout.b)
        for target in ["/outside-abs.txt", "/outside-rel.txt", "/passwd-link"] {
            let response = try layout.get(target)
            #expect(response.status == 404, "\(target)")
            #expect(!response.text.contains("TOP-SECRET") && !response.text.contains("root:"))
        }
    }

    /// behaviour §3.1: `--symlinks deny` follows no link at all.
    @Test func symlinksDenyFollowsNone() throws {
        let layout = try Layout(arguments: ["--symlinks", "deny"])
        #expect(try layout.get("/a.txt").body == layout.a)
        for target in [
            "/inside-link.txt", "/sub/up-link.txt", "/dirlink/b.txt", "/outside-rel.txt",
        ] {
            #expect(try layout.get(target).status == 404, "\(target)")
        }
    }

    /// behaviour §3.3: a FIFO or a socket in the root gets 404 at once: it is never opened in a
    /// way that blocks (a blocked loop would not answer the next request either).
    @Test func specialFilesGet404WithoutBlocking() throws {
        let layout = try Layout(arguments: ["--threads", "1"])
        let client = try layout.served.connect()
        for target in ["/fifo", "/socket", "/a.txt"] {
            let response = try client.get(target)
            if target == "/a.txt" {
                #expect(response.body == layout.a)
            } else {
                #expect(response.status == 404, "\(target)")
            }
        }
    }
}
