import HTTP1
import TestSupport
import Testing

@testable import Semantics

/// Table-driven tests of `ByteRangeRequest.resolve` (behaviour §5.2–§5.4, RFC 9110 §14.1–§14.2).
@Suite("Range parsing and resolution")
struct ByteRangeRequestTests {
    /// One Range field value against one representation length.
    struct Case: Sendable, CustomTestStringConvertible {
        var value: String
        var length: Int64
        var maxRanges = 16
        var expected: RangeResolution
        /// The behaviour section and RFC clause the case enforces.
        var cite: String

        var testDescription: String {
            "\(value) / \(length) [\(cite)]"
        }
    }

    static let big: Int64 = 5 << 30  // 5 GiB: offsets past 4 GiB (behaviour §3.6)
    static let over64 = "99999999999999999999"  // 20 digits, beyond Int64.max

    static let basics: [Case] = [
        Case(
            value: "bytes=0-499", length: 1000, expected: .single(offset: 0, length: 500),
            cite: "behaviour §5.3, RFC 9110 §14.1.2 int-range"),
        Case(
            value: "bytes=500-999", length: 1000, expected: .single(offset: 500, length: 500),
            cite: "behaviour §5.3, RFC 9110 §14.1.2 int-range"),
        Case(
            value: "bytes=500-", length: 1000, expected: .single(offset: 500, length: 500),
            cite: "behaviour §5.3 a-, RFC 9110 §14.1.2 int-range without last-pos"),
        Case(
            value: "bytes=-500", length: 1000, expected: .single(offset: 500, length: 500),
            cite: "behaviour §5.3 suffix, RFC 9110 §14.1.2 suffix-range"),
        Case(
            value: "bytes=0-0", length: 1000, expected: .single(offset: 0, length: 1),
            cite: "RFC 9110 §14.1.2 first byte"),
        Case(
            value: "bytes=-1", length: 1000, expected: .single(offset: 999, length: 1),
            cite: "RFC 9110 §14.1.2 last byte"),
        Case(
            value: "bytes=999-", length: 1000, expected: .single(offset: 999, length: 1),
            cite: "RFC 9110 §14.1.1 first-pos < length is satisfiable"),
        Case(
            value: "bytes=000-0001", length: 1000, expected: .single(offset: 0, length: 2),
            cite: "RFC 9110 §14.1.1 1*DIGIT allows leading zeros"),
    ]

    static let clamping: [Case] = [
        Case(
            value: "bytes=0-1999", length: 1000, expected: .single(offset: 0, length: 1000),
            cite: "behaviour §5.3 clamped to the end, RFC 9110 §14.1.1 last-pos >= length"),
        Case(
            value: "bytes=-2000", length: 1000, expected: .single(offset: 0, length: 1000),
            cite: "behaviour §5.3 suffix clamped, RFC 9110 §14.1.1 suffix longer than length"),
        Case(
            value: "bytes=0-9223372036854775807", length: 1000,
            expected: .single(offset: 0, length: 1000),
            cite: "behaviour §5.3, RFC 9110 §14.1.1 last-pos = Int64.max clamps"),
        Case(
            value: "bytes=0-9223372036854775808", length: 1000,
            expected: .single(offset: 0, length: 1000),
            cite: "behaviour §5.3 last-pos one past Int64.max is valid and clamps"),
        Case(
            value: "bytes=10-\(over64)", length: 1000,
            expected: .single(offset: 10, length: 990),
            cite: "behaviour §5.3 last-pos too large for 64 bits still valid, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=-\(over64)", length: 1000, expected: .single(offset: 0, length: 1000),
            cite: "behaviour §5.3 suffix-length beyond 64 bits means the whole representation"),
        Case(
            value: "bytes=4294967296-", length: big,
            expected: .single(offset: 4_294_967_296, length: big - 4_294_967_296),
            cite: "behaviour §3.6 offsets past 4 GiB, RFC 9110 §14.1.2"),
        Case(
            value: "bytes=-1", length: big, expected: .single(offset: big - 1, length: 1),
            cite: "behaviour §3.6 suffix of a file over 4 GiB"),
    ]

    static let unsatisfiable: [Case] = [
        Case(
            value: "bytes=1000-", length: 1000, expected: .unsatisfiable,
            cite: "behaviour §5.3 416, RFC 9110 §14.1.1 first-pos >= length, §15.5.17"),
        Case(
            value: "bytes=1000-2000", length: 1000, expected: .unsatisfiable,
            cite: "behaviour §5.3 416, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=-0", length: 1000, expected: .unsatisfiable,
            cite: "behaviour §5.3 n > 0, RFC 9110 §14.1.1 suffix-range needs non-zero length"),
        Case(
            value: "bytes=\(over64)-", length: 1000, expected: .unsatisfiable,
            cite: "first-pos too large for 64 bits: valid but never satisfiable, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=\(over64)-\(over64)", length: 1000, expected: .unsatisfiable,
            cite: "both positions past 64 bits and equal: valid, unsatisfiable, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=9223372036854775807-", length: 1000, expected: .unsatisfiable,
            cite: "first-pos = Int64.max, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=2000-,3000-", length: 1000, expected: .unsatisfiable,
            cite: "behaviour §5.3 no satisfiable range of several, RFC 9110 §15.5.17"),
        Case(
            value: "bytes=-0,5000-", length: 1000, expected: .unsatisfiable,
            cite: "behaviour §5.3, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=0-", length: 0, expected: .unsatisfiable,
            cite: "zero length: int-range unsatisfiable, RFC 9110 §14.1.2"),
        Case(
            value: "bytes=0-0,1-1", length: 0, expected: .unsatisfiable,
            cite: "zero length: int-ranges unsatisfiable, RFC 9110 §14.1.2"),
        Case(
            value: "bytes=-0", length: 0, expected: .unsatisfiable,
            cite: "zero length: -0 unsatisfiable, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=-5", length: 0, expected: .whole,
            cite: "zero length: non-zero suffix satisfiable but empty, RFC 9110 §14.1.2/§14.2"),
        Case(
            value: "bytes=0-0,-5", length: 0, expected: .whole,
            cite: "zero length with a non-zero suffix: Range ignored, RFC 9110 §14.2"),
    ]

    static let ignored: [Case] = [
        Case(
            value: "items=0-5", length: 1000, expected: .whole,
            cite: "behaviour §5.2 other unit ignored, RFC 9110 §14.2"),
        Case(
            value: "byte=0-5", length: 1000, expected: .whole,
            cite: "behaviour §5.2 other unit ignored, RFC 9110 §14.2"),
        Case(
            value: "bytesx=0-5", length: 1000, expected: .whole,
            cite: "behaviour §5.2 other unit ignored, RFC 9110 §14.2"),
        Case(
            value: "bytes 0-5", length: 1000, expected: .whole,
            cite: "behaviour §5.2 invalid syntax, RFC 9110 §14.1.1 ranges-specifier"),
        Case(
            value: "bytes =0-5", length: 1000, expected: .whole,
            cite: "behaviour §5.2 no whitespace before =, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=", length: 1000, expected: .whole,
            cite: "behaviour §5.2 empty range-set, RFC 9110 §14.1.1 1#range-spec"),
        Case(
            value: "bytes=, ,", length: 1000, expected: .whole,
            cite: "behaviour §5.2 only empty elements, RFC 9110 §5.6.1"),
        Case(
            value: "bytes=5-1", length: 1000, expected: .whole,
            cite: "behaviour §5.2 last-pos < first-pos is invalid, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=\(over64)-5", length: 1000, expected: .whole,
            cite: "last-pos < huge first-pos is invalid, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=\(over64)1-\(over64)", length: 1000, expected: .whole,
            cite: "both beyond 64 bits and last < first: invalid, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=a-5", length: 1000, expected: .whole,
            cite: "behaviour §5.2 invalid syntax, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=0-5x", length: 1000, expected: .whole,
            cite: "behaviour §5.2 invalid syntax, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=--5", length: 1000, expected: .whole,
            cite: "behaviour §5.2 invalid syntax, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=0-5-6", length: 1000, expected: .whole,
            cite: "behaviour §5.2 invalid syntax, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=0 -5", length: 1000, expected: .whole,
            cite: "behaviour §5.2 no whitespace inside a range-spec, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=0-5 6-7", length: 1000, expected: .whole,
            cite: "behaviour §5.2 elements need a comma, RFC 9110 §5.6.1"),
        Case(
            value: "bytes=0-5,abc", length: 1000, expected: .whole,
            cite: "behaviour §5.2 one invalid spec voids the field, RFC 9110 §14.2"),
        Case(
            value: "bytes=-", length: 1000, expected: .whole,
            cite: "behaviour §5.2 suffix-length needs a digit, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=1", length: 1000, expected: .whole,
            cite: "behaviour §5.2 int-range needs '-', RFC 9110 §14.1.1"),
        Case(
            value: "bytes=+1-2", length: 1000, expected: .whole,
            cite: "behaviour §5.2 no sign, RFC 9110 §14.1.1"),
        Case(
            value: "", length: 1000, expected: .whole,
            cite: "behaviour §5.2 empty value, RFC 9110 §14.2"),
    ]

    static let syntaxTolerance: [Case] = [
        Case(
            value: "BYTES=0-5", length: 1000, expected: .single(offset: 0, length: 6),
            cite: "behaviour §5.2 unit case-insensitive, RFC 9110 §14.1"),
        Case(
            value: "Bytes=-5", length: 1000, expected: .single(offset: 995, length: 5),
            cite: "behaviour §5.2 unit case-insensitive, RFC 9110 §14.1"),
        Case(
            value: " \tbytes=0-5 \t", length: 1000, expected: .single(offset: 0, length: 6),
            cite: "RFC 9110 §5.5 surrounding whitespace is not part of the value"),
        Case(
            value: "bytes= 0-5", length: 1000, expected: .single(offset: 0, length: 6),
            cite: "RFC 9110 §5.6.1 OWS before a list element"),
        Case(
            value: "bytes=0-9 ,\t 500-509", length: 1000,
            expected: .multiple([
                ByteSpan(offset: 0, length: 10), ByteSpan(offset: 500, length: 10),
            ]),
            cite: "RFC 9110 §5.6.1 OWS around commas"),
        Case(
            value: "bytes=,0-5,,", length: 1000, expected: .single(offset: 0, length: 6),
            cite: "RFC 9110 §5.6.1 empty list elements are ignored"),
        Case(
            value: "bytes=, ,0-5", length: 1000, expected: .single(offset: 0, length: 6),
            cite: "RFC 9110 §5.6.1 empty list elements are ignored"),
    ]

    static let several: [Case] = [
        Case(
            value: "bytes=0-9,500-509", length: 1000,
            expected: .multiple([
                ByteSpan(offset: 0, length: 10), ByteSpan(offset: 500, length: 10),
            ]),
            cite: "behaviour §5.4 several ranges → multipart, RFC 9110 §15.3.7.2"),
        Case(
            value: "bytes=500-509,0-9", length: 1000,
            expected: .multiple([
                ByteSpan(offset: 0, length: 10), ByteSpan(offset: 500, length: 10),
            ]),
            cite: "behaviour §5.4 sorted, RFC 9110 §15.3.7.2 coalescing regardless of order"),
        Case(
            value: "bytes=0-9,5-14", length: 1000, expected: .single(offset: 0, length: 15),
            cite: "behaviour §5.4 overlapping coalesced into one plain 206, RFC 9110 §15.3.7.2"),
        Case(
            value: "bytes=0-9,10-19", length: 1000, expected: .single(offset: 0, length: 20),
            cite: "behaviour §5.4 adjacent coalesced, RFC 9110 §15.3.7.2"),
        Case(
            value: "bytes=0-9,90-99", length: 1000, expected: .single(offset: 0, length: 100),
            cite: "behaviour §5.4 gap of exactly coalescingGap (80) merged, RFC 9110 §15.3.7.2"),
        Case(
            value: "bytes=0-9,91-100", length: 1000,
            expected: .multiple([
                ByteSpan(offset: 0, length: 10), ByteSpan(offset: 91, length: 10),
            ]),
            cite: "behaviour §5.4 gap of 81 kept apart, RFC 9110 §15.3.7.2"),
        Case(
            value: "bytes=0-9,2000-3000", length: 1000, expected: .single(offset: 0, length: 10),
            cite: "behaviour §5.3 unsatisfiable spec dropped, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=-0,0-9", length: 1000, expected: .single(offset: 0, length: 10),
            cite: "behaviour §5.3 -0 dropped, RFC 9110 §14.1.1"),
        Case(
            value: "bytes=900-,0-9,400-409", length: 1000,
            expected: .multiple([
                ByteSpan(offset: 0, length: 10), ByteSpan(offset: 400, length: 10),
                ByteSpan(offset: 900, length: 100),
            ]),
            cite: "behaviour §5.4 three parts sorted, RFC 9110 §15.3.7.2"),
        Case(
            value: "bytes=0-499,500-999", length: 1000,
            expected: .single(offset: 0, length: 1000),
            cite:
                "behaviour §5.4 total equal to the length is allowed, RFC 9110 §15.3.7.2 coalesced"),
    ]

    static let limits: [Case] = [
        Case(
            value: "bytes=" + (0..<17).map { "\($0 * 100)-\($0 * 100)" }.joined(separator: ","),
            length: 10_000, expected: .whole,
            cite: "behaviour §5.4 more than --max-ranges (16) → 200, RFC 9110 §14.2"),
        Case(
            value: "bytes=" + (0..<16).map { "\($0 * 100)-\($0 * 100)" }.joined(separator: ","),
            length: 10_000,
            expected: .multiple((0..<16).map { ByteSpan(offset: Int64($0) * 100, length: 1) }),
            cite: "behaviour §5.4 exactly --max-ranges is served, RFC 9110 §15.3.7.2"),
        Case(
            value: "bytes=" + (0..<17).map { "\($0 * 100)-\($0 * 100)" }.joined(separator: ","),
            length: 10_000, maxRanges: 17,
            expected: .multiple((0..<17).map { ByteSpan(offset: Int64($0) * 100, length: 1) }),
            cite: "behaviour §5.4 --max-ranges is configurable, RFC 9110 §14.2"),
        Case(
            value: "bytes=0-0,,,,,,,,,,,,,,,,,,,,500-500", length: 1000, maxRanges: 2,
            expected: .multiple([ByteSpan(offset: 0, length: 1), ByteSpan(offset: 500, length: 1)]),
            cite: "empty elements do not count as ranges, RFC 9110 §5.6.1"),
        Case(
            value: "bytes=0-0,500-500", length: 1000, maxRanges: 1, expected: .whole,
            cite: "behaviour §5.4 --max-ranges 1 refuses multipart, RFC 9110 §14.2"),
        Case(
            value: "bytes=0-0", length: 1000, maxRanges: 0, expected: .whole,
            cite: "behaviour §5.4 --max-ranges 0 disables ranges, RFC 9110 §14.2 MAY ignore"),
        Case(
            value: "bytes=0-,0-", length: 1000, expected: .whole,
            cite: "behaviour §5.4 no amplification, RFC 9110 §14.2 overlapping ranges"),
        Case(
            value: "bytes=0-599,400-999", length: 1000, expected: .whole,
            cite: "behaviour §5.4 total exceeds the file → 200, RFC 9110 §14.2 overlapping ranges"),
        Case(
            value: "bytes=-600,0-500", length: 1000, expected: .whole,
            cite: "behaviour §5.4 total exceeds the file → 200, RFC 9110 §14.2 overlapping ranges"),
        Case(
            value: "bytes=0-,0-,\(over64)-", length: Int64.max, expected: .whole,
            cite: "behaviour §5.4 total past Int64.max does not overflow, RFC 9110 §14.2"),
    ]

    @Test(
        "Range field values resolve as behaviour §5 requires",
        arguments: basics + clamping + unsatisfiable + ignored + syntaxTolerance + several + limits
    )
    func resolves(_ testCase: Case) {
        let resolution = ByteSpans.with(testCase.value) {
            ByteRangeRequest.resolve($0, length: testCase.length, maxRanges: testCase.maxRanges)
        }
        #expect(resolution == testCase.expected, "\(testCase.cite)")
    }

    /// behaviour §5.3: `Content-Range: bytes a-b/len` and `bytes */len` (RFC 9110 §14.4).
    @Test("Content-Range values are rendered exactly")
    func contentRange() {
        var output: [UInt8] = []
        ByteSpan(offset: 4_294_967_296, length: 10).appendContentRange(
            completeLength: Self.big, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "bytes 4294967296-4294967305/5368709120")
        output.removeAll()
        ByteSpan.appendUnsatisfiedContentRange(completeLength: 0, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "bytes */0")
        output.removeAll()
        ByteSpan(offset: 0, length: Int64.max).appendContentRange(
            completeLength: Int64.max, to: &output)
        #expect(
            String(decoding: output, as: UTF8.self)
                == "bytes 0-9223372036854775806/9223372036854775807")
    }
}
