import HTTP1
import TestSupport
import Testing

@testable import Semantics

/// RFC 9110 §13.2.2 evaluation order and the rules it combines (behaviour §5.1–§5.2).
@Suite("Preconditions")
struct PreconditionsTests {
    static let strong = Validators(etag: Array("\"abc\"".utf8), isWeak: false, lastModified: 1000)
    static let weak = Validators(etag: Array("W/\"abc\"".utf8), isWeak: true, lastModified: 1000)
    static let now: Int64 = 5000

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var ifMatch: [String]? = nil
        var ifUnmodifiedSince: Int64? = nil
        var ifNoneMatch: [String]? = nil
        var ifModifiedSince: Int64? = nil
        var validators = PreconditionsTests.strong
        var expected: PreconditionOutcome
        var cite: String

        var testDescription: String { "\(name) [\(cite)]" }
    }

    static let cases: [Case] = [
        Case(name: "no preconditions", expected: .proceed, cite: "RFC 9110 §13.2.2 step 5"),
        // If-Match.
        Case(
            name: "If-Match matching", ifMatch: ["\"abc\""], expected: .proceed,
            cite: "behaviour §5.1, RFC 9110 §13.1.1"),
        Case(
            name: "If-Match not matching", ifMatch: ["\"xyz\""], expected: .preconditionFailed,
            cite: "behaviour §5.1 412, RFC 9110 §13.2.2 step 1"),
        Case(
            name: "If-Match in a list on two lines", ifMatch: ["\"x\"", "\"y\", \"abc\""],
            expected: .proceed, cite: "RFC 9110 §13.1.1, §5.3"),
        Case(
            name: "If-Match *", ifMatch: ["*"], expected: .proceed,
            cite: "RFC 9110 §13.1.1 * matches a current representation"),
        Case(
            name: "If-Match weak tag", ifMatch: ["W/\"abc\""], expected: .preconditionFailed,
            cite: "RFC 9110 §13.1.1 strong comparison"),
        Case(
            name: "If-Match on a weak-validated file", ifMatch: ["\"abc\""], validators: weak,
            expected: .preconditionFailed, cite: "RFC 9110 §13.1.1, §8.8.3.2 weak never strong"),
        Case(
            name: "If-Match * on a weak-validated file", ifMatch: ["*"], validators: weak,
            expected: .proceed, cite: "RFC 9110 §13.1.1"),
        Case(
            name: "If-Match malformed", ifMatch: ["abc"], expected: .preconditionFailed,
            cite: "malformed If-Match matches nothing, RFC 9110 §13.1.1"),
        Case(
            name: "If-Match failing beats If-None-Match", ifMatch: ["\"xyz\""],
            ifNoneMatch: ["\"abc\""], expected: .preconditionFailed,
            cite: "behaviour §5.1, RFC 9110 §13.2.2 step 1 first"),
        Case(
            name: "If-Match failing beats If-Modified-Since", ifMatch: ["\"xyz\""],
            ifModifiedSince: 2000, expected: .preconditionFailed,
            cite: "RFC 9110 §13.2.2 step 1 first"),
        // If-Unmodified-Since.
        Case(
            name: "If-Unmodified-Since equal", ifUnmodifiedSince: 1000, expected: .proceed,
            cite: "RFC 9110 §13.1.4 not more recent"),
        Case(
            name: "If-Unmodified-Since earlier", ifUnmodifiedSince: 999,
            expected: .preconditionFailed, cite: "behaviour §5.1 412, RFC 9110 §13.2.2 step 2"),
        Case(
            name: "If-Unmodified-Since ignored when If-Match present", ifMatch: ["\"abc\""],
            ifUnmodifiedSince: 500, expected: .proceed,
            cite: "RFC 9110 §13.2.2 step 2 only without If-Match"),
        Case(
            name: "If-Unmodified-Since failing beats If-None-Match", ifUnmodifiedSince: 999,
            ifNoneMatch: ["\"abc\""], expected: .preconditionFailed,
            cite: "RFC 9110 §13.2.2 step 2 before step 3"),
        Case(
            name: "If-Unmodified-Since invalid (nil)", ifUnmodifiedSince: nil,
            expected: .proceed, cite: "RFC 9110 §13.1.4 invalid date ignored"),
        // If-None-Match.
        Case(
            name: "If-None-Match matching on GET", ifNoneMatch: ["\"abc\""],
            expected: .notModified, cite: "behaviour §5.1 304, RFC 9110 §13.2.2 step 3"),
        Case(
            name: "If-None-Match weak tag matches weakly", ifNoneMatch: ["W/\"abc\""],
            expected: .notModified, cite: "behaviour §5.1 weak comparison, RFC 9110 §13.1.2"),
        Case(
            name: "If-None-Match on a weak-validated file", ifNoneMatch: ["\"abc\""],
            validators: weak, expected: .notModified, cite: "RFC 9110 §13.1.2 weak comparison"),
        Case(
            name: "If-None-Match *", ifNoneMatch: ["*"], expected: .notModified,
            cite: "RFC 9110 §13.1.2 * is false when a representation exists"),
        Case(
            name: "If-None-Match not matching", ifNoneMatch: ["\"xyz\", W/\"q\""],
            expected: .proceed, cite: "RFC 9110 §13.1.2"),
        Case(
            name: "If-None-Match match + If-Modified-Since old", ifNoneMatch: ["\"abc\""],
            ifModifiedSince: 500, expected: .notModified,
            cite: "behaviour §5.1, RFC 9110 §13.2.2 step 3 decides; IMS not evaluated"),
        Case(
            name: "If-None-Match mismatch + If-Modified-Since not modified",
            ifNoneMatch: ["\"xyz\""], ifModifiedSince: 2000, expected: .proceed,
            cite: "behaviour §5.1, RFC 9110 §13.1.3 IMS ignored when INM present (INM wins)"),
        Case(
            name: "If-None-Match malformed + If-Modified-Since not modified",
            ifNoneMatch: ["abc"], ifModifiedSince: 2000, expected: .proceed,
            cite: "malformed INM matches nothing; still present, so IMS ignored"),
        Case(
            name: "If-Match ok + If-None-Match matching", ifMatch: ["\"abc\""],
            ifNoneMatch: ["\"abc\""], expected: .notModified,
            cite: "RFC 9110 §13.2.2 steps 1 then 3"),
        // If-Modified-Since.
        Case(
            name: "If-Modified-Since equal", ifModifiedSince: 1000, expected: .notModified,
            cite: "behaviour §5.1 304, RFC 9110 §13.1.3 earlier or equal"),
        Case(
            name: "If-Modified-Since later", ifModifiedSince: 2000, expected: .notModified,
            cite: "behaviour §5.1, RFC 9110 §13.1.3"),
        Case(
            name: "If-Modified-Since earlier", ifModifiedSince: 999, expected: .proceed,
            cite: "RFC 9110 §13.1.3 modified since"),
        Case(
            name: "If-Modified-Since in the future", ifModifiedSince: 6000, expected: .proceed,
            cite: "behaviour §5.1 ignored if in the future, RFC 9110 §13.1.3"),
        Case(
            name: "If-Modified-Since equal to now", ifModifiedSince: 5000, expected: .notModified,
            cite: "RFC 9110 §13.1.3 only later than now is invalid"),
        Case(
            name: "If-Modified-Since invalid (nil)", ifModifiedSince: nil, expected: .proceed,
            cite: "behaviour §5.1 invalid date ignored, RFC 9110 §13.1.3"),
    ]

    @Test("RFC 9110 §13.2.2 order", arguments: cases)
    func evaluates(_ testCase: Case) {
        let outcome = SemanticsSpans.withList(testCase.ifMatch) { ifMatch in
            SemanticsSpans.withList(testCase.ifNoneMatch) { ifNoneMatch in
                Preconditions.evaluate(
                    ifMatch: ifMatch, ifUnmodifiedSince: testCase.ifUnmodifiedSince,
                    ifNoneMatch: ifNoneMatch, ifModifiedSince: testCase.ifModifiedSince,
                    validators: testCase.validators,
                    now: Self.now)
            }
        }
        #expect(outcome == testCase.expected, "\(testCase.cite)")
    }

    struct IfRangeCase: Sendable, CustomTestStringConvertible {
        var value: String
        var validators = PreconditionsTests.strong
        var expected: Bool
        var cite: String
        var testDescription: String { "\(value) [\(cite)]" }
    }

    static let ifRangeCases: [IfRangeCase] = [
        IfRangeCase(
            value: "\"abc\"", expected: true, cite: "behaviour §5.2, RFC 9110 §13.1.5 strong match"),
        IfRangeCase(value: " \"abc\" ", expected: true, cite: "RFC 9110 §5.5 OWS"),
        IfRangeCase(
            value: "\"xyz\"", expected: false,
            cite: "behaviour §5.2 mismatch → 200, RFC 9110 §13.1.5"),
        IfRangeCase(
            value: "W/\"abc\"", expected: false, cite: "RFC 9110 §13.1.5 weak tags never match"),
        IfRangeCase(
            value: "\"abc\"", validators: weak, expected: false,
            cite: "RFC 9110 §13.1.5 strong comparison, current weak"),
        IfRangeCase(
            value: "\"abc\", \"def\"", expected: false,
            cite: "RFC 9110 §13.1.5 one entity-tag, not a list"),
        IfRangeCase(
            value: "1000", expected: true, cite: "behaviour §5.2 date equal to Last-Modified"),
        IfRangeCase(
            value: "999", expected: false, cite: "RFC 9110 §13.1.5 date must match exactly"),
        IfRangeCase(
            value: "1001", expected: false, cite: "RFC 9110 §13.1.5 a later date does not match"),
        IfRangeCase(
            value: "1000", validators: weak, expected: false,
            cite: "behaviour §5.2, RFC 9110 §13.1.5 Last-Modified must be strong"),
        IfRangeCase(value: "garbage", expected: false, cite: "RFC 9110 §13.1.5 invalid"),
        IfRangeCase(value: "", expected: false, cite: "RFC 9110 §13.1.5 invalid"),
    ]

    /// A stand-in for the HTTP-date parser: a decimal number of seconds, else invalid.
    static func fakeDate(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard !bytes.isEmpty, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        return Int64(String(decoding: bytes, as: UTF8.self))
    }

    @Test(
        "If-Range allows a partial response only on an exact strong match", arguments: ifRangeCases)
    func ifRange(_ testCase: IfRangeCase) {
        let allows = ByteSpans.with(testCase.value) {
            Preconditions.ifRangeAllowsPartial(
                value: $0, validators: testCase.validators, parseDate: Self.fakeDate)
        }
        #expect(allows == testCase.expected, "\(testCase.cite)")
    }
}
