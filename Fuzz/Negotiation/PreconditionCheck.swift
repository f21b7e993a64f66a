import FuzzSupport
import HTTP1
import Semantics

/// Properties of `Preconditions` and `EntityTagList` (behaviour §5.1–§5.2, RFC 9110 §13) for one
/// input.
enum PreconditionCheck {
    /// The server's "now" for date comparisons: 2025-11-24T16:00:00Z.
    static let now: Int64 = 1_764_000_000
    /// Last-Modified when the input names none: Sun, 06 Nov 1994 08:49:37 GMT.
    static let defaultLastModified: Int64 = 784_111_777

    /// Checks the outcome against the RFC 9110 §13.2.2 ladder (entity-tag lists read by
    /// `Preconditions`' own rules, dates compared here), strong matches against weak ones, and
    /// If-Range against the validators.
    static func check(_ input: NegotiationInput) {
        let etag = input.etag.map { Array(input.slice($0)) }
        let validators = Validators(
            etag: etag ?? Array("\"5f3a-1b2c-17d3a9e2\"".utf8),
            isWeak: etag?.starts(with: "W/".utf8) ?? false,
            lastModified: input.lastModified.flatMap(date(input)) ?? defaultLastModified)
        let ifMatch = input.list(input.ifMatch)
        let ifNoneMatch = input.list(input.ifNoneMatch)
        let ifModifiedSince = input.ifModifiedSince.flatMap(date(input))
        let ifUnmodifiedSince = input.ifUnmodifiedSince.flatMap(date(input))
        let outcome = Preconditions.evaluate(
            ifMatch: ifMatch, ifUnmodifiedSince: ifUnmodifiedSince, ifNoneMatch: ifNoneMatch,
            ifModifiedSince: ifModifiedSince, validators: validators, now: now)

        validators.etag.withUnsafeBytes { etagBytes in
            let current = EntityTag(parsing: etagBytes)
            if let current {
                checkTag(current)
            }
            var expected = PreconditionOutcome.proceed
            if let ifNoneMatch, !Preconditions.ifNoneMatchHolds(ifNoneMatch, current: current) {
                expected = .notModified
            } else if ifNoneMatch == nil, let ifModifiedSince,
                ifModifiedSince <= now, validators.lastModified <= ifModifiedSince
            {
                expected = .notModified
            }
            if let ifMatch, !Preconditions.ifMatchHolds(ifMatch, current: current) {
                expected = .preconditionFailed
            } else if ifMatch == nil, let ifUnmodifiedSince,
                validators.lastModified > ifUnmodifiedSince
            {
                expected = .preconditionFailed
            }
            FuzzCheck.require(outcome == expected, "\(outcome), the ladder says \(expected)")

            for list in [ifMatch, ifNoneMatch].compactMap({ $0 })
            where EntityTagList.matches(list, current: current, weakComparison: false) {
                FuzzCheck.require(
                    EntityTagList.matches(list, current: current, weakComparison: true),
                    "a strong match is not a weak match")
            }
            if let ifRange = input.ifRange {
                checkIfRange(input.slice(ifRange), validators: validators, current: current)
            }
        }
    }

    /// A parser for the input's HTTP-dates, with the fixed `now`.
    private static func date(_ input: NegotiationInput) -> (Range<Int>) -> Int64? {
        { HTTPDate.parse(input.slice($0), now: now) }
    }

    /// A parsed entity-tag's opaque-tag is quoted and holds no other quote.
    private static func checkTag(_ tag: EntityTag) {
        let opaque = tag.opaqueTag
        FuzzCheck.require(
            opaque.count >= 2 && opaque.first == 0x22 && opaque.last == 0x22
                && !opaque.dropFirst().dropLast().contains(0x22),
            "opaque-tag is not quoted")
    }

    /// If-Range allows a partial response exactly for a strong tag matching the current one,
    /// or, for a strong validator, a date equal to Last-Modified.
    private static func checkIfRange(
        _ value: UnsafeRawBufferPointer, validators: Validators, current: EntityTag?
    ) {
        let allows = Preconditions.ifRangeAllowsPartial(
            value: value, validators: validators, parseDate: { HTTPDate.parse($0, now: now) })
        let listed = EntityTag(parsing: value)
        let tagMatches =
            listed.flatMap { listed in
                current.map { EntityTag.strongMatch(listed, $0) }
            } ?? false
        let dateMatches =
            listed == nil && !validators.isWeak
            && HTTPDate.parse(ASCII.trimmed(value), now: now) == validators.lastModified
        FuzzCheck.require(allows == (tagMatches || dateMatches), "If-Range allows: \(allows)")
    }
}
