import SystemPackage

/// One piece of an outgoing byte stream: bytes already in memory, or a byte range of an open
/// file that is sent zero-copy with `sendfile(2)`.
///
/// A file segment does not own its descriptor: whoever builds the transfer keeps the file open
/// until the transfer is finished or abandoned.
public enum Segment: Sendable, Equatable {
    /// Bytes in memory, sent with `sendmsg(2)` (consecutive ones gathered into one call).
    case bytes([UInt8])
    /// `length` bytes of `file` starting at `offset` (64-bit; independent of the file position).
    case file(FileDescriptor, offset: Int64, length: Int64)

    /// The number of bytes this segment puts on the wire.
    public var count: Int64 {
        switch self {
        case .bytes(let bytes): Int64(bytes.count)
        case .file(_, _, let length): length
        }
    }
}
