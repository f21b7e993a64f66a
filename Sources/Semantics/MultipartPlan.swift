import HTTP1

/// The body of a 206 `multipart/byteranges` response and its exact `Content-Length`
/// (RFC 9110 §14.6, §15.3.7.2; RFC 2046 §5.1.1).
///
/// Layout, with `B` the boundary, `T` the representation's content type, `L` its length:
///
///     --B CRLF                                    first part: no CRLF before it
///     Content-Type: T CRLF
///     Content-Range: bytes a-b/L CRLF
///     CRLF
///     <file bytes a...b>
///     CRLF --B CRLF                               every later part
///     Content-Type: T CRLF
///     Content-Range: bytes c-d/L CRLF
///     CRLF
///     <file bytes c...d>
///     CRLF --B-- CRLF                             close delimiter
///
/// RFC 2046: the CRLF before a delimiter belongs to the delimiter, not to the part before it;
/// the body may begin with `dash-boundary` directly (empty preamble, as in the example in
/// RFC 9110 §14.6); the final CRLF after the close delimiter starts an empty epilogue. The
/// `Content-Type` line is left out when `contentType` is empty (RFC 9110 §15.3.7.2 asks for it
/// only when a 200 response would have carried one); `Content-Range` is always there (MUST).
public struct MultipartPlan: Sendable, Equatable {
    /// The body in order: framing bytes before each file span, then the closing delimiter.
    public var items: [MultipartItem]
    /// The exact number of body bytes: the sum of every item's `count`.
    public var contentLength: Int64

    /// The longest representation `make` may plan for (4 EiB, reachable only by sparse files):
    /// below it the part headers can never push `contentLength` past `Int64.max`, since the
    /// spans add up to at most the representation's length.
    public static let maxRepresentationLength = Int64.max / 2

    /// Plans the body for `spans` (sorted, disjoint, non-empty, inside the representation, as
    /// `ByteRangeRequest.resolve` produces) of a representation of `representationLength`
    /// bytes (at most `maxRepresentationLength`), typed `contentType`, delimited by `boundary`
    /// (see `boundary(seed:)`).
    public static func make(
        spans: [ByteSpan], representationLength: Int64, contentType: [UInt8], boundary: [UInt8]
    ) -> MultipartPlan {
        var items: [MultipartItem] = []
        items.reserveCapacity(spans.count * 2 + 1)
        var contentLength: Int64 = 0
        for (index, span) in spans.enumerated() {
            var header: [UInt8] = []
            header.reserveCapacity(boundary.count + contentType.count + 96)
            if index > 0 {
                ASCII.append("\r\n", to: &header)
            }
            ASCII.append("--", to: &header)
            header.append(contentsOf: boundary)
            ASCII.append("\r\n", to: &header)
            if !contentType.isEmpty {
                ASCII.append("Content-Type: ", to: &header)
                header.append(contentsOf: contentType)
                ASCII.append("\r\n", to: &header)
            }
            ASCII.append("Content-Range: ", to: &header)
            span.appendContentRange(completeLength: representationLength, to: &header)
            ASCII.append("\r\n\r\n", to: &header)
            contentLength += Int64(header.count) + span.length
            items.append(.bytes(header))
            items.append(.file(span))
        }
        var close: [UInt8] = []
        ASCII.append("\r\n--", to: &close)
        close.append(contentsOf: boundary)
        ASCII.append("--\r\n", to: &close)
        contentLength += Int64(close.count)
        items.append(.bytes(close))
        return MultipartPlan(items: items, contentLength: contentLength)
    }

    /// A 32-character boundary of lower-case hexadecimal digits derived from `seed`.
    ///
    /// RFC 2046 §5.1.1: 1 to 70 `bchars`; hexadecimal digits are among them and need no
    /// quoting in the `boundary` parameter. The boundary must not occur in the parts; give a
    /// fresh random seed per response so a file cannot be crafted to contain it.
    public static func boundary(seed: UInt64) -> [UInt8] {
        var state = seed
        var boundary: [UInt8] = []
        boundary.reserveCapacity(32)
        for _ in 0..<2 {
            // SplitMix64 (Steele, Lea, Flood 2014): one step per 16 hex digits.
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            mixed ^= mixed >> 31
            for shift in stride(from: 60, through: 0, by: -4) {
                let nibble = UInt8(truncatingIfNeeded: mixed >> UInt64(shift)) & 0x0F
                boundary.append(nibble < 10 ? 0x30 + nibble : 0x57 + nibble)
            }
        }
        return boundary
    }

    /// The response's `Content-Type` value: `multipart/byteranges; boundary=B`
    /// (RFC 9110 §14.6).
    public static func contentType(boundary: [UInt8]) -> [UInt8] {
        var value: [UInt8] = []
        ASCII.append("multipart/byteranges; boundary=", to: &value)
        value.append(contentsOf: boundary)
        return value
    }
}
