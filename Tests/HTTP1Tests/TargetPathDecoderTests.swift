import TestSupport
import Testing

@testable import HTTP1

/// A raw path and what `TargetPathDecoder.decode` must make of it.
struct DecodeCase: Sendable, CustomTestStringConvertible {
    let name: String
    let raw: String
    let expected: Result<Decoded, TargetError>

    /// The expected path as text, with the flags of `DecodedPath`.
    struct Decoded: Equatable, Sendable {
        var path: String
        var trailingSlash = false
        var hasDotSegment = false
        var isWellKnown = false
    }

    var testDescription: String { name }

    init(_ name: String, _ raw: String, _ expected: Decoded) {
        self.name = name
        self.raw = raw
        self.expected = .success(expected)
    }

    init(_ name: String, _ raw: String, _ error: TargetError) {
        self.name = name
        self.raw = raw
        self.expected = .failure(error)
    }
}

private typealias Decoded = DecodeCase.Decoded

private let decodeCases: [DecodeCase] = [
    DecodeCase("root", "/", Decoded(path: "", trailingSlash: true)),
    DecodeCase("empty path is the root", "", Decoded(path: "", trailingSlash: true)),
    DecodeCase("one segment", "/a", Decoded(path: "a")),
    DecodeCase("trailing slash", "/a/", Decoded(path: "a", trailingSlash: true)),
    DecodeCase("nested file", "/a/b/c.txt", Decoded(path: "a/b/c.txt")),
    DecodeCase("empty segments collapse", "//a//b//", Decoded(path: "a/b", trailingSlash: true)),
    DecodeCase("dot segment", "/a/./b", Decoded(path: "a/b")),
    DecodeCase("dot-dot segment", "/a/../b", Decoded(path: "b")),
    // As in nginx 1.22: /dir/. serves the index of dir, /file/. is 404.
    DecodeCase(
        "final dot-dot names a directory", "/a/b/..", Decoded(path: "a", trailingSlash: true)),
    DecodeCase("final dot names a directory", "/a/b/.", Decoded(path: "a/b", trailingSlash: true)),
    DecodeCase(
        "final encoded dot names a directory", "/a/%2e", Decoded(path: "a", trailingSlash: true)),
    DecodeCase("dot-dot to the root", "/a/..", Decoded(path: "", trailingSlash: true)),
    DecodeCase("encoded dot-dot", "/a/%2e%2e/b", Decoded(path: "b")),
    DecodeCase("encoded dot-dot, mixed case", "/a/%2E%2e", Decoded(path: "", trailingSlash: true)),
    DecodeCase("half-encoded dot-dot", "/a/.%2E/b", Decoded(path: "b")),
    DecodeCase("encoded dot", "/%2e/a", Decoded(path: "a")),
    DecodeCase("empty segment before dot-dot", "/a//../b", Decoded(path: "b")),
    DecodeCase("several dot-dots", "/a/b/../../c/./d/", Decoded(path: "c/d", trailingSlash: true)),
    DecodeCase("dot-dot above the root", "/..", .climbsAboveRoot),
    DecodeCase("dot-dot above the root later", "/a/../..", .climbsAboveRoot),
    DecodeCase("encoded dot-dot above the root", "/%2e%2e/x", .climbsAboveRoot),
    DecodeCase("dot-dot above the root, then down", "/a/../../b", .climbsAboveRoot),
    DecodeCase("three dots are a name", "/...", Decoded(path: "...", hasDotSegment: true)),
    DecodeCase("dotfile", "/a/.hidden", Decoded(path: "a/.hidden", hasDotSegment: true)),
    DecodeCase("dotfile after dot-dot", "/x/../.env", Decoded(path: ".env", hasDotSegment: true)),
    DecodeCase(
        "dot inside a name is not a dot segment", "/a.b/c.", Decoded(path: "a.b/c.")),
    DecodeCase(
        ".well-known", "/.well-known/acme",
        Decoded(path: ".well-known/acme", hasDotSegment: true, isWellKnown: true)),
    DecodeCase(
        ".well-known alone", "/.well-known",
        Decoded(path: ".well-known", hasDotSegment: true, isWellKnown: true)),
    DecodeCase(
        ".well-known with a dotfile", "/.well-known/.x",
        Decoded(path: ".well-known/.x", hasDotSegment: true, isWellKnown: true)),
    DecodeCase(
        "encoded .well-known", "/%2Ewell-known/a",
        Decoded(path: ".well-known/a", hasDotSegment: true, isWellKnown: true)),
    DecodeCase(
        "longer name is not .well-known", "/.well-knownx/a",
        Decoded(path: ".well-knownx/a", hasDotSegment: true)),
    DecodeCase(
        ".well-known deeper is not first", "/a/.well-known",
        Decoded(path: "a/.well-known", hasDotSegment: true)),
    DecodeCase(
        ".Well-Known is another name", "/.Well-Known/a",
        Decoded(path: ".Well-Known/a", hasDotSegment: true)),
    DecodeCase("hex digits in either case", "/%4a%4A%41", Decoded(path: "JJA")),
    DecodeCase("encoded UTF-8", "/caf%C3%A9/%e2%9c%93", Decoded(path: "café/✓")),
    DecodeCase("raw UTF-8 is kept", "/café", Decoded(path: "café")),
    DecodeCase("encoded space", "/a%20b", Decoded(path: "a b")),
    DecodeCase("plus is not a space", "/a+b", Decoded(path: "a+b")),
    DecodeCase("encoded percent", "/%25", Decoded(path: "%")),
    DecodeCase("decoded once only", "/%2525", Decoded(path: "%25")),
    DecodeCase("encoded dot-dot decoded once only", "/%252e%252e", Decoded(path: "%2e%2e")),
    DecodeCase("reserved bytes stay", "/a:b@c;d=e,f!$&'()*", Decoded(path: "a:b@c;d=e,f!$&'()*")),
    DecodeCase("lone percent", "/%", .malformedEncoding),
    DecodeCase("percent and one digit", "/%2", .malformedEncoding),
    DecodeCase("percent and one digit, then more", "/%2/a", .malformedEncoding),
    DecodeCase("percent and non-hex", "/%zz", .malformedEncoding),
    DecodeCase("percent, non-hex second", "/%4g", .malformedEncoding),
    DecodeCase("encoded NUL", "/a%00", .encodedNul),
    DecodeCase("encoded slash", "/a%2Fb", .encodedSlash),
    DecodeCase("encoded slash, lowercase", "/a%2fb", .encodedSlash),
    DecodeCase("encoded LF", "/%0a", .controlByte),
    DecodeCase("encoded unit separator", "/%1F", .controlByte),
    DecodeCase("encoded DEL", "/%7F", .controlByte),
    DecodeCase("encoded tab", "/%09", .controlByte),
    DecodeCase("raw control byte", "/a\u{1}", .controlByte),
    DecodeCase("raw DEL", "/a\u{7F}", .controlByte),
]

/// behaviour §2.3 path decoding: percent-decoding once, dot-segments, the errors, the flags.
@Suite("TargetPathDecoder")
struct RequestTargetTests {
    private func decode(_ raw: [UInt8], into output: inout [UInt8]) -> Result<
        DecodedPath, TargetError
    > {
        raw.withUnsafeBytes { TargetPathDecoder.decode($0, into: &output) }
    }

    @Test("decodes", arguments: decodeCases)
    func decodes(_ testCase: DecodeCase) {
        var output: [UInt8] = Array("left over from before".utf8)
        let result = decode(Array(testCase.raw.utf8), into: &output)
        switch (result, testCase.expected) {
        case (.success(let path), .success(let expected)):
            #expect(output.count == path.length + 1)
            #expect(output.last == 0)
            let text = String(decoding: output.dropLast(), as: UTF8.self)
            let actual = Decoded(
                path: text, trailingSlash: path.trailingSlash, hasDotSegment: path.hasDotSegment,
                isWellKnown: path.isWellKnown)
            #expect(actual == expected)
        case (.failure(let error), .failure(let expected)):
            #expect(error == expected)
            #expect(output.isEmpty)
        default:
            Issue.record("got \(result), expected \(testCase.expected)")
        }
    }

    @Test func highBytesAreKept() throws {
        var output: [UInt8] = []
        let path = try decode(Array("/%FF%80x".utf8), into: &output).get()
        #expect(path.length == 3)
        #expect(output == [0xFF, 0x80, UInt8(ascii: "x"), 0])
    }

    @Test func capacityIsReused() throws {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        let capacity = output.capacity
        for raw in ["/a/b/c", "/", "/%2e%2e", "/x/y/../z/"] {
            _ = decode(Array(raw.utf8), into: &output)
            #expect(output.capacity == capacity)
        }
    }

    /// A long path of `..` segments resolves in one pass.
    @Test func manyDotDotSegments() throws {
        let raw = String(repeating: "/abc", count: 2000) + String(repeating: "/..", count: 1999)
        var output: [UInt8] = []
        let path = try decode(Array(raw.utf8), into: &output).get()
        #expect(output == Array("abc".utf8) + [0])
        #expect(path.trailingSlash)
        #expect(decode(Array((raw + "/../..").utf8), into: &output) == .failure(.climbsAboveRoot))
    }

    /// Every path the parser accepts for GET decodes without trapping, and the result never
    /// contains a NUL, a control byte or a `..` segment.
    @Test func decodedPathsAreSafe() {
        var random = SplitMix64(state: 7)
        let alphabet = Array("/.%2eEfF0a".utf8)
        var output: [UInt8] = []
        for _ in 0..<5000 {
            let count = Int.random(in: 0..<16, using: &random)
            let raw =
                [UInt8(ascii: "/")]
                + (0..<count).map { _ in alphabet.randomElement(using: &random)! }
            guard case .success(let path) = decode(raw, into: &output) else { continue }
            let segments = output[..<path.length].split(
                separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            for segment in segments {
                #expect(!segment.isEmpty || path.length == 0)
                #expect(Array(segment) != [46, 46] && Array(segment) != [46])
                #expect(!segment.contains { $0 < 0x20 || $0 == 0x7F })
            }
        }
    }
}
