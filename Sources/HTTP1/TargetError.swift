/// Why a request path cannot be mapped to a file (behaviour §2.3); each is answered with 400.
public enum TargetError: Error, Sendable, Equatable {
    /// A `%` not followed by two hex digits.
    case malformedEncoding
    /// `%00`.
    case encodedNul
    /// `%2F` or `%2f`: a slash inside a segment would change which directory is meant.
    case encodedSlash
    /// A byte below 0x20, or 0x7F, after decoding.
    case controlByte
    /// More `..` segments than there are segments to climb out of.
    case climbsAboveRoot
}
