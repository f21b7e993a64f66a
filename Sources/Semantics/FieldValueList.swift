import HTTP1

/// The values of all field lines that carry one list-based field name, in the order received,
/// as byte spans.
///
/// RFC 9110 §5.3: a recipient may combine several field lines of one list-based field into one
/// comma-separated list, so `If-Match`, `If-None-Match` and `Accept-Encoding` are read across
/// all their lines. The values are borrowed from the request buffer (`base`) and must stay
/// valid while this value is used. The layout matches the parser's `FieldValueList` (a first range
/// and an array of further ranges), so building one copies no bytes and, for the usual single
/// line, allocates nothing.
public struct FieldValueList {
    private let base: UnsafeRawBufferPointer
    private let first: Range<Int>
    private let more: [Range<Int>]

    /// A field that arrived on one line whose value is `line`.
    public init(_ line: UnsafeRawBufferPointer) {
        base = line
        first = 0..<line.count
        more = []
    }

    /// A field whose line values are `first` and then `more`, offsets into `base`.
    public init(base: UnsafeRawBufferPointer, first: Range<Int>, more: [Range<Int>] = []) {
        self.base = base
        self.first = first
        self.more = more
    }

    /// Calls `body` with each line's value in order until it returns `false`.
    /// Returns `false` if `body` stopped early.
    @discardableResult
    public func forEachLine(_ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard body(ASCII.slice(base, first)) else {
            return false
        }
        for range in more where !body(ASCII.slice(base, range)) {
            return false
        }
        return true
    }

    /// Calls `body` with each non-empty element of the combined list, `OWS`-trimmed, until it
    /// returns `false` (RFC 9110 §5.6.1: empty list elements are ignored).
    ///
    /// Splits at every comma, so it is only for lists whose elements cannot contain a quoted
    /// comma (such as `Accept-Encoding`); entity-tag lists are read by `EntityTagList`.
    @discardableResult
    public func forEachElement(_ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        forEachLine { line in
            var start = 0
            for index in 0...line.count where index == line.count || line[index] == 0x2C {
                let element = ASCII.trimmed(ASCII.slice(line, start..<index))
                start = index + 1
                if !element.isEmpty, !body(element) {
                    return false
                }
            }
            return true
        }
    }
}
