import HTTP1
import Testing

@testable import Serve

/// `SitePage` (behaviour §4.6): the `--fallback` and `--error-page` targets, decoded once; and which
/// missing paths `Fallback` answers.
@Suite struct SitePageTests {
    /// Absolute paths of visible files are accepted, with their lookup path NUL-terminated.
    @Test func decodesVisibleFilePaths() throws {
        let page = try #require(SitePage("/errors/404%20page.html"))
        #expect(page.path == Array("errors/404 page.html".utf8) + [0])
        #expect(page.decoded.length == page.path.count - 1)
        #expect(!page.decoded.trailingSlash)
    }

    /// Relative, directory, hidden, climbing, glob and malformed targets are refused.
    @Test(arguments: [
        "index.html", "/", "/dir/", "/.env", "/a/.git/x", "/../x", "/a/../../x", "/*.html",
        "/a?b", "/a%00b", "/a%zz", "",
    ])
    func refuses(target: String) {
        #expect(SitePage(target) == nil, "\(target)")
    }

    /// Without `any`, only a last segment without an extension falls back; a leading dot is
    /// not an extension, and a directory path (trailing slash) has no last segment.
    @Test(arguments: [
        ("app/users/42", true), ("settings", true), ("app/", true), ("app.js", false),
        ("v1.2/users", true), ("a/b.min.css", false),
    ])
    func extensionRule(path: String, fallsBack: Bool) throws {
        let fallback = Fallback(page: try #require(SitePage("/index.html")), extensions: .none)
        var scratch: [UInt8] = []
        let decoded = try ("/" + path).utf8.withContiguousStorageIfAvailable {
            try TargetPathDecoder.decode(UnsafeRawBufferPointer($0), into: &scratch).get()
        }
        let result = try #require(decoded)
        #expect(fallback.applies(to: scratch, result) == fallsBack, "\(path)")
        let any = Fallback(page: fallback.page, extensions: .any)
        #expect(any.applies(to: scratch, result))
    }
}
