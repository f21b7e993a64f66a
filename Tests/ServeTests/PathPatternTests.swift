import Testing

@testable import Serve

/// `PathPattern` (behaviour §4.4), the glob shared by `--cache-control` and `--header`.
@Suite struct PathPatternTests {
    private static func matches(_ pattern: String, _ path: String) -> Bool {
        Array(path.utf8).withUnsafeBytes { PathPattern(Array(pattern.utf8)).matches($0) }
    }

    /// A pattern without `/` matches the final segment in any directory.
    @Test func finalSegmentPatterns() {
        #expect(Self.matches("*.woff2", "fonts/a.woff2"))
        #expect(Self.matches("*.woff2", "a.woff2"))
        #expect(!Self.matches("*.woff2", "a.woff2.map"))
        #expect(Self.matches("?.js", "x/a.js"))
        #expect(!Self.matches("?.js", "x/ab.js"))
    }

    /// A pattern with `/` matches the whole path; `*` stays in its segment, `**` crosses.
    @Test func wholePathPatterns() {
        #expect(Self.matches("/static/*", "static/a.css"))
        #expect(!Self.matches("/static/*", "static/sub/a.css"))
        #expect(Self.matches("/static/**", "static/sub/a.css"))
        #expect(Self.matches("/index.html", "index.html"))
        #expect(!Self.matches("/index.html", "sub/index.html"))
    }
}
