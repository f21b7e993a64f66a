/// A small, independent reader of `multipart/byteranges` bodies (RFC 2046 §5.1.1) that the
/// tests use to check what `MultipartPlan` produces.
enum MultipartReader {
    /// One body part: lower-cased header names to values, and the content.
    struct Part {
        var headers: [String: String]
        var body: [UInt8]
    }

    /// Splits `body` at `--boundary` delimiters, or returns nil if the framing is wrong: the
    /// body must start with the first delimiter, end with the close delimiter and CRLF, and
    /// every part must have a header section ended by an empty line.
    static func parts(of body: [UInt8], boundary: [UInt8]) -> [Part]? {
        let dash = Array("--".utf8) + boundary
        let delimiter = Array("\r\n".utf8) + dash
        guard body.starts(with: dash) else {
            return nil
        }
        var parts: [Part] = []
        var index = dash.count
        while true {
            if body[index...].starts(with: Array("--\r\n".utf8)) {
                return index + 4 == body.count ? parts : nil
            }
            guard body[index...].starts(with: Array("\r\n".utf8)) else {
                return nil
            }
            index += 2
            guard let next = find(delimiter, in: body, from: index) else {
                return nil
            }
            guard let part = part(Array(body[index..<next])) else {
                return nil
            }
            parts.append(part)
            index = next + delimiter.count
        }
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count else {
            return nil
        }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Parses `Name: value` lines up to the empty line, and keeps the rest as the content.
    static func part(_ bytes: [UInt8]) -> Part? {
        guard let end = find(Array("\r\n\r\n".utf8), in: bytes, from: 0) else {
            return nil
        }
        var headers: [String: String] = [:]
        let lines = String(decoding: bytes[..<end], as: UTF8.self)
            .split(separator: "\r\n", omittingEmptySubsequences: false)
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else {
                return nil
            }
            let name = line[..<colon].lowercased()
            headers[name] = String(line[line.index(after: colon)...].drop { $0 == " " })
        }
        return Part(headers: headers, body: Array(bytes[(end + 4)...]))
    }
}
