import HTTP1

/// One syntactically valid `range-spec` of the `bytes` unit (RFC 9110 §14.1.1).
///
/// Positions are saturated at `Int64.max`: a `first-pos` beyond it can never be satisfied by a
/// representation (whose length is an `Int64`), and a `last-pos` or `suffix-length` beyond it
/// clamps to the end exactly as a smaller too-large value would (behaviour §5.3).
public enum RangeSpec: Sendable, Equatable {
    /// `int-range = first-pos "-" [ last-pos ]`; `last` is nil when absent.
    case int(first: Int64, last: Int64?)
    /// `suffix-range = "-" suffix-length`: the final `length` bytes.
    case suffix(length: Int64)

    /// The bytes this spec selects from a representation of `length` bytes, or nil when it is
    /// unsatisfiable.
    ///
    /// RFC 9110 §14.1.1: an `int-range` is satisfiable when `first-pos` is less than the
    /// current length, and a `last-pos` at or past the end means the end; a `suffix-range` is
    /// satisfiable when its length is non-zero, and a suffix longer than the representation
    /// means all of it. A zero-length representation has no bytes to select, so this returns
    /// nil for every spec there (see `ByteRangeRequest` for how that case is answered).
    public func span(in length: Int64) -> ByteSpan? {
        switch self {
        case .int(let first, let last):
            guard first < length else {
                return nil
            }
            let lastByte = min(last ?? Int64.max, length - 1)
            return ByteSpan(offset: first, length: lastByte - first + 1)
        case .suffix(let suffixLength):
            guard suffixLength > 0, length > 0 else {
                return nil
            }
            let taken = min(suffixLength, length)
            return ByteSpan(offset: length - taken, length: taken)
        }
    }

    /// Whether this is a `suffix-range` with a non-zero length, the one form RFC 9110 §14.1.2
    /// calls satisfiable against a zero-length representation.
    public var isNonEmptySuffix: Bool {
        if case .suffix(let length) = self {
            return length > 0
        }
        return false
    }
}
