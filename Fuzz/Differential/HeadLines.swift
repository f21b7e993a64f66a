import HTTP1

/// The lines of a head that `RequestParser` accepted, split into the parts llhttp reports.
///
/// The parser keeps only the fields the server uses; the comparison needs every field line.
/// A head the parser accepted has CRLF line ends, `method SP target SP version` and
/// `name ":" OWS value OWS` lines (it checked that), so splitting it needs no validation.
struct HeadLines {
    /// The request-target as sent.
    var target: Range<Int>
    /// The minor version digit of `HTTP/1.x`.
    var minor: UInt8
    /// Every field line in order, the value without surrounding whitespace.
    var fields: [(name: Range<Int>, value: Range<Int>)] = []

    /// Splits `input[..<head.length]`.
    init(_ head: RequestHead, in input: UnsafeRawBufferPointer) {
        let lineEnd = Self.lineEnd(in: input, from: head.methodName.upperBound)
        let targetStart = head.methodName.upperBound + 1
        let versionStart = lineEnd - 8
        target = targetStart..<versionStart - 1
        minor = input[versionStart + 7]
        var index = lineEnd + 2
        while index < head.length - 2 {
            let end = Self.lineEnd(in: input, from: index)
            var colon = index
            while input[colon] != UInt8(ascii: ":") {
                colon += 1
            }
            fields.append((index..<colon, Self.trimmed(colon + 1..<end, in: input)))
            index = end + 2
        }
    }

    /// The offset of the CR of the first CRLF at or after `start`.
    private static func lineEnd(in input: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while input[index] != UInt8(ascii: "\r") {
            index += 1
        }
        return index
    }

    /// Whether the line of `field` has an HTAB between its colon and its CR: in the whitespace
    /// around the value, or inside it.
    static func hasTab(
        _ field: (name: Range<Int>, value: Range<Int>), in input: UnsafeRawBufferPointer
    ) -> Bool {
        let end = input[field.value.upperBound...].firstIndex(of: 0x0D) ?? input.count
        return input[field.name.upperBound..<end].contains(0x09)
    }

    /// `span` without SP and HTAB at either end.
    static func trimmed(_ span: Range<Int>, in input: UnsafeRawBufferPointer) -> Range<Int> {
        let value = ASCII.trimmed(ASCII.slice(input, span))
        guard let base = input.baseAddress, let start = value.baseAddress else { return span }
        return start - base..<start - base + value.count
    }
}
