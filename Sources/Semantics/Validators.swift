import HTTP1

/// The validators of the selected representation (RFC 9110 §8.8), as sent in its `ETag` and
/// `Last-Modified` fields.
public struct Validators: Sendable, Equatable {
    /// The complete entity-tag as sent in `ETag`: quotes included, `W/` prefix when weak.
    public var etag: [UInt8]
    /// Whether `etag` is weak. A weak-validated representation is also taken to have a weak
    /// Last-Modified (RFC 9110 §8.8.2.2), so If-Range dates never match it.
    public var isWeak: Bool
    /// The modification time in whole seconds since the Unix epoch, as in `Last-Modified`.
    public var lastModified: Int64

    public init(etag: [UInt8], isWeak: Bool, lastModified: Int64) {
        self.etag = etag
        self.isWeak = isWeak
        self.lastModified = lastModified
    }
}
