import Testing

@testable import Serve

/// `HeaderRules` (behaviour §4.5): sets by pattern, first matching set wins, fields refused when the
/// server writes them or when they could inject a field.
@Suite struct HeaderRulesTests {
    private static func rule(_ pattern: String, _ name: String, _ value: String)
        -> HeaderRules.Rule
    {
        HeaderRules.Rule(
            pattern: PathPattern(Array(pattern.utf8)), name: Array(name.utf8),
            value: Array(value.utf8))
    }

    private static func lines(_ rules: HeaderRules, _ path: String) -> String {
        String(decoding: Array(path.utf8).withUnsafeBytes { rules.lines(for: $0) }, as: UTF8.self)
    }

    /// Equal patterns form one set; the first matching set is the only one applied.
    @Test func firstMatchingSetWins() {
        let rules = HeaderRules(rules: [
            Self.rule("*.html", "X-Frame-Options", "DENY"),
            Self.rule("/docs/**", "X-Docs", "1"),
            Self.rule("*.html", "X-Content-Type-Options", "nosniff"),
        ])
        #expect(
            Self.lines(rules, "docs/a.html")
                == "X-Frame-Options: DENY\r\nX-Content-Type-Options: nosniff\r\n")
        #expect(Self.lines(rules, "docs/a.txt") == "X-Docs: 1\r\n")
        #expect(Self.lines(rules, "a.txt").isEmpty)
    }

    /// Server-owned and hop-by-hop names are refused whatever their case; names must be tokens;
    /// values must not hold CR, LF or NUL.
    @Test(arguments: [
        ("content-length", "1"), ("ETag", "\"x\""), ("VARY", "Origin"), ("Cache-Control", "x"),
        ("Proxy-Authenticate", "x"), ("Connection", "close"), ("Transfer-Encoding", "chunked"),
        ("X Bad", "1"), ("", "1"), ("X-A", "1\r\nX-B: 2"), ("X-A", "a\u{0}b"), ("X-A", ""),
        ("X-A", " padded"),
    ])
    func refused(name: String, value: String) {
        #expect(HeaderRules.check(name: Array(name.utf8), value: Array(value.utf8)) != nil)
    }

    /// Fields an operator adds are accepted.
    @Test(arguments: [
        ("Access-Control-Allow-Origin", "*"), ("Link", "</app.css>; rel=preload; as=style"),
        ("Content-Security-Policy", "default-src 'self'"), ("X-Content-Type-Options", "nosniff"),
    ])
    func accepted(name: String, value: String) {
        #expect(HeaderRules.check(name: Array(name.utf8), value: Array(value.utf8)) == nil)
    }
}
