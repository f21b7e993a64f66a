/// The response status codes the server sends, with their reason phrases.
enum Status: Int, Sendable, CaseIterable {
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

    var reason: StaticString {
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

    /// The position of `status` in `allCases` (for per-status counters).
    static func index(of status: Status) -> Int {
        switch status {
        case .ok: 0
        case .partialContent: 1
        case .movedPermanently: 2
        case .notModified: 3
        case .badRequest: 4
        case .forbidden: 5
        case .notFound: 6
        case .methodNotAllowed: 7
        case .requestTimeout: 8
        case .preconditionFailed: 9
        case .contentTooLarge: 10
        case .uriTooLong: 11
        case .rangeNotSatisfiable: 12
        case .requestHeaderFieldsTooLarge: 13
        case .internalServerError: 14
        case .notImplemented: 15
        case .serviceUnavailable: 16
        case .httpVersionNotSupported: 17
        }
    }

    /// The whole status line, rendered once.
    var statusLine: [UInt8] {
        Array("HTTP/1.1 \(rawValue) ".utf8) + reason.bytes + [13, 10]
    }
}

extension StaticString {
    /// The string's UTF-8 bytes.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount))
    }
}
