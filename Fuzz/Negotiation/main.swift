import FuzzSupport
import HTTP1
import Semantics

/// libFuzzer target for content negotiation and conditional requests with arbitrary field
/// values: `ContentCoding.choose` (behaviour §4.3), `EntityTagList`, `Preconditions.evaluate` and
/// `Preconditions.ifRangeAllowsPartial` (behaviour §5.1–§5.2), with dates read by `HTTPDate.parse`.
///
/// Input: see `NegotiationInput`; properties: `CodingCheck` and `PreconditionCheck`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNegotiation(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = NegotiationInput(FuzzCheck.input(data, size))
    CodingCheck.check(input)
    PreconditionCheck.check(input)
    return 0
}

FuzzDriver.run(fuzzNegotiation)
