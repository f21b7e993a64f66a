/// The response status codes the server sends, with their reason phrases.
public enum Status: Int, Sendable, CaseIterable {
    case ok = 200
    case partialContent = 206
    case movedPermanently = 301
    case notModified = 304
    case badRequest = 400
    case forbidden = 403
    case notFound = 404
    case methodNotAllowed = 405
    case requestTimeout = 408
    case preconditionFailed = 412
    case contentTooLarge = 413
    case uriTooLong = 414
    case rangeNotSatisfiable = 416
    case requestHeaderFieldsTooLarge = 431
    case internalServerError = 500
    case notImplemented = 501
    case serviceUnavailable = 503
    case httpVersionNotSupported = 505

    public var reason: StaticString {
        switch self {
        case .ok: "OK"
        case .partialContent: "Partial Content"
        case .movedPermanently: "Moved Permanently"
        case .notModified: "Not Modified"
        case .badRequest: "Bad Request"
        case .forbidden: "Forbidden"
        case .notFound: "Not Found"
        case .methodNotAllowed: "Method Not Allowed"
        case .requestTimeout: "Request Timeout"
        case .preconditionFailed: "Precondition Failed"
        case .contentTooLarge: "Content Too Large"
        case .uriTooLong: "URI Too Long"
        case .rangeNotSatisfiable: "Range Not Satisfiable"
        case .requestHeaderFieldsTooLarge: "Request Header Fields Too Large"
        case .internalServerError: "Internal Server Error"
        case .notImplemented: "Not Implemented"
        case .serviceUnavailable: "Service Unavailable"
        case .httpVersionNotSupported: "HTTP Version Not Supported"
        }
    }

    /// The position of this status in `allCases` (for per-status counters), from a table
    /// built from `allCases` itself.
    public var ordinal: Int { Self.ordinals[rawValue] }

    private static let ordinals: [Int] = {
        var table = [Int](repeating: 0, count: 600)
        for (ordinal, status) in allCases.enumerated() { table[status.rawValue] = ordinal }
        return table
    }()

    /// The whole status line, rendered once.
    public var statusLine: [UInt8] {
        Array("HTTP/1.1 \(rawValue) ".utf8) + reason.bytes + [
            UInt8(ascii: "\r"), UInt8(ascii: "\n"),
        ]
    }
}

extension StaticString {
    /// The string's UTF-8 bytes.
    public var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount))
    }
}
