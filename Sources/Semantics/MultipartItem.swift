import HTTP1

/// One piece of a `multipart/byteranges` body: framing bytes held in memory, or a span of the
/// representation to send from the file (zero-copy, behaviour §5.4).
public enum MultipartItem: Sendable, Equatable {
    /// Delimiter and part header bytes, or the closing delimiter.
    case bytes([UInt8])
    /// Bytes of the representation.
    case file(ByteSpan)

    /// The number of bytes this item puts on the wire.
    public var count: Int64 {
        switch self {
        case .bytes(let bytes): Int64(bytes.count)
        case .file(let span): span.length
        }
    }
}
