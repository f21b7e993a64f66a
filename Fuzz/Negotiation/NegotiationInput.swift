import HTTP1
import Semantics

/// How the negotiation target reads its input: lines of `name: value`, as in a header section
/// (LF-separated; the value is what follows the colon, without surrounding SP and HTAB, as the
/// request parser passes it on). Names the target knows:
///
/// - `accept-encoding`, `if-match`, `if-none-match`: list fields, one `FieldValueList` line per
///   input line;
/// - `if-modified-since`, `if-unmodified-since`, `if-range`: the first line counts;
/// - `etag` and `last-modified` (an HTTP-date): the current representation's validators;
/// - `available`: the precompressed variants (`br`, `zstd`, `gz` anywhere in the value).
///
/// Other lines are ignored. The values are spans of the input itself, so reads past them are
/// reads past the fuzz input, which AddressSanitizer reports.
struct NegotiationInput {
    let bytes: UnsafeRawBufferPointer
    var acceptEncoding: [Range<Int>] = []
    var ifMatch: [Range<Int>] = []
    var ifNoneMatch: [Range<Int>] = []
    var ifModifiedSince: Range<Int>?
    var ifUnmodifiedSince: Range<Int>?
    var ifRange: Range<Int>?
    var etag: Range<Int>?
    var lastModified: Range<Int>?
    var available: AvailableCodings = [.gzip, .brotli, .zstd]

    /// Reads the lines of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            if let colon = bytes[start..<end].firstIndex(of: 0x3A) {
                record(name: start..<colon, value: trimmed((colon + 1)..<end))
            }
            start = end + 1
        }
    }

    /// A list field's lines as the server passes them on; nil when there are none.
    func list(_ lines: [Range<Int>]) -> FieldValueList? {
        guard let first = lines.first else { return nil }
        return FieldValueList(base: bytes, first: first, more: Array(lines.dropFirst()))
    }

    /// The bytes of `span`.
    func slice(_ span: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[span])
    }

    /// `span` without the SP and HTAB at its ends, as the request parser hands values over.
    private func trimmed(_ span: Range<Int>) -> Range<Int> {
        var span = span
        while let first = span.first, ASCII.isWhitespace(bytes[first]) {
            span = span.dropFirst()
        }
        while let last = span.last, ASCII.isWhitespace(bytes[last]) {
            span = span.dropLast()
        }
        return span
    }

    /// Notes one line's value under its name, if the name is one the target knows.
    private mutating func record(name: Range<Int>, value: Range<Int>) {
        switch String(decoding: slice(name), as: UTF8.self) {
        case "accept-encoding": acceptEncoding.append(value)
        case "if-match": ifMatch.append(value)
        case "if-none-match": ifNoneMatch.append(value)
        case "if-modified-since": ifModifiedSince = ifModifiedSince ?? value
        case "if-unmodified-since": ifUnmodifiedSince = ifUnmodifiedSince ?? value
        case "if-range": ifRange = ifRange ?? value
        case "etag": etag = value
        case "last-modified": lastModified = value
        case "available": available = Self.codings(in: slice(value))
        default: break
        }
    }

    /// The variants named anywhere in `value`.
    private static func codings(in value: UnsafeRawBufferPointer) -> AvailableCodings {
        let text = String(decoding: value, as: UTF8.self)
        var codings: AvailableCodings = []
        if text.contains("br") { codings.insert(.brotli) }
        if text.contains("zstd") { codings.insert(.zstd) }
        if text.contains("gz") { codings.insert(.gzip) }
        return codings
    }
}
