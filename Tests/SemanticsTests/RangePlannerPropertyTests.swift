import HTTP1
import TestSupport
import Testing

@testable import Semantics

/// Property tests of range resolution and multipart planning against random range sets and
/// lengths (behaviour §5.3–§5.4, RFC 9110 §14.1.1, §14.2, §14.6, §15.3.7.2), with a seeded
/// `SplitMix64` so a failure reproduces from the seed in its message.
@Suite("Range planner properties")
struct RangePlannerPropertyTests {
    /// One requested spec, kept in the model's terms.
    enum Requested {
        case int(first: UInt64, last: UInt64?)
        case suffix(UInt64)
        /// A syntactically invalid spec (last-pos < first-pos), which voids the field.
        case invalid

        var text: String {
            switch self {
            case .invalid: "9-3"
            case .int(let first, let last): "\(first)-" + (last.map { "\($0)" } ?? "")
            case .suffix(let length): "-\(length)"
            }
        }

        /// The bytes this spec asks for, by RFC 9110 §14.1.1, as a half-open interval in
        /// unbounded arithmetic; nil when unsatisfiable.
        func interval(length: Int64) -> (start: Int64, end: Int64)? {
            switch self {
            case .int(let first, let last):
                guard first < UInt64(length) else {
                    return nil
                }
                let lastByte = min(last ?? UInt64.max, UInt64(length) - 1)
                return (Int64(first), Int64(lastByte) + 1)
            case .suffix(let suffix):
                guard suffix > 0, length > 0 else {
                    return nil
                }
                return (length - Int64(min(suffix, UInt64(length))), length)
            case .invalid:
                return nil
            }
        }
    }

    /// A random length: mostly small, sometimes empty, past 4 GiB, or near `Int64.max`.
    static func randomLength(_ random: inout SplitMix64) -> Int64 {
        switch random.next() % 10 {
        case 0: 0
        case 1: Int64(random.next() % (1 << 40)) + (1 << 32)
        case 2: Int64.max - Int64(random.next() % 1000)
        default: Int64(random.next() % 3000) + 1
        }
    }

    /// A random position around `length`, occasionally beyond 64 bits' signed range.
    static func randomPosition(_ random: inout SplitMix64, length: Int64) -> UInt64 {
        switch random.next() % 12 {
        case 0: UInt64.max - random.next() % 10
        case 1: UInt64(length) + random.next() % 100
        default: random.next() % (UInt64(length) + UInt64(length) / 5 + 2)
        }
    }

    static func randomSpecs(_ random: inout SplitMix64, length: Int64) -> [Requested] {
        let count = Int(random.next() % (random.next() % 2 == 0 ? 4 : 20)) + 1
        return (0..<count).map { _ in
            if random.next() % 60 == 0 {
                return .invalid
            }
            if random.next() % 4 == 0 {
                let suffix =
                    random.next() % 8 == 0 ? 0 : randomPosition(&random, length: length) / 8
                return .suffix(suffix)
            }
            let first = randomPosition(&random, length: length)
            if random.next() % 3 == 0 {
                return .int(first: first, last: nil)
            }
            let span =
                random.next() % 8 == 0
                ? random.next() : random.next() % (UInt64(length) / 16 + 100)
            let (last, overflow) = first.addingReportingOverflow(span)
            return .int(first: first, last: overflow ? UInt64.max : last)
        }
    }

    /// What behaviour §5.3–§5.4 says the answer is, computed the slow obvious way; for 206 answers
    /// only the satisfiable intervals are returned, and the shape is checked separately.
    enum Expectation {
        case whole
        case unsatisfiable
        case partial([(start: Int64, end: Int64)])
    }

    static func model(_ specs: [Requested], length: Int64, maxRanges: Int) -> Expectation {
        let hasInvalid = specs.contains {
            if case .invalid = $0 { true } else { false }
        }
        if specs.count > maxRanges || maxRanges == 0 || hasInvalid {
            return .whole
        }
        if length == 0 {
            let nonEmptySuffix = specs.contains {
                if case .suffix(let suffix) = $0 { suffix > 0 } else { false }
            }
            return nonEmptySuffix ? .whole : .unsatisfiable
        }
        let intervals = specs.compactMap { $0.interval(length: length) }
        if intervals.isEmpty {
            return .unsatisfiable
        }
        var total: UInt64 = 0
        for interval in intervals {
            total += UInt64(interval.end - interval.start)
            if total > UInt64(length) {
                return .whole
            }
        }
        return .partial(intervals)
    }

    @Test(
        "resolve agrees with the model; parts are sorted, disjoint, inside, and cover",
        arguments: 0..<8)
    func resolutionProperties(_ batch: Int) {
        var seen: [String: Int] = [:]
        for iteration in 0..<500 {
            let seed = UInt64(batch * 1_000_000 + iteration)
            var random = SplitMix64(state: seed)
            let length = Self.randomLength(&random)
            let specs = Self.randomSpecs(&random, length: length)
            let maxRanges = Int(random.next() % 22)
            let value = "bytes=" + specs.map(\.text).joined(separator: ", ")
            let resolution = ByteSpans.with(value) {
                ByteRangeRequest.resolve($0, length: length, maxRanges: maxRanges)
            }
            let context = Comment(rawValue: "seed \(seed): \(value) / \(length) max \(maxRanges)")
            seen[Self.kind(of: resolution), default: 0] += 1
            switch Self.model(specs, length: length, maxRanges: maxRanges) {
            case .whole:
                #expect(resolution == .whole, context)
            case .unsatisfiable:
                #expect(resolution == .unsatisfiable, context)
            case .partial(let intervals):
                let parts: [ByteSpan]
                switch resolution {
                case .single(let offset, let partLength):
                    parts = [ByteSpan(offset: offset, length: partLength)]
                case .multiple(let spans):
                    #expect(spans.count > 1, context)
                    parts = spans
                default:
                    Issue.record("expected a 206 resolution, got \(resolution); \(context)")
                    continue
                }
                Self.checkParts(parts, cover: intervals, length: length, context)
            }
        }
        // The generator must keep reaching every outcome, or the properties prove little.
        for kind in ["whole", "single", "multiple", "unsatisfiable"] {
            #expect(seen[kind, default: 0] >= 20, "only \(seen[kind, default: 0]) \(kind)")
        }
    }

    static func kind(of resolution: RangeResolution) -> String {
        switch resolution {
        case .whole: "whole"
        case .single: "single"
        case .multiple: "multiple"
        case .unsatisfiable: "unsatisfiable"
        }
    }

    /// behaviour §5.4: sorted, disjoint, separated by more than the coalescing gap, non-empty,
    /// inside the representation; every requested satisfiable byte lies in a part; every part
    /// starts and ends where some requested interval does (nothing invented).
    static func checkParts(
        _ parts: [ByteSpan], cover intervals: [(start: Int64, end: Int64)], length: Int64,
        _ context: Comment
    ) {
        for part in parts {
            #expect(part.length > 0 && part.offset >= 0 && part.end <= length, context)
        }
        for (earlier, later) in zip(parts, parts.dropFirst()) {
            #expect(later.offset - earlier.end > ByteRangeRequest.coalescingGap, context)
        }
        for interval in intervals {
            let covered = parts.contains { $0.offset <= interval.start && interval.end <= $0.end }
            #expect(covered, "\(interval) not covered; \(context)")
        }
        for part in parts {
            #expect(intervals.contains { $0.start == part.offset }, context)
            #expect(intervals.contains { $0.end == part.end }, context)
        }
    }

    @Test(
        "multipart plans are exact: length, order, and the bytes at each offset", arguments: 0..<4)
    func multipartProperties(_ batch: Int) throws {
        var planned = 0
        for iteration in 0..<250 {
            let seed = UInt64(0xC0FFEE + batch * 1_000_000 + iteration)
            var random = SplitMix64(state: seed)
            let length = Int64(random.next() % 4000) + 1
            let representation = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let specs = Self.randomSpecs(&random, length: length)
            let value = "bytes=" + specs.map(\.text).joined(separator: ",")
            let resolution = ByteSpans.with(value) {
                ByteRangeRequest.resolve($0, length: length, maxRanges: 32)
            }
            let spans: [ByteSpan]
            switch resolution {
            case .multiple(let multiple): spans = multiple
            case .single(let offset, let partLength):
                spans = [ByteSpan(offset: offset, length: partLength)]
            case .whole, .unsatisfiable: continue
            }
            planned += 1
            let boundary = MultipartPlan.boundary(seed: random.next())
            let contentType = Array("application/x-test-\(random.next() % 100)".utf8)
            let plan = MultipartPlan.make(
                spans: spans, representationLength: length, contentType: contentType,
                boundary: boundary)
            let context = Comment(rawValue: "seed \(seed): \(value) / \(length)")

            #expect(plan.contentLength == plan.items.reduce(0) { $0 + $1.count }, context)
            let fileSpans = plan.items.compactMap { item -> ByteSpan? in
                if case .file(let span) = item { span } else { nil }
            }
            #expect(fileSpans == spans, context)

            var body: [UInt8] = []
            for item in plan.items {
                switch item {
                case .bytes(let bytes): body += bytes
                case .file(let span):
                    body += representation[Int(span.offset)..<Int(span.end)]
                }
            }
            #expect(Int64(body.count) == plan.contentLength, context)
            let parsed = try #require(
                MultipartReader.parts(of: body, boundary: boundary), context)
            #expect(parsed.count == spans.count, context)
            for (part, span) in zip(parsed, spans) {
                let expectedRange = "bytes \(span.offset)-\(span.end - 1)/\(length)"
                #expect(part.headers["content-range"] == expectedRange, context)
                #expect(
                    part.headers["content-type"] == String(decoding: contentType, as: UTF8.self),
                    context)
                #expect(
                    part.body == Array(representation[Int(span.offset)..<Int(span.end)]), context)
            }
        }
        #expect(planned >= 50, "only \(planned) plans checked")
    }
}
