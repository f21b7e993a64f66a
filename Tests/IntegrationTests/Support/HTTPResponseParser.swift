/// A strict HTTP/1.1 response parser (RFC 9112 §4 status line, §5 field lines, §6.3 message
/// body length). Stricter than the RFC where the server under test promises more: bare CR or
/// LF, obs-fold, `Transfer-Encoding` and a missing or repeated `Content-Length` are errors.
enum HTTPResponseParser {
    /// The longest head accepted.
    static let maximumHeadLength = 65536

    /// Parses the head at the start of `bytes`: nil while it is incomplete, else the response
    /// (with an empty body) and the number of bytes the head took, final CRLF CRLF included.
    static func parseHead(_ bytes: ArraySlice<UInt8>) throws -> (HTTPResponse, Int)? {
        guard let end = headEnd(bytes) else {
            if bytes.count > maximumHeadLength {
                throw HTTPClientError.malformed("no end of head in \(maximumHeadLength) bytes")
            }
            return nil
        }
        var lines = try splitLines(bytes[bytes.startIndex..<end])
        let (version, status, reason) = try statusLine(lines.removeFirst())
        let headers = try lines.map(fieldLine)
        let response = HTTPResponse(
            version: version, status: status, reason: reason, headers: headers)
        return (response, end + 4 - bytes.startIndex)
    }

    /// The number of body bytes that follow `response`'s head, the request having been
    /// `requestMethod` (RFC 9112 §6.3; RFC 9110 §8.6 forbids Content-Length on 1xx and 204).
    static func bodyLength(of response: HTTPResponse, requestMethod: String) throws -> Int {
        if !response.headers(named: "Transfer-Encoding").isEmpty {
            throw HTTPClientError.malformed("Transfer-Encoding in a response")
        }
        let lengths = response.headers(named: "Content-Length")
        let noContent = response.status < 200 || response.status == 204
        if noContent {
            guard lengths.isEmpty else {
                throw HTTPClientError.malformed("Content-Length on a \(response.status)")
            }
            return 0
        }
        if requestMethod == "HEAD" || response.status == 304 {
            return 0
        }
        guard lengths.count == 1, let value = lengths.first else {
            throw HTTPClientError.malformed("\(lengths.count) Content-Length fields")
        }
        guard !value.isEmpty, value.count <= 18, value.allSatisfy(\.isASCIIDigit),
            let length = Int(value)
        else { throw HTTPClientError.malformed("Content-Length: \(value)") }
        return length
    }

    private static func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var index = bytes.startIndex
        while index + 4 <= bytes.endIndex {
            if bytes[index..<index + 4].elementsEqual(terminator) { return index }
            index += 1
        }
        return nil
    }

    /// Splits on CRLF; a CR or LF anywhere else is an error.
    private static func splitLines(_ head: ArraySlice<UInt8>) throws -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        var index = head.startIndex
        while index < head.endIndex {
            switch head[index] {
            case 13 where index + 1 < head.endIndex && head[index + 1] == 10:
                lines.append(head[start..<index])
                index += 2
                start = index
            case 10, 13:
                throw HTTPClientError.malformed("bare CR or LF in the head")
            default:
                index += 1
            }
        }
        lines.append(head[start..<head.endIndex])
        return lines
    }

    /// `HTTP-version SP 3DIGIT SP [reason-phrase]` (RFC 9112 §4).
    private static func statusLine(_ line: ArraySlice<UInt8>) throws -> (String, Int, String) {
        let text = String(decoding: line, as: UTF8.self)
        let bytes = Array(line)
        guard bytes.count >= 13,
            bytes[0..<5].elementsEqual("HTTP/".utf8),
            bytes[5].isASCIIDigit, bytes[6] == UInt8(ascii: "."), bytes[7].isASCIIDigit,
            bytes[8] == UInt8(ascii: " "),
            bytes[9..<12].allSatisfy(\.isASCIIDigit),
            bytes[12] == UInt8(ascii: " "),
            bytes[13...].allSatisfy(isFieldContent)
        else { throw HTTPClientError.malformed("status line \(text.debugDescription)") }
        let status = Int(String(decoding: bytes[9..<12], as: UTF8.self))!
        return (
            String(decoding: bytes[0..<8], as: UTF8.self), status,
            String(decoding: bytes[13...], as: UTF8.self)
        )
    }

    /// `field-name ":" OWS field-value OWS` (RFC 9112 §5); no obs-fold, no space before ":".
    private static func fieldLine(_ line: ArraySlice<UInt8>) throws -> (name: String, value: String)
    {
        let text = String(decoding: line, as: UTF8.self).debugDescription
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
            line[line.startIndex..<colon].allSatisfy(isTokenCharacter)
        else { throw HTTPClientError.malformed("field line \(text)") }
        var value = line[(colon + 1)...]
        while let first = value.first, isWhitespace(first) { value = value.dropFirst() }
        while let last = value.last, isWhitespace(last) { value = value.dropLast() }
        guard value.allSatisfy(isFieldContent) else {
            throw HTTPClientError.malformed("field value \(text)")
        }
        return (
            String(decoding: line[line.startIndex..<colon], as: UTF8.self),
            String(decoding: value, as: UTF8.self)
        )
    }

    /// `tchar` (RFC 9110 §5.6.2).
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        byte.isASCIIDigit || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            || "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// VCHAR, obs-text, SP and HTAB: anything but the other control characters.
    private static func isFieldContent(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7f) || byte == UInt8(ascii: "\t")
    }
}

extension UInt8 {
    /// Whether the byte is an ASCII digit.
    fileprivate var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}

extension Character {
    /// Whether the character is an ASCII digit.
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
