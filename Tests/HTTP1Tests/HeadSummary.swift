@testable import HTTP1

/// The fields of a parsed head as text, so that expectations read like the requests.
struct HeadSummary: Equatable {
    var method = Method.get
    var version = HTTPVersion.http11
    var path = "/"
    var query: String?
    var host: String? = "h"
    var connectionClose = false
    var connectionKeepAlive = false
    var keepAlive = true
    var contentLength: Int64?
    var transferEncoding = TransferCoding.none
    var range: String?
    var ifMatch: [String] = []
    var ifNoneMatch: [String] = []
    var acceptEncoding: [String] = []
    var ifModifiedSince: String?
    var ifUnmodifiedSince: String?
    var ifRange: String?
}

extension HeadSummary {
    init(_ head: RequestHead, in bytes: [UInt8]) {
        func text(_ span: Range<Int>) -> String {
            String(decoding: bytes[span], as: UTF8.self)
        }
        func lines(_ field: FieldLines) -> [String] {
            field.map(text)
        }
        self.init(
            method: head.method,
            version: head.version,
            path: text(head.path),
            query: head.query.map(text),
            host: head.host.map(text),
            connectionClose: head.connectionClose,
            connectionKeepAlive: head.connectionKeepAlive,
            keepAlive: head.keepAlive,
            contentLength: head.contentLength,
            transferEncoding: head.transferEncoding,
            range: head.range.map(text),
            ifMatch: lines(head.ifMatch),
            ifNoneMatch: lines(head.ifNoneMatch),
            acceptEncoding: lines(head.acceptEncoding),
            ifModifiedSince: head.ifModifiedSince.map(text),
            ifUnmodifiedSince: head.ifUnmodifiedSince.map(text),
            ifRange: head.ifRange.map(text))
    }
}
