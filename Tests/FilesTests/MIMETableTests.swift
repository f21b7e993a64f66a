import HTTP1
import TestSupport
import Testing

@testable import Files

/// The built-in content types and operator additions (behaviour §4.2; RFC 9110 §8.3 Content-Type,
/// §8.3.1 media-type syntax).
@Suite("MIME table")
struct MIMETableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var type: String
        var cite: String
        var testDescription: String { "\(name) → \(type) [\(cite)]" }
    }

    static let utf8 = "; charset=utf-8"

    static let builtIn: [Case] = [
        Case(
            name: "index.html", type: "text/html" + utf8, cite: "behaviour §4.2 html, text charset"),
        Case(name: "old.htm", type: "text/html" + utf8, cite: "behaviour §4.2 htm"),
        Case(name: "site.css", type: "text/css" + utf8, cite: "behaviour §4.2 css"),
        Case(name: "app.js", type: "text/javascript" + utf8, cite: "behaviour §4.2 js, RFC 9239"),
        Case(
            name: "module.mjs", type: "text/javascript" + utf8, cite: "behaviour §4.2 mjs, RFC 9239"
        ),
        Case(name: "data.json", type: "application/json" + utf8, cite: "behaviour §4.2 json"),
        Case(name: "app.js.map", type: "application/json" + utf8, cite: "behaviour §4.2 map"),
        Case(name: "logo.svg", type: "image/svg+xml" + utf8, cite: "behaviour §4.2 svg"),
        Case(name: "app.wasm", type: "application/wasm", cite: "behaviour §4.2 wasm"),
        Case(name: "a.png", type: "image/png", cite: "behaviour §4.2 png"),
        Case(name: "a.jpg", type: "image/jpeg", cite: "behaviour §4.2 jpg"),
        Case(name: "a.jpeg", type: "image/jpeg", cite: "behaviour §4.2 jpg"),
        Case(name: "a.gif", type: "image/gif", cite: "behaviour §4.2 gif"),
        Case(name: "a.webp", type: "image/webp", cite: "behaviour §4.2 webp"),
        Case(name: "a.avif", type: "image/avif", cite: "behaviour §4.2 avif"),
        Case(name: "favicon.ico", type: "image/x-icon", cite: "behaviour §4.2 ico"),
        Case(name: "f.woff", type: "font/woff", cite: "behaviour §4.2 woff"),
        Case(name: "f.woff2", type: "font/woff2", cite: "behaviour §4.2 woff2"),
        Case(name: "f.ttf", type: "font/ttf", cite: "behaviour §4.2 ttf"),
        Case(name: "f.otf", type: "font/otf", cite: "behaviour §4.2 otf"),
        Case(name: "v.mp4", type: "video/mp4", cite: "behaviour §4.2 mp4"),
        Case(name: "v.webm", type: "video/webm", cite: "behaviour §4.2 webm"),
        Case(name: "s.mp3", type: "audio/mpeg", cite: "behaviour §4.2 mp3"),
        Case(name: "s.ogg", type: "audio/ogg", cite: "behaviour §4.2 ogg"),
        Case(name: "d.pdf", type: "application/pdf", cite: "behaviour §4.2 pdf"),
        Case(name: "robots.txt", type: "text/plain" + utf8, cite: "behaviour §4.2 txt"),
        Case(name: "feed.xml", type: "application/xml" + utf8, cite: "behaviour §4.2 xml"),
        Case(name: "t.csv", type: "text/csv" + utf8, cite: "behaviour §4.2 csv"),
        Case(name: "a.zip", type: "application/zip", cite: "behaviour §4.2 zip"),
        Case(name: "a.tar.gz", type: "application/gzip", cite: "behaviour §4.2 gz, last dot"),
        Case(
            name: "site.webmanifest", type: "application/manifest+json" + utf8,
            cite: "behaviour §4.2 common web types"),
        Case(
            name: "README.md", type: "text/markdown" + utf8, cite: "behaviour §4.2 common web types"
        ),
        Case(
            name: "seg0.ts", type: "video/mp2t", cite: "behaviour §4.2, ts is MPEG-TS (documented)"),
        Case(name: "a.vtt", type: "text/vtt" + utf8, cite: "behaviour §4.2 common web types"),
        Case(
            name: "IMAGE.PNG", type: "image/png", cite: "behaviour §4.2 extension case-insensitive"),
        Case(
            name: "Font.WoFf2", type: "font/woff2",
            cite: "behaviour §4.2 extension case-insensitive"),
        Case(name: "/a/b/c.Html", type: "text/html" + utf8, cite: "final segment of a path"),
        Case(name: "README", type: "application/octet-stream", cite: "behaviour §4.2 no extension"),
        Case(name: ".bashrc", type: "application/octet-stream", cite: "dotfile has no extension"),
        Case(name: "dir/.js", type: "application/octet-stream", cite: "dotfile has no extension"),
        Case(name: "file.", type: "application/octet-stream", cite: "empty extension"),
        Case(name: "a.js/b", type: "application/octet-stream", cite: "dot not in final segment"),
        Case(name: "", type: "application/octet-stream", cite: "empty name"),
        Case(
            name: "x.unknownext", type: "application/octet-stream", cite: "behaviour §4.2 otherwise"
        ),
        Case(
            name: "x.abcdefghijklmnopq", type: "application/octet-stream",
            cite: "extension over 16 bytes"),
    ]

    @Test("built-in types", arguments: builtIn)
    func builtInTypes(_ testCase: Case) {
        let table = MIMETable()
        let type = ByteSpans.with(testCase.name) { table.contentType(forName: $0) }
        #expect(String(decoding: type, as: UTF8.self) == testCase.type, "\(testCase.cite)")
    }

    /// behaviour §4.2 "Operators can add types": additions override the built-in table.
    @Test("operator additions override and extend")
    func operatorAdditions() throws {
        let table = try MIMETable(extra: [
            (ext: "js", type: "application/javascript"),
            (ext: ".GLB", type: "model/gltf-binary"),
            (ext: "foo", type: "text/x-foo; charset=\"utf-8\""),
            (ext: "foo", type: "text/x-foo2"),
            (ext: "abcdefghijklmnop", type: "application/x-sixteen"),
        ])
        func lookup(_ name: String) -> String {
            String(
                decoding: ByteSpans.with(name) { table.contentType(forName: $0) },
                as: UTF8.self)
        }
        #expect(lookup("app.js") == "application/javascript")
        #expect(lookup("app.mjs") == "text/javascript; charset=utf-8")
        #expect(lookup("scene.glb") == "model/gltf-binary")
        #expect(lookup("a.FOO") == "text/x-foo2")
        #expect(lookup("z.abcdefghijklmnop") == "application/x-sixteen")
        #expect(lookup("index.html") == "text/html; charset=utf-8")
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var ext: String
        var type: String
        var testDescription: String { "\(ext)=\(type)" }
    }

    static let invalid: [InvalidCase] = [
        InvalidCase(ext: "", type: "text/plain"),
        InvalidCase(ext: ".", type: "text/plain"),
        InvalidCase(ext: "a.b", type: "text/plain"),
        InvalidCase(ext: "a/b", type: "text/plain"),
        InvalidCase(ext: "a b", type: "text/plain"),
        InvalidCase(ext: "abcdefghijklmnopq", type: "text/plain"),
        InvalidCase(ext: "x", type: "text"),
        InvalidCase(ext: "x", type: "text/"),
        InvalidCase(ext: "x", type: "/plain"),
        InvalidCase(ext: "x", type: "te xt/plain"),
        InvalidCase(ext: "x", type: "text/plain; charset"),
        InvalidCase(ext: "x", type: "text/plain; charset=\"utf-8"),
        InvalidCase(ext: "x", type: "text/plain\r\nX-Injected: 1"),
        InvalidCase(ext: "x", type: ""),
    ]

    /// RFC 9110 §8.3.1 media-type syntax; a bad entry is a startup error (behaviour §1.5).
    @Test("invalid operator entries are rejected", arguments: invalid)
    func rejects(_ testCase: InvalidCase) {
        #expect(throws: MIMETable.InvalidEntry.self) {
            try MIMETable(extra: [(ext: testCase.ext, type: testCase.type)])
        }
    }
}
