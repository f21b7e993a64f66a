@testable import AssetSidecar

/// What a parse came to, in a form tests can compare.
enum Outcome: Equatable, CustomStringConvertible {
    case incomplete
    case complete(length: Int)
    case failed(ParseError)

    var description: String {
        switch self {
        case .incomplete: "incomplete"
        case .complete(let length): "complete(\(length))"
        case .failed(let error): "failed(\(error))"
        }
    }
}

/// The fields of a parsed head as text, so that expectations read like the requests.
struct Summary: Equatable {
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

extension Summary {
    init(_ head: RequestHead, in bytes: [UInt8]) {
        func text(_ span: Range<Int>) -> String {
            String(decoding: bytes[span], as: UTF8.self)
        }
        func lines(_ field: FieldLines) -> [String] {
            var result: [String] = []
            field.forEach { result.append(text($0)) }
            return result
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

/// Parses `bytes` as the server would.
func parse(_ bytes: [UInt8], limits: ParserLimits = ParserLimits()) -> ParseResult {
    bytes.withUnsafeBytes { RequestParser(limits: limits).parse($0) }
}

func outcome(_ bytes: [UInt8], limits: ParserLimits = ParserLimits()) -> Outcome {
    switch parse(bytes, limits: limits) {
    case .incomplete: .incomplete
    case .complete(let head): .complete(length: head.length)
    case .failed(let error): .failed(error)
    }
}

func outcome(_ text: String, limits: ParserLimits = ParserLimits()) -> Outcome {
    outcome(Array(text.utf8), limits: limits)
}

/// The head parsed from `bytes`, or nil when the parse did not complete.
func parsedHead(_ bytes: [UInt8]) -> RequestHead? {
    guard case .complete(let head) = parse(bytes) else { return nil }
    return head
}

/// A deterministic generator (SplitMix64), so that randomised tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
