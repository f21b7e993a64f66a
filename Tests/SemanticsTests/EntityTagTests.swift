import HTTP1
import TestSupport
import Testing

@testable import Semantics

/// Entity-tag syntax and comparison (behaviour §5.1, RFC 9110 §8.8.3).
@Suite("Entity tags")
struct EntityTagTests {
    struct ParseCase: Sendable, CustomTestStringConvertible {
        var text: String
        /// nil: not an entity-tag; otherwise whether it is weak.
        var weak: Bool?
        var cite: String
        var testDescription: String { "\(text) [\(cite)]" }
    }

    static let parseCases: [ParseCase] = [
        ParseCase(text: "\"xyzzy\"", weak: false, cite: "RFC 9110 §8.8.3 strong"),
        ParseCase(text: "W/\"xyzzy\"", weak: true, cite: "RFC 9110 §8.8.3 weak"),
        ParseCase(text: "\"\"", weak: false, cite: "RFC 9110 §8.8.3 *etagc allows empty"),
        ParseCase(text: " \"a\" ", weak: false, cite: "RFC 9110 §5.5 surrounding OWS"),
        ParseCase(text: "\"a,b\"", weak: false, cite: "RFC 9110 §8.8.3 etagc includes ','"),
        ParseCase(text: "\"caf\u{E9}\"", weak: false, cite: "RFC 9110 §8.8.3 obs-text"),
        ParseCase(text: "w/\"x\"", weak: nil, cite: "RFC 9110 §8.8.3 weak is %s\"W/\""),
        ParseCase(text: "xyzzy", weak: nil, cite: "RFC 9110 §8.8.3 opaque-tag is quoted"),
        ParseCase(text: "\"a b\"", weak: nil, cite: "RFC 9110 §8.8.3 etagc excludes SP"),
        ParseCase(text: "\"ab", weak: nil, cite: "RFC 9110 §8.8.3 closing DQUOTE"),
        ParseCase(text: "\"a\"b", weak: nil, cite: "RFC 9110 §8.8.3 one tag only"),
        ParseCase(text: "W/ \"a\"", weak: nil, cite: "RFC 9110 §8.8.3 no space after W/"),
        ParseCase(text: "", weak: nil, cite: "RFC 9110 §8.8.3 empty is not a tag"),
    ]

    @Test("entity-tags parse by RFC 9110 §8.8.3", arguments: parseCases)
    func parses(_ testCase: ParseCase) {
        let weak = ByteSpans.with(testCase.text) { EntityTag(parsing: $0)?.isWeak }
        #expect(weak == testCase.weak, "\(testCase.cite)")
    }

    struct CompareCase: Sendable, CustomTestStringConvertible {
        var lhs: String
        var rhs: String
        var strong: Bool
        var weak: Bool
        var testDescription: String { "\(lhs) vs \(rhs)" }
    }

    /// The example table of RFC 9110 §8.8.3.2, plus byte-exactness.
    static let compareCases: [CompareCase] = [
        CompareCase(lhs: "W/\"1\"", rhs: "W/\"1\"", strong: false, weak: true),
        CompareCase(lhs: "W/\"1\"", rhs: "W/\"2\"", strong: false, weak: false),
        CompareCase(lhs: "W/\"1\"", rhs: "\"1\"", strong: false, weak: true),
        CompareCase(lhs: "\"1\"", rhs: "\"1\"", strong: true, weak: true),
        CompareCase(lhs: "\"a\"", rhs: "\"A\"", strong: false, weak: false),
        CompareCase(lhs: "\"ab\"", rhs: "\"a\"", strong: false, weak: false),
    ]

    @Test("strong and weak comparison follow RFC 9110 §8.8.3.2", arguments: compareCases)
    func compares(_ testCase: CompareCase) throws {
        try ByteSpans.with(testCase.lhs) { lhsBytes in
            try ByteSpans.with(testCase.rhs) { rhsBytes in
                let lhs = try #require(EntityTag(parsing: lhsBytes))
                let rhs = try #require(EntityTag(parsing: rhsBytes))
                #expect(EntityTag.strongMatch(lhs, rhs) == testCase.strong)
                #expect(EntityTag.weakMatch(lhs, rhs) == testCase.weak)
                #expect(EntityTag.strongMatch(rhs, lhs) == testCase.strong)
                #expect(EntityTag.weakMatch(rhs, lhs) == testCase.weak)
            }
        }
    }

    struct ListCase: Sendable, CustomTestStringConvertible {
        var lines: [String]
        var strong: Bool
        var weak: Bool
        var cite: String
        var testDescription: String { "\(lines) [\(cite)]" }
    }

    /// Against the current tag `"abc"`.
    static let listCases: [ListCase] = [
        ListCase(lines: ["\"abc\""], strong: true, weak: true, cite: "RFC 9110 §13.1.1"),
        ListCase(lines: ["W/\"abc\""], strong: false, weak: true, cite: "RFC 9110 §8.8.3.2"),
        ListCase(
            lines: ["\"x\", \"abc\""], strong: true, weak: true, cite: "RFC 9110 §13.1.1 list"),
        ListCase(
            lines: ["\"x\"", "\"abc\""], strong: true, weak: true,
            cite: "RFC 9110 §5.3 several field lines are one list"),
        ListCase(
            lines: [" , \"x\" ,, \"abc\" , "], strong: true, weak: true,
            cite: "RFC 9110 §5.6.1 OWS and empty elements"),
        ListCase(
            lines: ["\"a,b\", \"abc\""], strong: true, weak: true,
            cite: "RFC 9110 §8.8.3 a comma inside a tag does not split it"),
        ListCase(lines: ["\"x\", \"y\""], strong: false, weak: false, cite: "RFC 9110 §13.1.1"),
        ListCase(lines: ["*"], strong: true, weak: true, cite: "RFC 9110 §13.1.1 \"*\""),
        ListCase(lines: [" * "], strong: true, weak: true, cite: "RFC 9110 §13.1.1 \"*\""),
        ListCase(
            lines: ["*, \"abc\""], strong: false, weak: false,
            cite: "RFC 9110 §13.1.1 \"*\" / #entity-tag: mixed is malformed, matches nothing"),
        ListCase(
            lines: ["*", "*"], strong: false, weak: false,
            cite: "RFC 9110 §13.1.1 \"*\" is the whole value"),
        ListCase(
            lines: ["abc"], strong: false, weak: false, cite: "malformed matches nothing"),
        ListCase(
            lines: ["\"abc\" x"], strong: false, weak: false, cite: "malformed matches nothing"),
        ListCase(
            lines: ["\"abc\", garbage"], strong: false, weak: false,
            cite: "malformed anywhere matches nothing"),
        ListCase(lines: [""], strong: false, weak: false, cite: "RFC 9110 §13.1.1 1#entity-tag"),
    ]

    @Test("If-Match / If-None-Match lists are read tag by tag", arguments: listCases)
    func lists(_ testCase: ListCase) {
        ByteSpans.with("\"abc\"") { currentBytes in
            let current = EntityTag(parsing: currentBytes)
            SemanticsSpans.withList(testCase.lines) { list in
                guard let list else {
                    Issue.record("no list")
                    return
                }
                let strong = EntityTagList.matches(list, current: current, weakComparison: false)
                let weak = EntityTagList.matches(list, current: current, weakComparison: true)
                #expect(strong == testCase.strong, "\(testCase.cite)")
                #expect(weak == testCase.weak, "\(testCase.cite)")
            }
        }
    }
}
