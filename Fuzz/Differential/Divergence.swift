import HTTP1
import LLHTTPOracle

/// The intended differences between `RequestParser` and llhttp (strict mode), each with the
/// clause that makes it right. A disagreement of the differential target that none of these
/// explains is a finding: the target stops on it. Fuzz/README.md lists the same table.
enum Divergence: CaseIterable {
    /// We answer 414/431 past our limits (behaviour §2.5); llhttp has none.
    case sizeLimits
    /// HTTP/1.1 needs exactly one valid `Host`; llhttp does not look at it.
    case hostRules
    /// More than four empty lines before the request line, or a bare CR or LF among them;
    /// llhttp skips any run of CR and LF there.
    case leadingEmptyLines
    /// The request-target must be origin-form or `http(s)` absolute-form with RFC 3986 bytes
    /// (asterisk- and authority-form only for methods other than GET and HEAD); llhttp accepts
    /// more bytes and forms, but authority-form only after CONNECT.
    case targetForm
    /// A request line naming a major version other than 1 (505), or none (400: the
    /// HTTP/0.9 form `GET /path`); llhttp accepts `HTTP/0.9`, `HTTP/2.0` and the bare form.
    case majorVersion
    /// `Transfer-Encoding` in an HTTP/1.0 request; llhttp frames it as chunked.
    case transferEncodingInHTTP10
    /// `Transfer-Encoding` with a coding other than `chunked` (501), `chunked` twice, or no
    /// coding at all (400, also beside `Content-Length`); llhttp accepts any list that ends in
    /// `chunked`, and ignores an empty one.
    case transferCodings
    /// A `Content-Length` of more than 18 digits; llhttp accepts up to 2^64 − 1.
    case contentLengthDigits
    /// The parts of the request line are separated by one SP each; llhttp skips more SP
    /// before the version.
    case requestLineSpaces
    /// A method that llhttp does not know: every token is a method to us (answered 501).
    case unregisteredMethod
    /// `HTTP/1.x` with x ≥ 2 is served as HTTP/1.1; llhttp rejects the version.
    case higherMinorVersion
    /// A `Content-Length` list of one value repeated (`1,1`, or on several lines) stands for
    /// that value; llhttp rejects commas and repeated lines.
    case contentLengthList
    /// HTAB around a `Content-Length` value is OWS, as SP is; llhttp rejects it.
    case contentLengthWhitespace
    /// A `close` option anywhere in `Connection`, with OWS around it, ends the connection;
    /// llhttp misses it beside `keep-alive` in HTTP/1.0 and before an HTAB, and misses an
    /// HTTP/1.0 `keep-alive` before an HTAB too (found by a 30-minute run).
    case connectionClose
    /// Empty elements in a `Transfer-Encoding` list (`chunked,`, `, chunked`) are ignored;
    /// llhttp rejects the field (found by CI's 60 s run).
    case transferEncodingEmptyElements
    /// HTAB around a `Transfer-Encoding` value is OWS, as SP is; llhttp rejects it after
    /// `chunked` (found by a 30-minute run).
    case transferEncodingWhitespace

    /// The clause of RFC 9112 or RFC 9110 (or the behaviour contract) that the difference follows.
    var clause: String {
        switch self {
        case .sizeLimits: "behaviour §2.5; RFC 9112 §3 (414), RFC 6585 §5 (431)"
        case .hostRules: "RFC 9112 §3.2 (400 without Host, with two, or with an invalid one)"
        case .leadingEmptyLines:
            "RFC 9112 §2.2 (SHOULD ignore at least one empty line; bare CR is invalid)"
        case .targetForm: "RFC 9112 §3.2, RFC 3986 §3.3"
        case .majorVersion: "RFC 9112 §2.3, §3 (the request line has a version); RFC 9110 §15.6.6"
        case .transferEncodingInHTTP10: "RFC 9112 §6.1 (framing is faulty: 400 and close)"
        case .transferCodings:
            "RFC 9112 §6.1 (501: unknown coding), §6.3 (400: chunked not final), §7"
        case .contentLengthDigits: "RFC 9110 §8.6 (a recipient must anticipate overflow)"
        case .requestLineSpaces:
            "RFC 9112 §3 (request-line = method SP request-target SP HTTP-version)"
        case .unregisteredMethod: "RFC 9110 §9.1 (method = token; 501 when unrecognized)"
        case .higherMinorVersion: "RFC 9112 §2.6 (a higher minor version is served as 1.1)"
        case .contentLengthList: "RFC 9110 §8.6 (MAY treat a repeated equal value as one)"
        case .contentLengthWhitespace: "RFC 9112 §5.1 (field-line = name \":\" OWS value OWS)"
        case .connectionClose: "RFC 9112 §9.6, RFC 9110 §7.6.1, §5.6.1 (OWS in lists)"
        case .transferEncodingEmptyElements:
            "RFC 9110 §5.6.1 (a recipient MUST parse and ignore empty list elements)"
        case .transferEncodingWhitespace: "RFC 9112 §5.1 (field-line = name \":\" OWS value OWS)"
        }
    }

    /// The divergence that explains our parser rejecting, with `error`, a head that llhttp
    /// accepted (`theirs`) or had not finished (nil).
    static func ours(
        _ error: ParseError, theirs: LLHTTPHead?, in input: UnsafeRawBufferPointer
    ) -> Divergence? {
        switch error {
        case .requestLineTooLong, .headerSectionTooLarge, .tooManyFields: return .sizeLimits
        case .unsupportedVersion: return .majorVersion
        case .unsupportedTransferCoding: return .transferCodings
        case .malformed(let reason): return malformed(reason, error, theirs: theirs, in: input)
        }
    }

    /// `ours(_:theirs:in:)` for `ParseError.malformed(reason)`.
    private static func malformed(
        _ reason: MalformedReason, _ error: ParseError, theirs: LLHTTPHead?,
        in input: UnsafeRawBufferPointer
    ) -> Divergence? {
        switch reason {
        case .missingHost, .duplicateHost, .invalidHost:
            // llhttp saw as many Host lines as the reason implies (an invalid line may come
            // before a second one).
            let hosts = theirs?.fields.count {
                ASCII.equalsIgnoringCase(ASCII.slice(input, $0.name), "host")
            }
            let expected: ClosedRange<Int> =
                switch reason {
                case .missingHost: 0...0
                case .duplicateHost: 2...Int.max
                default: 1...Int.max
                }
            return hosts.map(expected.contains) == false ? nil : .hostRules
        case .leadingEmptyLines: return .leadingEmptyLines
        case .bareCR, .bareLF:
            return isBeforeRequestLine(error, in: input) ? .leadingEmptyLines : nil
        case .requestLine, .target, .version:
            if theirs?.major == 0 {
                return .majorVersion
            }
            if hasDoubleSpace(inRequestLineOf: input) {
                return .requestLineSpaces
            }
            return reason == .target ? .targetForm : nil
        case .transferEncodingInHTTP10:
            // llhttp saw an HTTP/1.0 head with a Transfer-Encoding line (an empty one does not
            // set its flag).
            let seen = theirs.map { head in
                head.minor == 0
                    && head.fields.contains {
                        ASCII.equalsIgnoringCase(ASCII.slice(input, $0.name), "transfer-encoding")
                    }
            }
            return seen == false ? nil : .transferEncodingInHTTP10
        case .chunkedRepeated: return .transferCodings
        case .contentLengthWithTransferEncoding:
            // llhttp ignores a `Transfer-Encoding` line with an empty value, so it frames by the
            // length alone; we refuse any such line beside `Content-Length` (found by CI's 60 s
            // run).
            let empty = theirs?.fields.allSatisfy { field in
                !ASCII.equalsIgnoringCase(ASCII.slice(input, field.name), "transfer-encoding")
                    || HeadLines.trimmed(field.value, in: input).isEmpty
            }
            return empty == true ? .transferCodings : nil
        case .chunkedNotFinal: return theirs?.chunked == true ? nil : .transferCodings
        case .invalidContentLength:
            let long = theirs?.fields.contains {
                ASCII.equalsIgnoringCase(ASCII.slice(input, $0.name), "content-length")
                    && HeadLines.trimmed($0.value, in: input).count > 18
            }
            return long == true ? .contentLengthDigits : nil
        default: return nil
        }
    }

    /// Whether the first line that is not empty has two SP in a row.
    private static func hasDoubleSpace(inRequestLineOf input: UnsafeRawBufferPointer) -> Bool {
        var previous: UInt8 = 0
        var started = false
        for byte in input {
            if byte == 13 || byte == 10 {
                guard !started else { return false }
                continue
            }
            started = true
            if byte == 0x20, previous == 0x20 {
                return true
            }
            previous = byte
        }
        return false
    }

    /// Whether `error` lies in the line ends before the request line: the input without them
    /// does not fail the same way.
    private static func isBeforeRequestLine(
        _ error: ParseError, in input: UnsafeRawBufferPointer
    ) -> Bool {
        guard let start = input.firstIndex(where: { $0 != 13 && $0 != 10 }) else {
            return true
        }
        guard start > 0 else { return false }
        let rest = UnsafeRawBufferPointer(rebasing: input[start...])
        if case .failed(let again) = RequestParser().parse(rest), again == error {
            return false
        }
        return true
    }

    /// The divergence that explains llhttp's `rejection` of a head our parser accepted.
    static func theirs(
        _ rejection: LLHTTPRejection, ours head: RequestHead, lines: HeadLines,
        in input: UnsafeRawBufferPointer
    ) -> Divergence? {
        switch rejection.errno {
        case 6 where head.method == .unknown:  // HPE_INVALID_METHOD
            return .unregisteredMethod
        case 7 where head.path.isEmpty:  // HPE_INVALID_URL, for an authority-form target
            // `host:port` (the port may be empty, RFC 3986 §3.2.3): llhttp reads it only after
            // CONNECT, as a scheme otherwise (found by a 15-minute run).
            return .targetForm
        case 9 where lines.minor >= UInt8(ascii: "2"):  // HPE_INVALID_VERSION
            return .higherMinorVersion
        case 4, 11:  // HPE_UNEXPECTED_CONTENT_LENGTH, HPE_INVALID_CONTENT_LENGTH
            let lengths = lines.fields.filter {
                ASCII.equalsIgnoringCase(ASCII.slice(input, $0.name), "content-length")
            }
            guard head.contentLength != nil else { return nil }
            if lengths.count > 1 || lengths.contains(where: { input[$0.value].contains(0x2C) }) {
                return .contentLengthList
            }
            let tabbed = lengths.contains { HeadLines.hasTab($0, in: input) }
            return rejection.errno == 11 && tabbed ? .contentLengthWhitespace : nil
        case 15 where head.transferEncoding != .none:  // HPE_INVALID_TRANSFER_ENCODING
            let codings = lines.fields.filter {
                ASCII.equalsIgnoringCase(ASCII.slice(input, $0.name), "transfer-encoding")
            }
            let hasEmptyElement = codings.contains { field in
                input[field.value].split(separator: 0x2C, omittingEmptySubsequences: false)
                    .contains { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
            }
            if hasEmptyElement {
                return .transferEncodingEmptyElements
            }
            let tabbed = codings.contains { HeadLines.hasTab($0, in: input) }
            return tabbed ? .transferEncodingWhitespace : nil
        default:
            return nil
        }
    }
}
