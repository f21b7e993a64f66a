import HTTP1
import TestSupport
import Testing

@testable import Semantics

/// Accept-Encoding negotiation for precompressed variants (behaviour §4.3, RFC 9110 §12.5.3).
@Suite("Content coding negotiation")
struct ContentCodingTests {
    static let all: AvailableCodings = [.gzip, .brotli, .zstd]

    struct Case: Sendable, CustomTestStringConvertible {
        var lines: [String]?
        var available: AvailableCodings = ContentCodingTests.all
        var expected: ContentCoding?
        var cite: String
        var testDescription: String { "\(lines ?? ["<absent>"]) [\(cite)]" }
    }

    static let cases: [Case] = [
        Case(lines: nil, expected: .identity, cite: "no field → identity (documented choice)"),
        Case(lines: [""], expected: .identity, cite: "RFC 9110 §12.5.3 empty: no coding wanted"),
        Case(lines: ["gzip"], expected: .gzip, cite: "behaviour §4.3"),
        Case(lines: ["gzip, br"], expected: .brotli, cite: "equal q: br preferred"),
        Case(lines: ["gzip, deflate, br, zstd"], expected: .brotli, cite: "equal q: br first"),
        Case(lines: ["zstd, gzip"], expected: .zstd, cite: "equal q: zstd over gzip"),
        Case(
            lines: ["gzip, br"], available: [.gzip], expected: .gzip, cite: "behaviour §4.3 exists"),
        Case(lines: ["zstd"], available: [.zstd], expected: .zstd, cite: "behaviour §4.3"),
        Case(
            lines: ["br"], available: [], expected: .identity,
            cite: "RFC 9110 §12.5.3 identity acceptable by default"),
        Case(
            lines: ["br;q=0, gzip"], expected: .gzip,
            cite: "behaviour §4.3 q=0 refuses, RFC 9110 §12.4.2"),
        Case(
            lines: ["br;q=0.5, gzip;q=0.8"], expected: .gzip,
            cite: "behaviour §4.3 q-values honoured, RFC 9110 §12.4.2"),
        Case(lines: ["br;q=1.000, gzip"], expected: .brotli, cite: "RFC 9110 §12.4.2 q=1.000"),
        Case(
            lines: ["br;q=1.0001, gzip"], expected: .gzip,
            cite: "RFC 9110 §12.4.2 at most 3 decimals: invalid element ignored"),
        Case(lines: ["br;q=1.1, gzip"], expected: .gzip, cite: "RFC 9110 §12.4.2 q <= 1"),
        Case(lines: ["br;q=2, gzip"], expected: .gzip, cite: "RFC 9110 §12.4.2 invalid q"),
        Case(lines: ["br;q=0.5a, gzip"], expected: .gzip, cite: "RFC 9110 §12.4.2 invalid q"),
        Case(lines: ["br;q=, gzip"], expected: .gzip, cite: "RFC 9110 §12.4.2 invalid q"),
        Case(
            lines: ["br;level=1, gzip"], expected: .gzip,
            cite: "RFC 9110 §12.5.3 only a weight may follow a coding"),
        Case(lines: ["BR;Q=0.9, gzip;q=0.8"], expected: .brotli, cite: "case-insensitive"),
        Case(lines: ["GZIP"], expected: .gzip, cite: "RFC 9110 §8.4.1 case-insensitive"),
        Case(lines: ["x-gzip"], expected: .gzip, cite: "RFC 9110 §8.4.1.3 x-gzip is gzip"),
        Case(lines: ["gzip ; q=0.5"], expected: .gzip, cite: "RFC 9110 §12.4.2 OWS around ;"),
        Case(lines: [", ,gzip,,"], expected: .gzip, cite: "RFC 9110 §5.6.1 empty elements"),
        Case(lines: ["gzip;q=0."], expected: .identity, cite: "RFC 9110 §12.4.2 \"0.\" is 0"),
        Case(lines: ["*"], expected: .brotli, cite: "RFC 9110 §12.5.3 * matches any coding"),
        Case(
            lines: ["*;q=0"], expected: nil,
            cite: "RFC 9110 §12.5.3 *;q=0 without identity refuses identity"),
        Case(
            lines: ["*;q=0, identity"], expected: .identity,
            cite: "RFC 9110 §12.5.3 a more specific identity entry"),
        Case(
            lines: ["identity;q=0"], available: [], expected: nil,
            cite: "RFC 9110 §12.5.3 identity;q=0"),
        Case(
            lines: ["identity;q=0, gzip"], available: [], expected: nil,
            cite: "RFC 9110 §12.5.3 nothing acceptable → nil (serve identity anyway)"),
        Case(
            lines: ["identity;q=0, gzip"], available: [.gzip], expected: .gzip,
            cite: "RFC 9110 §12.5.3"),
        Case(lines: ["gzip;q=0"], available: [.gzip], expected: .identity, cite: "behaviour §4.3"),
        Case(
            lines: ["*;q=0.5, gzip;q=0.4"], available: [.gzip, .brotli], expected: .brotli,
            cite: "RFC 9110 §12.5.3 * applies to codings not named"),
        Case(
            lines: ["*;q=0.5, br;q=0"], available: [.brotli], expected: .identity,
            cite: "RFC 9110 §12.5.3 * gives identity its weight"),
        Case(
            lines: ["gzip;q=0.001"], available: [.gzip], expected: .gzip,
            cite: "a named coding outranks the implicit identity"),
        Case(
            lines: ["identity;q=0.5, gzip;q=0.4"], available: [.gzip], expected: .identity,
            cite: "RFC 9110 §12.5.3 identity weighed like any coding"),
        Case(lines: ["compress, deflate"], expected: .identity, cite: "unknown codings"),
        Case(
            lines: ["gzip, gzip;q=0"], available: [.gzip], expected: .identity,
            cite: "duplicates: the lowest weight counts (documented choice)"),
        Case(
            lines: ["gzip;q=0.5", "br;q=0.6"], expected: .brotli,
            cite: "RFC 9110 §5.3 several lines are one list"),
    ]

    @Test("Accept-Encoding picks the variant", arguments: cases)
    func chooses(_ testCase: Case) {
        let chosen = SemanticsSpans.withList(testCase.lines) {
            ContentCoding.choose(acceptEncoding: $0, available: testCase.available)
        }
        #expect(chosen == testCase.expected, "\(testCase.cite)")
    }

    struct QCase: Sendable, CustomTestStringConvertible {
        var text: String
        var thousandths: Int?
        var testDescription: String { text }
    }

    static let qCases: [QCase] = [
        QCase(text: "0", thousandths: 0), QCase(text: "1", thousandths: 1000),
        QCase(text: "0.5", thousandths: 500), QCase(text: "0.123", thousandths: 123),
        QCase(text: "0.05", thousandths: 50), QCase(text: "1.000", thousandths: 1000),
        QCase(text: "1.0", thousandths: 1000), QCase(text: "0.", thousandths: 0),
        QCase(text: "1.", thousandths: 1000), QCase(text: "0.1234", thousandths: nil),
        QCase(text: "1.001", thousandths: nil), QCase(text: ".5", thousandths: nil),
        QCase(text: "2", thousandths: nil), QCase(text: "", thousandths: nil),
        QCase(text: "0.5 ", thousandths: nil), QCase(text: "01", thousandths: nil),
    ]

    /// RFC 9110 §12.4.2 qvalue grammar.
    @Test("qvalues parse into thousandths", arguments: qCases)
    func qvalues(_ testCase: QCase) {
        #expect(
            ByteSpans.with(testCase.text) { QualityValue.parse($0) } == testCase.thousandths)
    }

    /// behaviour §4.3 file names and RFC 9110 §8.4.1 tokens.
    @Test("tokens and file suffixes")
    func names() {
        #expect("\(ContentCoding.brotli.token)" == "br")
        #expect("\(ContentCoding.zstd.fileSuffix)" == ".zst")
        #expect("\(ContentCoding.gzip.fileSuffix)" == ".gz")
        #expect("\(ContentCoding.brotli.fileSuffix)" == ".br")
    }
}
