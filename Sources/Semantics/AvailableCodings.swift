import HTTP1

/// The precompressed variants that exist beside a file (behaviour §4.3: `NAME.br`, `NAME.zst`,
/// `NAME.gz`). The identity representation, the file itself, is always available.
public struct AvailableCodings: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// `NAME.gz` exists.
    public static let gzip = AvailableCodings(rawValue: 1 << 0)
    /// `NAME.br` exists.
    public static let brotli = AvailableCodings(rawValue: 1 << 1)
    /// `NAME.zst` exists.
    public static let zstd = AvailableCodings(rawValue: 1 << 2)
}
