import Glibc
import Testing

/// `--error-page STATUS=/path.html` (behaviour §4.6): 403, 404 and 416 keep their status and get
/// the page's bytes and `Content-Type`, `Cache-Control: no-store`, no validators; HEAD the same
/// head; the 416 its `Content-Range: bytes */N`; a Range or precondition on the request never
/// shapes the page; the page is read fresh (a change is served at once).
@Suite("--error-page")
struct ErrorPageTests {
    static let notFound = "<!doctype html><h1>Nothing here</h1>\n"
    static let unsatisfiable = "<!doctype html><h1>Outside the file</h1>\n"

    private static func start() throws -> (TempSite, SupervisedSidecar) {
        let site = try TempSite()
        try site.write("errors/404.html", text: notFound)
        try site.write("errors/416.html", text: unsatisfiable)
        try site.write("a.txt", text: "0123456789\n")
        let sidecar = try SupervisedSidecar(
            site,
            arguments: [
                "--error-page", "404=/errors/404.html", "--error-page", "416=/errors/416.html",
                "--header", "**=X-Operator: 1",
            ])
        try sidecar.start()
        return (site, sidecar)
    }

    /// A missing and a hidden path get the 404 page; GET and HEAD have the same fields.
    @Test func notFoundPageKeepsItsStatus() throws {
        let (site, sidecar) = try Self.start()
        for target in ["/missing.txt", "/.env", "/deep/er/missing"] {
            let get = try sidecar.get(target, ["Range: bytes=0-3", "If-None-Match: *"])
            #expect(get.status == 404, "\(target)")
            #expect(get.text == Self.notFound, "\(target)")
            #expect(get.header("Content-Type") == "text/html; charset=utf-8")
            #expect(get.header("Content-Length") == String(Self.notFound.utf8.count))
            #expect(get.header("Cache-Control") == "no-store")
            for absent in ["ETag", "Last-Modified", "Content-Range", "X-Operator"] {
                #expect(get.header(absent) == nil, "\(target): \(absent)")
            }
            ResponseFieldChecks.expectNoRepeatedField(get, target)
            ResponseFieldChecks.expectNoPath(get, site.root, target)
            let head = try sidecar.get(target, method: "HEAD")
            #expect(head.status == 404)
            #expect(head.body.isEmpty)
            #expect(head.headers.map(\.name) == get.headers.map(\.name))
            #expect(head.header("Content-Length") == get.header("Content-Length"))
        }
        // The other statuses keep their plain bodies.
        #expect(try sidecar.get("/a.txt", ["If-Match: \"x\""]).text == "412 Precondition Failed\n")
    }

    /// behaviour §4.6, RFC 9110 §14.4: the 416 page, with the requested file's `Content-Range`.
    /// (HEAD never gets a 416: Range applies to GET only, RFC 9110 §14.2.)
    @Test func rangeNotSatisfiablePageKeepsContentRange() throws {
        let (_, sidecar) = try Self.start()
        let response = try sidecar.get("/a.txt", ["Range: bytes=100-"])
        #expect(response.status == 416)
        #expect(response.text == Self.unsatisfiable)
        #expect(response.header("Content-Range") == "bytes */11")
        #expect(response.header("Cache-Control") == "no-store")
        ResponseFieldChecks.expectNoRepeatedField(response, "416")
    }

    /// The page is a file like any other: replaced on disk, the new bytes are served.
    @Test func pageIsServedFresh() throws {
        let (site, sidecar) = try Self.start()
        #expect(try sidecar.get("/missing").text == Self.notFound)
        let replacement = "<p>moved on</p>\n"
        try site.write("errors/404.html.new", text: replacement)
        try SupportError.check(
            rename(site.path("errors/404.html.new"), site.path("errors/404.html")), "rename")
        let response = try sidecar.get("/missing")
        #expect(response.status == 404)
        #expect(response.text == replacement)
    }

    /// A 403 page for a file the sidecar may not read. Root ignores mode bits, so as root the
    /// sidecar runs as `nobody` (`setpriv`), as the permission tests do.
    @Test func forbiddenPage() throws {
        let site = try TempSite()
        try site.write("403.html", text: "<p>no</p>\n")
        try site.write("locked.txt", text: "secret\n")
        try SupportError.check(chmod(site.path("locked.txt"), 0), "chmod")
        try SupportError.check(chmod(site.root, 0o755), "chmod root")
        var wrapper: [String] = []
        if getuid() == 0 {
            let nobody = try #require(getpwnam("nobody"))
            wrapper = [
                try ExternalTool.path("setpriv"), "--reuid=\(nobody.pointee.pw_uid)",
                "--regid=\(nobody.pointee.pw_gid)", "--clear-groups", "--",
            ]
        }
        let sidecar = try SupervisedSidecar(
            site, arguments: ["--error-page", "403=/403.html"], wrapper: wrapper,
            abstractNotify: true)
        try sidecar.start()
        let response = try sidecar.get("/locked.txt")
        #expect(response.status == 403)
        #expect(response.text == "<p>no</p>\n")
        #expect(response.header("Cache-Control") == "no-store")
        ResponseFieldChecks.expectNoPath(response, site.root, "403")
    }
}
