import FuzzSupport
import HTTP1

/// libFuzzer target for `TargetPathDecoder.decode`: percent-decoding and dot-segment resolution of
/// the request path (behaviour §2.3).
///
/// Every input must decode the same into a new buffer and into a reused one that holds other
/// bytes; a failure leaves the buffer empty; a success is a relative path with no `.`, `..` or
/// empty segment, no leading `/`, no NUL or other control byte, correct `hasDotSegment` and
/// `isWellKnown` flags (which the dotfile rule of behaviour §3.2 relies on), and it decodes to
/// itself again once re-encoded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    var fresh: [UInt8] = []
    let result = FuzzCheck.withExactCopy(of: input) { TargetPathDecoder.decode($0, into: &fresh) }
    var reused = [UInt8](repeating: 0x41, count: 3 * size + 7)
    FuzzCheck.require(
        TargetPathDecoder.decode(input, into: &reused) == result && reused == fresh,
        "decode depends on the output buffer")

    switch result {
    case .failure:
        FuzzCheck.require(fresh.isEmpty, "output left after a failure")
    case .success(let path):
        DecodedPathCheck.check(fresh, path)
        let again = DecodedPathCheck.reencoded(fresh[..<path.length])
        var output: [UInt8] = []
        let second = again.withUnsafeBytes { TargetPathDecoder.decode($0, into: &output) }
        guard case .success(let secondPath) = second else {
            FuzzCheck.fail("re-encoded path fails to decode: \(second)")
        }
        FuzzCheck.require(output == fresh, "re-encoded path decodes to other bytes")
        FuzzCheck.require(
            secondPath.hasDotSegment == path.hasDotSegment
                && secondPath.isWellKnown == path.isWellKnown,
            "re-encoded path has other flags")
    }
    return 0
}

FuzzDriver.run(fuzzRequestTarget)
