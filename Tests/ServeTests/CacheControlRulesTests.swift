import Serve
import TestSupport
import Testing

/// Cache-Control by path (behaviour §4.4): globs, first match, content-hashed names.
@Suite("CacheControlRules")
struct CacheControlRulesTests {
    static func rule(_ pattern: String, _ value: String) -> CacheControlRules.Rule {
        CacheControlRules.Rule(pattern: Array(pattern.utf8), value: Array(value.utf8))
    }

    func value(_ rules: CacheControlRules, _ path: String) -> String? {
        ByteSpans.with(path) { rules.value(for: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test(arguments: [
        ("*.html", "index.html", true), ("*.html", "a/b/page.html", true),
        ("*.html", "page.htm", false), ("/assets/*", "assets/a.js", true),
        ("/assets/*", "assets/x/a.js", false), ("/assets/**", "assets/x/a.js", true),
        ("/a?c.txt", "abc.txt", true), ("/a?c.txt", "a/c.txt", false),
    ])
    func globs(pattern: String, path: String, matches: Bool) {
        #expect(
            ByteSpans.with(path) { CacheControlRules.matches(Array(pattern.utf8), $0) } == matches)
    }

    @Test func firstMatchWins() {
        let rules = CacheControlRules(rules: [
            Self.rule("*.html", "no-cache"), Self.rule("/**", "max-age=60"),
        ])
        #expect(value(rules, "index.html") == "no-cache")
        #expect(value(rules, "a/b.css") == "max-age=60")
    }

    @Test(arguments: [
        ("app.3f9a1c2b.js", true), ("index-BXk7Wq2N.js", true), ("app.js", false),
        ("app.deadbeef.js", false), ("app.12345678.js", false), ("logo.png", false),
    ])
    func contentHashedNamesAreImmutableByDefault(name: String, hashed: Bool) {
        let rules = CacheControlRules(rules: [])
        #expect(
            value(rules, "static/\(name)") == (hashed ? "public, max-age=31536000, immutable" : nil)
        )
    }
}
