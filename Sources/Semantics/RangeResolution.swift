import HTTP1

/// What a `Range` request field amounts to against one representation (behaviour §5.2–§5.4,
/// RFC 9110 §14.2, §15.3.7), decided by `ByteRangeRequest.resolve`.
public enum RangeResolution: Sendable, Equatable {
    /// Send the whole representation with 200: no `Range`, an ignored one (other unit, invalid
    /// syntax), more ranges than allowed, requested ranges adding up to more than the
    /// representation (no amplification, behaviour §5.4), or a non-zero suffix range against an empty
    /// representation (RFC 9110 §14.2 permits ignoring `Range` when there is no content).
    case whole
    /// One range, after clamping and coalescing: 206 with `Content-Range`.
    case single(offset: Int64, length: Int64)
    /// Several ranges: 206 `multipart/byteranges`; sorted by offset, disjoint, and separated by
    /// more than `ByteRangeRequest.coalescingGap` bytes.
    case multiple([ByteSpan])
    /// No requested range is satisfiable: 416 with `Content-Range: bytes */LENGTH`.
    case unsatisfiable
}
