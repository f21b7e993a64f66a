import TestSupport
import Testing

@testable import HTTP1

/// Randomised checks on mutated requests, with a fixed seed: the parser never crashes, its
/// verdict never depends on bytes it has not been given, and the spans of a complete head lie
/// inside it.
@Suite("RequestParser properties")
struct ParserPropertyTests {
    private static let seeds = [
        "GET /a/b?c=d HTTP/1.1\r\nHost: example.com:80\r\nRange: bytes=0-1\r\n\r\n",
        "HEAD http://h/x HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nIf-None-Match: \"a\"\r\n\r\n",
        "\r\nOPTIONS * HTTP/1.1\r\nHost: [::1]\r\nAccept-Encoding: br\r\n\r\nGET / HTTP/1.1\r\n",
    ].map { Array($0.utf8) }

    /// Bytes that matter to the grammar, and some that do not.
    private static let alphabet: [UInt8] =
        Array("\r\n \t:,;/?#%@[]*-.0123456789HTTPhtpsGETchunkedclose\"".utf8) + [
            0, 0x7F, 0x80, 0xFF,
        ]

    private func mutate(_ bytes: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let index = Int.random(in: 0..<bytes.count, using: &random)
            let byte = Self.alphabet.randomElement(using: &random)!
            switch Int.random(in: 0..<3, using: &random) {
            case 0: bytes[index] = byte
            case 1: bytes.insert(byte, at: index)
            default: bytes.remove(at: index)
            }
        }
        return bytes
    }

    @Test func verdictsAreStableAndSpansAreInside() {
        var random = SplitMix64(state: 0x5EED)
        var verdicts = (complete: 0, incomplete: 0, failed: 0)
        for _ in 0..<4000 {
            let seed = Self.seeds.randomElement(using: &random)!
            let bytes = mutate(seed, using: &random)
            let full = headOutcome(bytes)
            switch parseHead(bytes) {
            case .incomplete:
                verdicts.incomplete += 1
            case .failed:
                verdicts.failed += 1
            case .complete(let head):
                verdicts.complete += 1
                checkSpans(head, bytes)
            }
            for _ in 0..<4 {
                let end = Int.random(in: 0...bytes.count, using: &random)
                let partial = headOutcome(Array(bytes[..<end]))
                switch full {
                case .complete(let length) where end >= length:
                    #expect(partial == full)
                case .failed:
                    #expect(partial == .incomplete || partial == full)
                default:
                    #expect(partial == .incomplete)
                }
            }
        }
        // The mutations reach every kind of verdict.
        #expect(verdicts.complete > 100 && verdicts.failed > 100 && verdicts.incomplete > 10)
    }

    private func checkSpans(_ head: RequestHead, _ bytes: [UInt8]) {
        let inside = 0...head.length
        #expect(head.length <= bytes.count)
        #expect(bytes[head.length - 2] == UInt8(ascii: "\r") && bytes[head.length - 1] == 10)
        var spans = [head.methodName, head.path]
        spans += [head.query, head.host, head.range, head.ifRange].compactMap { $0 }
        spans += head.ifNoneMatch
        spans += head.acceptEncoding
        for span in spans {
            #expect(inside.contains(span.lowerBound) && inside.contains(span.upperBound))
        }
        if head.method == .get || head.method == .head {
            #expect(bytes[head.path.lowerBound] == UInt8(ascii: "/"))
        }
    }

    /// Arbitrary bytes: any outcome, but no crash, and the same verdict every time.
    @Test func arbitraryBytes() {
        var random = SplitMix64(state: 42)
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<64, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(headOutcome(bytes) == headOutcome(bytes))
        }
    }
}
