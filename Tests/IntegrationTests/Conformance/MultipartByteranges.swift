/// A `multipart/byteranges` body (RFC 9110 §14.6) split into its parts by the grammar of
/// RFC 2046 §5.1.1: an optional preamble, `--BOUNDARY` then CRLF before each part, each
/// delimiter after the first preceded by CRLF (which belongs to the delimiter), the close
/// delimiter `--BOUNDARY--`, then an epilogue. Each part is header lines, an empty line and
/// the content.
struct MultipartByteranges {
    /// One body part.
    struct Part {
        /// The part's header fields, names as sent.
        var headers: [(name: String, value: String)]
        /// The part's content.
        var content: [UInt8]

        /// The values of every field called `name` (case-insensitive).
        func headers(named name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }
    }

    /// A body that does not follow the grammar.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    var parts: [Part]
    /// The bytes before the first delimiter and after the close delimiter.
    var preamble: [UInt8]
    var epilogue: [UInt8]

    /// The `boundary` parameter of a `multipart/byteranges; boundary=…` Content-Type value.
    static func boundary(fromContentType value: String) -> String? {
        let prefix = "multipart/byteranges; boundary="
        guard value.hasPrefix(prefix) else { return nil }
        var boundary = String(value.dropFirst(prefix.count))
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 {
            boundary = String(boundary.dropFirst().dropLast())
        }
        return boundary.isEmpty ? nil : boundary
    }

    /// Splits `body` at `boundary`'s delimiters.
    init(_ body: [UInt8], boundary: String) throws {
        let dashBoundary = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        // The first delimiter: at the very start, or after a preamble ending in CRLF.
        var index: Int
        if body.starts(with: dashBoundary) {
            index = 0
        } else if let found = Self.find(crlf + dashBoundary, in: body, from: 0) {
            index = found + 2
        } else {
            throw Malformed(description: "no delimiter --\(boundary)")
        }
        preamble = Array(body[..<index])
        parts = []
        while true {
            index += dashBoundary.count
            if body[index...].starts(with: [45, 45]) {
                epilogue = Array(body[(index + 2)...])
                return
            }
            guard body[index...].starts(with: crlf) else {
                throw Malformed(description: "no CRLF after a delimiter at \(index)")
            }
            index += 2
            guard let next = Self.find(crlf + dashBoundary, in: body, from: index) else {
                throw Malformed(description: "no delimiter after the part at \(index)")
            }
            parts.append(try Self.part(body[index..<next]))
            index = next + 2
        }
    }

    /// A part: header lines up to an empty line, then the content.
    private static func part(_ bytes: ArraySlice<UInt8>) throws -> Part {
        var headers: [(name: String, value: String)] = []
        var index = bytes.startIndex
        while true {
            guard let end = find([13, 10], in: bytes, from: index) else {
                throw Malformed(description: "a part's header section does not end")
            }
            if end == index {
                return Part(headers: headers, content: Array(bytes[(end + 2)...]))
            }
            let line = String(decoding: bytes[index..<end], as: UTF8.self)
            guard let colon = line.firstIndex(of: ":") else {
                throw Malformed(description: "part header line \(line.debugDescription)")
            }
            headers.append(
                (
                    String(line[..<colon]),
                    line[line.index(after: colon)...].trimmed(of: " \t")
                ))
            index = end + 2
        }
    }

    /// The first index at or after `start` where `needle` occurs in `haystack`.
    private static func find<C: RandomAccessCollection<UInt8>>(
        _ needle: [UInt8], in haystack: C, from start: C.Index
    ) -> C.Index? where C.Index == Int {
        guard !needle.isEmpty, haystack.endIndex - start >= needle.count else { return nil }
        var index = start
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0]
                && haystack[index..<(index + needle.count)].elementsEqual(needle)
            {
                return index
            }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// The string without leading and trailing characters from `set`.
    fileprivate func trimmed(of set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
