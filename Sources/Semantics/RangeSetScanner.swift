import HTTP1

/// Reads a `Range` field value (RFC 9110 §14.2) one `range-spec` at a time, in place.
///
/// Grammar (RFC 9110 §14.1.1, list rules of §5.6.1):
/// `ranges-specifier = range-unit "=" range-set`, `range-set = 1#range-spec`,
/// `range-spec = int-range / suffix-range`. The unit `bytes` matches case-insensitively
/// (§14.1: range units are case-insensitive). `OWS` around list elements and empty elements
/// are tolerated; whitespace inside a spec or around `=` is not. Digits are read without
/// allocating; values beyond `Int64.max` saturate (see `RangeSpec`), and the one comparison
/// that saturation would blur (`last-pos < first-pos` with both beyond `Int64.max`) is made on
/// the digit strings.
public struct RangeSetScanner {
    private let bytes: UnsafeRawBufferPointer
    private var index: Int
    /// Whether a spec was returned before.
    private var sawSpec = false
    /// False once a syntax error was found; `next()` then keeps returning nil.
    public private(set) var isValid = true

    /// Starts reading `value`, or returns nil when its unit is not `bytes` or it lacks the `=`
    /// (RFC 9110 §14.2: a server ignores a range unit it does not understand).
    public init?(_ value: UnsafeRawBufferPointer) {
        let trimmed = ASCII.trimmed(value)
        guard trimmed.count >= 6, trimmed[5] == 0x3D,
            ASCII.equalsIgnoringCase(ASCII.slice(trimmed, 0..<5), "bytes")
        else {
            return nil
        }
        bytes = trimmed
        index = 6
    }

    /// The next `range-spec`, or nil at the end of the list or at a syntax error (then
    /// `isValid` is false). An empty `range-set` is a syntax error: `1#` needs one element.
    public mutating func next() -> RangeSpec? {
        guard isValid else {
            return nil
        }
        while index < bytes.count, bytes[index] == 0x2C || ASCII.isWhitespace(bytes[index]) {
            index += 1
        }
        guard index < bytes.count else {
            isValid = sawSpec
            return nil
        }
        guard let spec = readSpec() else {
            isValid = false
            return nil
        }
        // The element must end here: OWS, then a comma or the end of the value.
        while index < bytes.count, ASCII.isWhitespace(bytes[index]) {
            index += 1
        }
        guard index == bytes.count || bytes[index] == 0x2C else {
            isValid = false
            return nil
        }
        sawSpec = true
        return spec
    }

    /// Reads `int-range` or `suffix-range` at `index`.
    private mutating func readSpec() -> RangeSpec? {
        if bytes[index] == 0x2D {
            index += 1
            guard let suffix = readDigits() else {
                return nil
            }
            return .suffix(length: suffix.value)
        }
        guard let first = readDigits(), index < bytes.count, bytes[index] == 0x2D else {
            return nil
        }
        index += 1
        guard index < bytes.count, ASCII.isDigit(bytes[index]) else {
            return .int(first: first.value, last: nil)
        }
        guard let last = readDigits(), !isLess(last, than: first) else {
            // RFC 9110 §14.1.1: an int-range whose last-pos is less than its first-pos is
            // invalid.
            return nil
        }
        return .int(first: first.value, last: last.value)
    }

    /// A run of `1*DIGIT` at `index`: its value saturated at `Int64.max`, and where it lies.
    private typealias Digits = (value: Int64, start: Int, end: Int)

    /// Reads `1*DIGIT`, or returns nil if no digit is at `index`. The first 18 digits cannot
    /// overflow an `Int64`, so only later ones are checked, and the loop runs on locals
    /// (callgrind, W3: checking every digit and updating the stored index per byte cost 410
    /// instructions a request, this 260).
    private mutating func readDigits() -> Digits? {
        let start = index
        let end = bytes.count
        var current = start
        var value: Int64 = 0
        while current < end, current - start < 18, ASCII.isDigit(bytes[current]) {
            value = value &* 10 &+ Int64(bytes[current] &- 0x30)
            current += 1
        }
        while current < end, ASCII.isDigit(bytes[current]) {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[current] - 0x30))
            value = overflow1 || overflow2 ? Int64.max : sum
            current += 1
        }
        index = current
        return current > start ? (value, start, current) : nil
    }

    /// Whether the decimal number `lhs` is less than `rhs`, exactly, even past `Int64.max`.
    private func isLess(_ lhs: Digits, than rhs: Digits) -> Bool {
        if lhs.value != Int64.max || rhs.value != Int64.max {
            return lhs.value < rhs.value
        }
        var lhsStart = lhs.start
        var rhsStart = rhs.start
        while bytes[lhsStart] == 0x30 {
            lhsStart += 1
        }
        while bytes[rhsStart] == 0x30 {
            rhsStart += 1
        }
        let lhsCount = lhs.end - lhsStart
        let rhsCount = rhs.end - rhsStart
        if lhsCount != rhsCount {
            return lhsCount < rhsCount
        }
        for offset in 0..<lhsCount where bytes[lhsStart + offset] != bytes[rhsStart + offset] {
            return bytes[lhsStart + offset] < bytes[rhsStart + offset]
        }
        return false
    }
}
