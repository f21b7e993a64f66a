import HTTP1

/// A run of bytes in a representation: `length` bytes starting at `offset`, 64-bit throughout
/// (behaviour §3.6). Spans produced by `ByteRangeRequest` are non-empty and lie inside the
/// representation.
public struct ByteSpan: Sendable, Equatable {
    /// Offset of the first byte, from the start of the representation.
    public var offset: Int64
    /// Number of bytes.
    public var length: Int64

    public init(offset: Int64, length: Int64) {
        self.offset = offset
        self.length = length
    }

    /// The offset one past the last byte.
    public var end: Int64 {
        offset + length
    }

    /// Appends the `Content-Range` field value `bytes FIRST-LAST/COMPLETE` for this span
    /// (RFC 9110 §14.4: `range-unit SP incl-range "/" complete-length`, positions inclusive).
    public func appendContentRange(completeLength: Int64, to output: inout [UInt8]) {
        ASCII.append("bytes ", to: &output)
        ASCII.appendDecimal(offset, to: &output)
        output.append(0x2D)
        ASCII.appendDecimal(offset + length - 1, to: &output)
        output.append(0x2F)
        ASCII.appendDecimal(completeLength, to: &output)
    }

    /// Appends the `Content-Range` value of a 416 response, `bytes */COMPLETE`
    /// (RFC 9110 §14.4 `unsatisfied-range`, §15.5.17).
    public static func appendUnsatisfiedContentRange(
        completeLength: Int64, to output: inout [UInt8]
    ) {
        ASCII.append("bytes */", to: &output)
        ASCII.appendDecimal(completeLength, to: &output)
    }
}
