/// A run of bytes in a representation: `length` bytes starting at `offset`, 64-bit throughout
/// (SPEC §3.6). Spans produced by `ByteRangeRequest` are non-empty and lie inside the
/// representation.
struct ByteSpan: Sendable, Equatable {
    /// Offset of the first byte, from the start of the representation.
    var offset: Int64
    /// Number of bytes.
    var length: Int64

    /// The offset one past the last byte.
    var end: Int64 {
        offset + length
    }

    /// Appends the `Content-Range` field value `bytes FIRST-LAST/COMPLETE` for this span
    /// (RFC 9110 §14.4: `range-unit SP incl-range "/" complete-length`, positions inclusive).
    func appendContentRange(completeLength: Int64, to output: inout [UInt8]) {
        FieldBytes.append("bytes ", to: &output)
        FieldBytes.appendDecimal(offset, to: &output)
        output.append(0x2D)
        FieldBytes.appendDecimal(offset + length - 1, to: &output)
        output.append(0x2F)
        FieldBytes.appendDecimal(completeLength, to: &output)
    }

    /// Appends the `Content-Range` value of a 416 response, `bytes */COMPLETE`
    /// (RFC 9110 §14.4 `unsatisfied-range`, §15.5.17).
    static func appendUnsatisfiedContentRange(completeLength: Int64, to output: inout [UInt8]) {
        FieldBytes.append("bytes */", to: &output)
        FieldBytes.appendDecimal(completeLength, to: &output)
    }
}
