import HTTP1

/// Turns a `Range` request field value into the parts of a representation to send
/// (RFC 9110 §14.1.1–§14.2, behaviour §5.2–§5.4).
///
/// `resolve` parses and plans in one pass. A value with one `range-spec` (the common case) is
/// resolved without allocating; an array is only created once a second spec appears.
public enum ByteRangeRequest {
    /// Ranges whose gap is at most this many bytes are merged into one part.
    ///
    /// RFC 9110 §15.3.7.2 lets a server coalesce ranges "separated by a gap that is smaller than
    /// the overhead of sending multiple parts" and puts that overhead at "around 80 bytes". Here
    /// a part costs a CRLF and delimiter line with the 32-character boundary, a `Content-Range`
    /// line and the blank line (about 70 bytes), plus the `Content-Type` line (typically 30-50
    /// more): merging a gap of 80 bytes or less therefore sends about as many bytes as not
    /// merging, in fewer parts.
    public static let coalescingGap: Int64 = 80

    /// Resolves the `Range` field value `value` against a representation of `length` bytes,
    /// allowing at most `maxRanges` specs (behaviour §5.4 `--max-ranges`).
    ///
    /// - A unit other than `bytes`, or any syntax error anywhere in the value, ignores the
    ///   field: `.whole` (RFC 9110 §14.2: a server MAY ignore an invalid ranges-specifier;
    ///   behaviour §5.2).
    /// - More than `maxRanges` specs: `.whole` (RFC 9110 §14.2 permits ignoring "a set of many
    ///   small ranges"; behaviour §5.4).
    /// - Unsatisfiable specs are dropped; if none is left: `.unsatisfiable` (RFC 9110 §14.1.1,
    ///   §15.5.17).
    /// - If the satisfiable ranges, clamped but before coalescing, add up to more bytes than
    ///   the representation has: `.whole` (behaviour §5.4: no amplification; after coalescing the
    ///   total can never exceed the length, so the check is made on what was asked for; it also
    ///   catches the overlapping ranges that RFC 9110 §14.2 and §17.15 warn about).
    /// - Otherwise the spans are sorted and coalesced (`coalescingGap`): one left is
    ///   `.single` (a plain 206: RFC 9110 §15.3.7.2 forbids multipart for a single range and
    ///   behaviour §5.4 wants a plain 206 when one is left), more are `.multiple`. Sorting departs
    ///   from the SHOULD in RFC 9110 §15.3.7.2 (keep request order) as behaviour §5.4 prescribes;
    ///   the same clause allows coalescing "regardless of the order".
    /// - Zero-length representation: RFC 9110 §14.1.2 says only a non-zero `suffix-range` is
    ///   satisfiable there, yet there is no byte it could select and `Content-Range` cannot
    ///   express an empty range. So a value with such a suffix is ignored (`.whole`, an empty
    ///   200, as §14.2 permits for a representation without content) and any other value is
    ///   `.unsatisfiable` (416 `bytes */0`; nginx 1.22 answers 200 with the empty body).
    public static func resolve(_ value: UnsafeRawBufferPointer, length: Int64, maxRanges: Int)
        -> RangeResolution
    {
        precondition(length >= 0, "negative representation length")
        guard maxRanges > 0, var scanner = RangeSetScanner(value), let first = scanner.next()
        else {
            return .whole
        }
        guard let second = scanner.next() else {
            return scanner.isValid ? resolveOne(first, length: length) : .whole
        }
        return resolveSeveral(
            first, second, rest: &scanner, length: length, maxRanges: maxRanges)
    }

    /// The one-spec path: no allocation.
    private static func resolveOne(_ spec: RangeSpec, length: Int64) -> RangeResolution {
        if length == 0 {
            return spec.isNonEmptySuffix ? .whole : .unsatisfiable
        }
        guard let span = spec.span(in: length) else {
            return .unsatisfiable
        }
        return .single(offset: span.offset, length: span.length)
    }

    /// The path for two or more specs: collects the satisfiable spans, enforces the limits,
    /// then sorts and coalesces. Kept out of line so that `resolve` itself never allocates.
    @inline(never)
    private static func resolveSeveral(
        _ first: RangeSpec, _ second: RangeSpec, rest scanner: inout RangeSetScanner,
        length: Int64, maxRanges: Int
    ) -> RangeResolution {
        var spans: [ByteSpan] = []
        spans.reserveCapacity(min(maxRanges, 16))
        var count = 0
        var total: Int64 = 0
        var hasNonEmptySuffix = false
        var next: RangeSpec? = first
        var following: RangeSpec? = second
        while let spec = next {
            count += 1
            if count > maxRanges {
                return .whole
            }
            hasNonEmptySuffix = hasNonEmptySuffix || spec.isNonEmptySuffix
            if let span = spec.span(in: length) {
                let (sum, overflow) = total.addingReportingOverflow(span.length)
                if overflow || sum > length {
                    return .whole
                }
                total = sum
                spans.append(span)
            }
            next = following ?? scanner.next()
            following = nil
        }
        guard scanner.isValid else {
            return .whole
        }
        if length == 0 {
            return hasNonEmptySuffix ? .whole : .unsatisfiable
        }
        coalesce(&spans)
        switch spans.count {
        case 0:
            return .unsatisfiable
        case 1:
            return .single(offset: spans[0].offset, length: spans[0].length)
        default:
            return .multiple(spans)
        }
    }

    /// Sorts `spans` by offset and merges those that overlap or lie at most `coalescingGap`
    /// bytes apart (RFC 9110 §15.3.7.2, behaviour §5.4). The result is sorted and pairwise separated by
    /// more than `coalescingGap` bytes; the gap bytes become part of the merged span.
    public static func coalesce(_ spans: inout [ByteSpan]) {
        guard spans.count > 1 else {
            return
        }
        spans.sort { $0.offset < $1.offset }
        var kept = 0
        for index in 1..<spans.count {
            let span = spans[index]
            let keptEnd = spans[kept].end
            // Subtraction, not `keptEnd + gap`, so offsets near Int64.max cannot overflow.
            if span.offset <= keptEnd || span.offset - keptEnd <= coalescingGap {
                spans[kept].length = max(keptEnd, span.end) - spans[kept].offset
            } else {
                kept += 1
                spans[kept] = span
            }
        }
        spans.removeLast(spans.count - kept - 1)
    }
}
