/// The one ASCII byte toolkit of the request path (RFC 9110 §5.5, §5.6): whitespace, digits,
/// token characters, case folding, trimming, comparison and decimal/hex rendering. Byte
/// literals are written `UInt8(ascii:)` throughout the package.
///
/// Everything works on borrowed `UnsafeRawBufferPointer` spans and never allocates, except the
/// `append` functions, which grow the caller's buffer.
public enum ASCII {
    /// `OWS = *( SP / HTAB )` (RFC 9110 §5.6.3).
    @inlinable @inline(__always)
    public static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// `DIGIT` (RFC 5234 Appendix B.1).
    @inlinable @inline(__always)
    public static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// `tchar` (RFC 9110 §5.6.2): the characters of a `token`.
    @inlinable @inline(__always)
    public static func isTokenChar(_ byte: UInt8) -> Bool {
        ByteClass.table[Int(byte)] & ByteClass.token != 0
    }

    /// ASCII lower-casing; every other byte is returned unchanged.
    @inlinable @inline(__always)
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// A sub-span of `bytes` without copying.
    @inlinable @inline(__always)
    public static func slice(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>)
        -> UnsafeRawBufferPointer
    {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// `bytes` without its leading and trailing `OWS`.
    public static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, isWhitespace(bytes[start]) {
            start += 1
        }
        while end > start, isWhitespace(bytes[end - 1]) {
            end -= 1
        }
        return slice(bytes, start..<end)
    }

    /// Whether `bytes` equals `lowercase` ignoring ASCII case; `lowercase` must be lower-case.
    public static func equalsIgnoringCase(
        _ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString
    )
        -> Bool
    {
        guard bytes.count == lowercase.utf8CodeUnitCount else {
            return false
        }
        let literal = lowercase.utf8Start
        for index in 0..<bytes.count where lowercased(bytes[index]) != literal[index] {
            return false
        }
        return true
    }

    /// Whether two spans hold the same bytes.
    public static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else {
            return false
        }
        for index in 0..<lhs.count where lhs[index] != rhs[index] {
            return false
        }
        return true
    }

    /// Appends the decimal digits of `value` to `output` (a negative value is written as 0).
    ///
    /// Two digits per step from a table, into a stack buffer appended as a typed buffer
    /// (callgrind, W3, four numbers a response: a digit per step and appending the raw buffer's
    /// slice element by element cost 860 instructions a request, this 700).
    public static func appendDecimal(_ value: Int64, to output: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes > 19 digits of Int64.max
        var start = 24
        var rest = UInt64(max(value, 0))
        let pairs = UnsafeRawPointer(digitPairs.utf8Start)
        withUnsafeMutableBytes(of: &digits) { buffer in
            let bytes = buffer.bindMemory(to: UInt8.self)
            while rest >= 10 {
                let pair = Int(rest % 100)
                rest /= 100
                start -= 2
                bytes[start] = pairs.load(fromByteOffset: 2 * pair, as: UInt8.self)
                bytes[start + 1] = pairs.load(fromByteOffset: 2 * pair + 1, as: UInt8.self)
            }
            if rest > 0 || start == 24 {
                start -= 1
                bytes[start] = UInt8(truncatingIfNeeded: rest) + UInt8(ascii: "0")
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// "00" through "99", for ``appendDecimal(_:to:)``.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// Appends the UTF-8 bytes of a static string literal to `output`.
    public static func append(_ literal: StaticString, to output: inout [UInt8]) {
        output.append(
            contentsOf: UnsafeBufferPointer(
                start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends `value` in lowercase hexadecimal, without leading zeros.
    public static func appendHex(_ value: UInt64, to output: inout [UInt8]) {
        let alphabet: StaticString = "0123456789abcdef"
        var shift = 60
        while shift > 0 && (value >> UInt64(shift)) == 0 { shift -= 4 }
        while shift >= 0 {
            output.append(alphabet.utf8Start[Int((value >> UInt64(shift)) & 0xf)])
            shift -= 4
        }
    }
}
