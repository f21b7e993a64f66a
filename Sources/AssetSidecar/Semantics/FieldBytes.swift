/// Byte-level helpers for reading field values in place (RFC 9110 §5.5, §5.6): whitespace,
/// digits, token characters, ASCII case folding, trimming and decimal rendering.
///
/// Everything works on borrowed `UnsafeRawBufferPointer` spans and never allocates, except
/// `appendDecimal`, which grows the caller's buffer.
enum FieldBytes {
    /// `OWS = *( SP / HTAB )` (RFC 9110 §5.6.3).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    /// `DIGIT` (RFC 5234 Appendix B.1).
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }

    /// `tchar` (RFC 9110 §5.6.2): the characters of a `token`.
    static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
            return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C,
            0x7E:
            return true
        default:
            return false
        }
    }

    /// ASCII lower-casing; every other byte is returned unchanged.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// A sub-span of `bytes` without copying.
    @inline(__always)
    static func slice(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>)
        -> UnsafeRawBufferPointer
    {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// `bytes` without its leading and trailing `OWS`.
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
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
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString)
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
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else {
            return false
        }
        for index in 0..<lhs.count where lhs[index] != rhs[index] {
            return false
        }
        return true
    }

    /// Appends the decimal digits of `value` (which must not be negative) to `output`.
    static func appendDecimal(_ value: Int64, to output: inout [UInt8]) {
        precondition(value >= 0, "negative decimal")
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes > 19 digits of Int64.max
        var count = 0
        var rest = UInt64(value)
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
                rest /= 10
                count += 1
            } while rest > 0
            output.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// Appends the UTF-8 bytes of a static string literal to `output`.
    static func append(_ literal: StaticString, to output: inout [UInt8]) {
        output.append(
            contentsOf: UnsafeBufferPointer(
                start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
