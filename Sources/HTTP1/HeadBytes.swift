/// The read-only side of a head scan: the buffer, `ByteClass.table`, and the grammar checks
/// that only read them. Three words, so passing it around costs nothing, unlike the scanner's
/// state.
public struct HeadBytes {
    public let base: UnsafeRawPointer
    public let count: Int
    public let classes: UnsafePointer<UInt8>

    @inline(__always)
    public subscript(_ index: Int) -> UInt8 {
        base.load(fromByteOffset: index, as: UInt8.self)
    }

    @inline(__always)
    public func isClass(_ byte: UInt8, _ bits: UInt8) -> Bool {
        classes[Int(byte)] & bits != 0
    }

    @inline(__always)
    public static func isLineEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    // MARK: - Scanning

    /// The first index at or after `index`, and before `end`, whose byte is not in `bits`.
    /// Tests four bytes per branch while they last.
    @inline(__always)
    public func skip(_ bits: UInt8, from index: Int, to end: Int) -> Int {
        var index = index
        while end - index >= 4 {
            let all =
                classes[Int(self[index])] & classes[Int(self[index + 1])]
                & classes[Int(self[index + 2])] & classes[Int(self[index + 3])]
            guard all & bits != 0 else { break }
            index += 4
        }
        while index < end, isClass(self[index], bits) {
            index += 1
        }
        return index
    }

    /// `skip(ByteClass.fieldValue, from:to:)`, eight bytes at a time: a field value ends at
    /// the first control byte or DEL that is not HTAB, and each word is searched for those with
    /// carry arithmetic on all its bytes at once.
    @inline(__always)
    public func skipFieldValue(from index: Int, to end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var index = index
        while end - index >= 8 {
            let word = UInt64(
                littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            // The high bit of each byte below 0x20, and of each byte equal to 0x7F. Borrows can
            // mark bytes above a marked one, never below, so the lowest mark is exact.
            let control = (word &- ones &* 0x20) & ~word & highBits
            let delete = word ^ (ones &* 0x7F)
            let marks = control | (delete &- ones) & ~delete & highBits
            guard marks != 0 else {
                index += 8
                continue
            }
            index += marks.trailingZeroBitCount >> 3
            guard self[index] == UInt8(ascii: "\t") else { return index }
            index += 1
        }
        return skip(ByteClass.fieldValue, from: index, to: end)
    }

    /// The first index at or after `index`, and before `end`, that is not SP or HTAB.
    @inline(__always)
    public func skipWhitespace(from index: Int, to end: Int) -> Int {
        var index = index
        while index < end, ASCII.isWhitespace(self[index]) {
            index += 1
        }
        return index
    }

    /// `span` without the SP and HTAB at its end.
    @inline(__always)
    public func trimmingTrailingWhitespace(_ span: Range<Int>) -> Range<Int> {
        var end = span.upperBound
        while end > span.lowerBound, ASCII.isWhitespace(self[end - 1]) {
            end -= 1
        }
        return span.lowerBound..<end
    }

    // MARK: - Lists

    /// Calls `body` with each non-empty element of the comma-separated list in `value`, with
    /// its surrounding whitespace trimmed (RFC 9110 §5.6.1).
    @inline(__always)
    public func forEachListElement(_ value: Range<Int>, _ body: (Range<Int>) -> Void) {
        var index = value.lowerBound
        while index < value.upperBound {
            while index < value.upperBound,
                self[index] == UInt8(ascii: ",") || ASCII.isWhitespace(self[index])
            {
                index += 1
            }
            let start = index
            while index < value.upperBound, self[index] != UInt8(ascii: ",") {
                index += 1
            }
            let element = trimmingTrailingWhitespace(start..<index)
            if !element.isEmpty {
                body(element)
            }
        }
    }

    /// Whether the bytes of `span` equal `lowercase` ignoring ASCII case.
    public func equalsIgnoringCase(_ span: Range<Int>, _ lowercase: StaticString) -> Bool {
        ASCII.equalsIgnoringCase(
            UnsafeRawBufferPointer(start: base + span.lowerBound, count: span.count), lowercase)
    }

    // MARK: - Authority

    /// The length of `http://` or `https://` (scheme case-insensitive) at `index`, or nil when
    /// the bytes there are not one of those; throws `exhausted` when `end` comes first.
    public func absoluteFormScheme(
        at index: Int, end: Int, _ exhausted: ScanStop
    ) throws(ScanStop) -> Int? {
        let scheme: StaticString = "https://"
        for offset in 0..<8 {
            guard index + offset < end else { throw exhausted }
            let byte = self[index + offset]
            if offset == 4, byte == UInt8(ascii: ":") {
                // "http:": the rest must be "//".
                for slash in 5...6 {
                    guard index + slash < end else { throw exhausted }
                    guard self[index + slash] == UInt8(ascii: "/") else { return nil }
                }
                return 7
            }
            let expected = scheme.utf8Start[offset]
            guard (offset < 5 ? byte | 0x20 : byte) == expected else { return nil }
        }
        return 8
    }

    /// Whether `span` is `uri-host [":" port]` (RFC 3986 §3.2.2–3.2.3, RFC 9110 §7.2): an
    /// IP-literal (its bytes checked, not its structure), or a reg-name or IPv4 address with
    /// valid percent-encoding, then an optional port of digits. A userinfo (`@`) is invalid.
    public func isValidAuthority(_ span: Range<Int>, requireHost: Bool, requirePort: Bool) -> Bool {
        var index = span.lowerBound
        let end = span.upperBound
        if index < end, self[index] == UInt8(ascii: "[") {
            index = skip(ByteClass.ipLiteral, from: index + 1, to: end)
            guard index < end, index > span.lowerBound + 1, self[index] == UInt8(ascii: "]")
            else { return false }
            index += 1
        } else {
            while index < end, self[index] != UInt8(ascii: ":") {
                if self[index] == UInt8(ascii: "%") {
                    guard index + 2 < end, isClass(self[index + 1], ByteClass.hexDigit),
                        isClass(self[index + 2], ByteClass.hexDigit)
                    else { return false }
                    index += 3
                } else {
                    guard isClass(self[index], ByteClass.regName) else { return false }
                    index += 1
                }
            }
            guard index > span.lowerBound || !requireHost else { return false }
        }
        guard index < end else { return !requirePort }
        guard self[index] == UInt8(ascii: ":") else { return false }
        index += 1
        while index < end {
            guard ASCII.isDigit(self[index]) else { return false }
            index += 1
        }
        return true
    }
}
