@testable import HTTP1

/// Parses `bytes` as the server would.
func parseHead(_ bytes: [UInt8], limits: ParserLimits = ParserLimits()) -> ParseResult {
    bytes.withUnsafeBytes { RequestParser(limits: limits).parse($0) }
}

func headOutcome(_ bytes: [UInt8], limits: ParserLimits = ParserLimits()) -> HeadOutcome {
    switch parseHead(bytes, limits: limits) {
    case .incomplete: .incomplete
    case .complete(let head): .complete(length: head.length)
    case .failed(let error): .failed(error)
    }
}

func headOutcome(_ text: String, limits: ParserLimits = ParserLimits()) -> HeadOutcome {
    headOutcome(Array(text.utf8), limits: limits)
}

/// The head parsed from `bytes`, or nil when the parse did not complete.
func parsedHead(_ bytes: [UInt8]) -> RequestHead? {
    guard case .complete(let head) = parseHead(bytes) else { return nil }
    return head
}
