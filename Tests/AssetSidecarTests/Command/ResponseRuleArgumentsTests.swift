import HTTP1
import Serve
import Testing

@testable import AssetSidecar

/// `--header`, `--fallback` and `--error-page` turned into site settings (behaviour §4.5, §4.6).
@Suite struct ResponseRuleArgumentsTests {
    private func configure(_ arguments: [String]) throws -> Configuration {
        try SidecarCommand.parse(["--root", "/srv"] + arguments)
            .makeConfiguration(processorCount: 1)
    }

    private func lines(_ config: Configuration, _ path: String) -> String {
        let bytes = Array(path.utf8).withUnsafeBytes { config.site.headers.lines(for: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value loses the whitespace after the colon; names keep their case.
    @Test func headerRulesAreRendered() throws {
        let config = try configure([
            "--header", "*.woff2=Access-Control-Allow-Origin:   *",
            "--header", "*.html=x-frame-options: DENY",
        ])
        #expect(lines(config, "f/a.woff2") == "Access-Control-Allow-Origin: *\r\n")
        #expect(lines(config, "a.html") == "x-frame-options: DENY\r\n")
        #expect(lines(config, "a.css").isEmpty)
    }

    /// `--fallback` adds `no-cache` for its path after the operator's rules.
    @Test func fallbackAddsItsCacheRule() throws {
        let plain = try configure(["--fallback", "/index.html"])
        #expect(plain.site.fallback?.extensions == Fallback.Extensions.none)
        let value = Array("index.html".utf8).withUnsafeBytes {
            plain.site.cacheControl.value(for: $0)
        }
        #expect(value == Array("no-cache".utf8))
        let ruled = try configure([
            "--fallback", "/index.html", "--cache-control", "*.html=max-age=5",
            "--fallback-extensions", "any",
        ])
        #expect(ruled.site.fallback?.extensions == .any)
        let ruledValue = Array("index.html".utf8).withUnsafeBytes {
            ruled.site.cacheControl.value(for: $0)
        }
        #expect(ruledValue == Array("max-age=5".utf8))
    }

    /// Each status gets its own page; the others have none.
    @Test func errorPagesByStatus() throws {
        let config = try configure([
            "--error-page", "404=/e/404.html", "--error-page", "416=/e/416.html",
        ])
        #expect(config.site.errorPages[.notFound]?.target == "/e/404.html")
        #expect(config.site.errorPages[.rangeNotSatisfiable]?.target == "/e/416.html")
        #expect(config.site.errorPages[.forbidden] == nil)
        #expect(config.site.errorPages[.preconditionFailed] == nil)
    }
}
