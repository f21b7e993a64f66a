/// A decoded, normalised path, relative to the document root, as written by
/// `TargetPathDecoder.decode`.
public struct DecodedPath: Sendable, Equatable {
    /// The bytes of the path, not counting the NUL written after them; 0 for the root.
    public var length: Int
    /// The path names a directory: the raw path ends with `/` (the root always does), or its last
    /// segment is `.` or `..` (RFC 3986 §5.2.4 turns `/a/b/..` into `/a/`).
    public var trailingSlash: Bool
    /// Some segment of the result begins with `.` (`.well-known` included).
    public var hasDotSegment: Bool
    /// The first segment of the result is `.well-known`.
    public var isWellKnown: Bool
}
