import FuzzSupport
import HTTP1

/// libFuzzer target for `RequestParser.parse` (behaviour §2.3–§2.5).
///
/// Beyond not crashing and not reading outside the input (AddressSanitizer), every input must
/// satisfy:
/// - parsing is deterministic, also into a head a previous request filled (the server reuses
///   one head per connection);
/// - a complete head lies within the input, its spans within the head (`HeadInvariants`);
/// - the first `length` bytes of a complete head, alone in an allocation of exactly that size,
///   parse to the same head;
/// - a prefix of the input parses as incomplete or to the input's own result: a valid prefix of
///   a head is never an error, and an error is found at the same byte in every longer buffer;
/// - parsing under small limits gives the default limits' result, unless it hit a limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    let parser = RequestParser()
    let result = parser.parse(input)
    FuzzCheck.require(HeadComparison.same(result, parser.parse(input)), "parse not deterministic")
    FuzzCheck.require(
        HeadComparison.same(result, reparsed(input, with: parser)), "a reused head kept a field")

    if case .complete(let head) = result {
        HeadInvariants.check(head, in: input)
        let again = parse(input, prefix: head.length, with: parser)
        FuzzCheck.require(HeadComparison.same(result, again), "head changed when cut at its length")
    }

    for cut in PrefixCuts.cuts(of: input) {
        checkPrefix(parse(input, prefix: cut, with: parser), cut: cut, of: result)
    }

    let small = RequestParser(
        limits: ParserLimits(requestLine: 40, headerSection: 96, headerCount: 3))
    let limited = small.parse(input)
    if case .failed(let error) = limited, HeadComparison.isLimit(error) {
        return 0
    }
    FuzzCheck.require(HeadComparison.same(limited, result), "small limits changed the result")
    return 0
}

/// A request that sets every field the parser records, repeated list fields included.
private let everyField = Array(
    ("GET http://a:1/p?q HTTP/1.0\r\nHost: b\r\nConnection: close, keep-alive\r\n"
        + "Content-Length: 1\r\nRange: bytes=0-1\r\nIf-Match: \"x\"\r\nIf-Match: \"y\"\r\n"
        + "If-None-Match: \"x\"\r\nIf-None-Match: \"y\"\r\nAccept-Encoding: br\r\n"
        + "Accept-Encoding: gzip\r\nIf-Modified-Since: a\r\nIf-Unmodified-Since: b\r\n"
        + "If-Range: c\r\n\r\n").utf8)

/// Parses `input` into a head that `everyField` filled first.
private func reparsed(_ input: UnsafeRawBufferPointer, with parser: RequestParser) -> ParseResult {
    var head = RequestHead()
    let filled = everyField.withUnsafeBytes { parser.parse($0, into: &head) }
    FuzzCheck.require(filled == .complete, "the reuse request did not parse")
    switch parser.parse(input, into: &head) {
    case .incomplete: return .incomplete
    case .complete: return .complete(head)
    case .failed(let error): return .failed(error)
    }
}

/// Parses the first `count` bytes of `input`, copied to an allocation of exactly that size.
private func parse(
    _ input: UnsafeRawBufferPointer, prefix count: Int, with parser: RequestParser
) -> ParseResult {
    FuzzCheck.withExactCopy(of: UnsafeRawBufferPointer(rebasing: input[..<count])) {
        parser.parse($0)
    }
}

/// Checks the result of parsing the first `cut` bytes against the whole input's `result`.
private func checkPrefix(_ prefix: ParseResult, cut: Int, of result: ParseResult) {
    switch result {
    case .complete(let head) where cut >= head.length:
        FuzzCheck.require(HeadComparison.same(prefix, result), "prefix of \(cut) changed the head")
    case .incomplete, .complete:
        FuzzCheck.require(
            HeadComparison.same(prefix, .incomplete), "prefix of \(cut) not incomplete")
    case .failed:
        if !HeadComparison.same(prefix, .incomplete) {
            FuzzCheck.require(
                HeadComparison.same(prefix, result), "prefix of \(cut) failed differently")
        }
    }
}

FuzzDriver.run(fuzzRequestParser)
