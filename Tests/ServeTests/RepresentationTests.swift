import Files
import Foundation
import HTTP1
import Semantics
import Testing

@testable import Serve

/// A file's fields, rendered once when it is opened (behaviour §4.1, §4.3, §6.2).
@Suite("Representation")
struct RepresentationTests {
    func opened(_ text: String, modified: Int64 = 1_000) throws -> OpenFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "representation-\(UUID().uuidString)")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let descriptor = Glibc.open(url.path, O_RDONLY | O_CLOEXEC)
        try #require(descriptor >= 0)
        var info = stat()
        fstat(descriptor, &info)
        var snapshot = FileSnapshot(info)
        snapshot.modifiedSeconds = modified
        return OpenFile(descriptor: .init(rawValue: descriptor), snapshot: snapshot)
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func linesOfAFile() throws {
        let representation = Representation(
            file: try opened("hello"), contentType: Array("text/plain".utf8), encoding: .identity,
            cacheControl: Array("no-cache".utf8), now: 5_000, inline: true)
        #expect(text(representation.typeLines) == "Content-Type: text/plain\r\n")
        #expect(text(representation.lengthLine) == "Content-Length: 5\r\n")
        #expect(
            text(representation.validatorLines).hasPrefix(
                "Last-Modified: Thu, 01 Jan 1970 00:16:40 GMT\r\nETag: \""))
        #expect(
            text(representation.cachingLines)
                == "Cache-Control: no-cache\r\nVary: Accept-Encoding\r\n")
        #expect(representation.encodingLine.isEmpty)
        #expect(representation.body == Array("hello".utf8))
        #expect(!representation.hasWeakValidator)
    }

    @Test func variantCarriesItsEncoding() throws {
        let variant = Representation(
            file: try opened("zz"), contentType: Array("text/css".utf8), encoding: .gzip,
            cacheControl: nil, now: 5_000, inline: false)
        #expect(text(variant.typeLines) == "Content-Type: text/css\r\nContent-Encoding: gzip\r\n")
        #expect(text(variant.encodingLine) == "Content-Encoding: gzip\r\n")
        #expect(text(variant.cachingLines) == "Vary: Accept-Encoding\r\n")
        #expect(variant.body == nil)
    }

    @Test func recentlyModifiedFileHasAWeakValidator() throws {
        let representation = Representation(
            file: try opened("x", modified: 5_000), contentType: Array("a/b".utf8),
            encoding: .identity, cacheControl: nil, now: 5_000, inline: true)
        #expect(representation.hasWeakValidator)
        #expect(text(representation.validatorLines).contains("ETag: W/\""))
    }

    @Test func variantsAreFoundByCoding() throws {
        let identity = Representation(
            file: try opened("plain"), contentType: Array("a/b".utf8), encoding: .identity,
            cacheControl: nil, now: 5_000, inline: true)
        let brotli = Representation(
            file: try opened("br"), contentType: Array("a/b".utf8), encoding: .brotli,
            cacheControl: nil, now: 5_000, inline: true)
        identity.variants = [brotli]
        #expect(identity.variant(.brotli) === brotli)
        #expect(identity.variant(.gzip) === identity)
        #expect(identity.availableCodings == .brotli)
    }
}
