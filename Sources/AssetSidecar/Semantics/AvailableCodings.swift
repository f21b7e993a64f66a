/// The precompressed variants that exist beside a file (SPEC §4.3: `NAME.br`, `NAME.zst`,
/// `NAME.gz`). The identity representation, the file itself, is always available.
struct AvailableCodings: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    /// `NAME.gz` exists.
    static let gzip = AvailableCodings(rawValue: 1 << 0)
    /// `NAME.br` exists.
    static let brotli = AvailableCodings(rawValue: 1 << 1)
    /// `NAME.zst` exists.
    static let zstd = AvailableCodings(rawValue: 1 << 2)
}
