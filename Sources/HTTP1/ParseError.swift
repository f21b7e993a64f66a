/// Why a request head was rejected. Every error is answered with its `status` and the
/// connection is closed afterwards, since the framing of what follows cannot be trusted.
public enum ParseError: Error, Sendable, Equatable {
    /// The head breaks a syntax or semantic rule of RFC 9112 (400).
    case malformed(MalformedReason)
    /// The request line is longer than `ParserLimits.requestLine` (414).
    case requestLineTooLong
    /// The header section is longer than `ParserLimits.headerSection` (431).
    case headerSectionTooLarge
    /// The head has more than `ParserLimits.headerCount` field lines (431).
    case tooManyFields
    /// The request line names an HTTP version other than 1.x (505).
    case unsupportedVersion
    /// `Transfer-Encoding` ends in `chunked` but also lists a coding this server does not
    /// implement, such as `gzip, chunked` (501, RFC 9112 §6.1).
    case unsupportedTransferCoding

    /// The response status code for this error.
    public var status: Int {
        switch self {
        case .malformed: 400
        case .requestLineTooLong: 414
        case .headerSectionTooLarge, .tooManyFields: 431
        case .unsupportedVersion: 505
        case .unsupportedTransferCoding: 501
        }
    }
}
