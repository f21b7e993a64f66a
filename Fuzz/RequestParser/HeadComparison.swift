import HTTP1

/// Equality of parse results, field by field: `ParseResult` and `RequestHead` are not
/// `Equatable` in the server, and the fuzz target needs to compare them.
enum HeadComparison {
    /// Whether two results are the same case with equal payloads.
    static func same(_ lhs: ParseResult, _ rhs: ParseResult) -> Bool {
        switch (lhs, rhs) {
        case (.incomplete, .incomplete): true
        case (.failed(let lhs), .failed(let rhs)): lhs == rhs
        case (.complete(let lhs), .complete(let rhs)): same(lhs, rhs)
        default: false
        }
    }

    /// Whether two heads agree in every field.
    static func same(_ lhs: RequestHead, _ rhs: RequestHead) -> Bool {
        lhs.method == rhs.method && lhs.methodName == rhs.methodName
            && lhs.version == rhs.version && lhs.path == rhs.path && lhs.query == rhs.query
            && lhs.host == rhs.host && lhs.connectionClose == rhs.connectionClose
            && lhs.connectionKeepAlive == rhs.connectionKeepAlive
            && lhs.contentLength == rhs.contentLength
            && lhs.transferEncoding == rhs.transferEncoding && lhs.range == rhs.range
            && same(lhs.ifMatch, rhs.ifMatch) && same(lhs.ifNoneMatch, rhs.ifNoneMatch)
            && same(lhs.acceptEncoding, rhs.acceptEncoding)
            && lhs.ifModifiedSince == rhs.ifModifiedSince
            && lhs.ifUnmodifiedSince == rhs.ifUnmodifiedSince && lhs.ifRange == rhs.ifRange
            && lhs.length == rhs.length
    }

    /// Whether two list fields hold the same line spans in the same order.
    static func same(_ lhs: FieldLines, _ rhs: FieldLines) -> Bool {
        lhs.first == rhs.first && lhs.more == rhs.more
    }

    /// Whether `error` is a size limit, the one kind of failure that depends on the limits.
    static func isLimit(_ error: ParseError) -> Bool {
        switch error {
        case .requestLineTooLong, .headerSectionTooLarge, .tooManyFields: true
        case .malformed, .unsupportedVersion, .unsupportedTransferCoding: false
        }
    }
}
