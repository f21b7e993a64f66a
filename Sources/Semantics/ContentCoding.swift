import HTTP1

/// A content coding in which a representation can be served (RFC 9110 §8.4.1): the file
/// itself (`identity`) or one of its precompressed variants (behaviour §4.3).
public enum ContentCoding: Int, Sendable, Equatable, CaseIterable {
    case identity
    case gzip
    case brotli
    case zstd

    /// What each coding is, in case order: the one table the rest of the server reads.
    private static let table: [(token: StaticString, suffix: StaticString, bit: AvailableCodings)] =
        [
            ("identity", "", []),
            ("gzip", ".gz", .gzip),
            ("br", ".br", .brotli),
            ("zstd", ".zst", .zstd),
        ]

    /// The `Content-Encoding` token (RFC 9110 §8.4.1; "br" is RFC 7932, "zstd" RFC 8878).
    /// Not sent for `identity`.
    public var token: StaticString { Self.table[rawValue].token }

    /// The suffix of the variant's file name beside the original (behaviour §4.3); empty for
    /// `identity`.
    public var fileSuffix: StaticString { Self.table[rawValue].suffix }

    /// This coding's member of ``AvailableCodings`` (empty for identity, always available).
    public var available: AvailableCodings { Self.table[rawValue].bit }

    /// Picks the representation to send from `available` for the request's Accept-Encoding
    /// field lines (RFC 9110 §12.5.3, behaviour §4.3), or nil when the field refuses every one of
    /// them, identity included.
    ///
    /// - No Accept-Encoding field: `.identity`. §12.5.3 would allow any coding, but a client
    ///   that says nothing gets the plain file (as nginx's gzip_static does).
    /// - An empty field value: `.identity` (§12.5.3: no content coding is wanted).
    /// - Coding names are case-insensitive; `x-gzip` is `gzip` (§8.4.1.3). Elements with an
    ///   invalid qvalue, any parameter other than one `q`, or a malformed name are ignored.
    /// - `q=0` refuses a coding. `*` gives its weight to every coding the field does not name,
    ///   identity included. If a coding is named more than once the lowest weight counts.
    /// - Identity is acceptable unless refused by `identity;q=0`, or by `*;q=0` without an
    ///   `identity` entry. When the field neither names identity nor has `*`, identity ranks
    ///   below every acceptable coding (weight 0.001 with the lowest preference).
    /// - Highest weight wins; among equal weights the preference is br, zstd, gzip, identity
    ///   (smallest first).
    /// - nil: nothing is acceptable. §12.5.3 then lets the server send identity anyway;
    ///   behaviour §4.3 prefers that to 406, so the caller should serve the identity file.
    public static func choose(acceptEncoding: FieldValueList?, available: AvailableCodings)
        -> ContentCoding?
    {
        guard let acceptEncoding else {
            return .identity
        }
        var weights = CodingWeights()
        acceptEncoding.forEachElement { element in
            weights.record(element)
            return true
        }
        var best: ContentCoding?
        var bestWeight = 0
        for coding in preferenceOrder where coding.isIn(available) {
            let weight = weights.effectiveWeight(of: coding)
            if weight > bestWeight {
                best = coding
                bestWeight = weight
            }
        }
        return best
    }

    /// The order that breaks ties between equal weights: smallest transfer first (brotli and
    /// zstd usually beat gzip on static text), and the plain file last.
    public static let preferenceOrder: [ContentCoding] = [.brotli, .zstd, .gzip, .identity]

    /// Whether this coding's variant is in `available`; identity always is.
    public func isIn(_ available: AvailableCodings) -> Bool {
        available.contains(self.available)
    }
}
