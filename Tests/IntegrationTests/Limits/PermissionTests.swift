import Glibc
import Testing

/// A file the server may not read (behaviour §3, §4.1): 403, with a short body that names no path.
/// Root ignores mode bits, so when the tests run as root the sidecar runs as `nobody`
/// (`setpriv`), as the hardened unit's dynamic user would.
@Suite("Permission denied")
struct PermissionTests {
    @Test func unreadableFileGets403WithoutItsPath() throws {
        let site = try TempSite()
        let readable = try site.write("public.txt", text: "public\n")
        try site.write("private/secret-name.txt", text: "secret\n")
        // The temporary directories are 0700; the unprivileged user must reach the files.
        for directory in [site.root, site.path("private")] {
            try SupportError.check(chmod(directory, 0o755), "chmod \(directory)")
        }
        try SupportError.check(chmod(site.path("public.txt"), 0o644), "chmod")
        try SupportError.check(chmod(site.path("private/secret-name.txt"), 0o000), "chmod")

        var wrapper: [String] = []
        var user: uid_t = getuid()
        if getuid() == 0 {
            guard let nobody = getpwnam("nobody") else {
                throw SupportError.unavailable("no user nobody")
            }
            user = nobody.pointee.pw_uid
            wrapper = [
                try ExternalTool.path("setpriv"), "--reuid=\(nobody.pointee.pw_uid)",
                "--regid=\(nobody.pointee.pw_gid)", "--clear-groups", "--",
            ]
        }
        let sidecar = try SupervisedSidecar(site, wrapper: wrapper, abstractNotify: true)
        try sidecar.start()
        #expect(try ProcessInspection.userID(sidecar.pid) == user)

        #expect(try sidecar.get("/public.txt").body == readable)
        for method in ["GET", "HEAD"] {
            let denied = try sidecar.get("/private/secret-name.txt", method: method)
            #expect(denied.status == 403)
            #expect(!denied.text.contains("secret"), "\(denied.text)")
            #expect(!denied.text.contains("private"), "\(denied.text)")
            #expect(!denied.text.contains(site.root), "\(denied.text)")
            #expect(!denied.text.contains("/"), "\(denied.text)")
        }
    }
}
