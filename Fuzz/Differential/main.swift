import FuzzSupport

/// libFuzzer target comparing `RequestParser` with an independent parser, llhttp (issue 12,
/// part 4): on every input both must agree on accept or reject, method, target, version, field
/// names and values in order, `Content-Length` and `Transfer-Encoding` framing, keep-alive and
/// where the head ends, unless `Divergence` lists the difference with its RFC clause.
///
/// An input on which either parser wants more bytes is compared again with an empty line
/// appended (CRLF CRLF, or LF CRLF after a final CR), so that a valid prefix is judged too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDifferential(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    let outcome = FuzzCheck.withExactCopy(of: input) {
        DifferentialCheck.compare($0, final: false)
    }
    guard outcome == .undecided else { return 0 }
    let end: [UInt8] = input.last == 13 ? [10, 13, 10] : [13, 10, 13, 10]
    let extended = Array(input) + end
    extended.withUnsafeBytes { bytes in
        FuzzCheck.withExactCopy(of: bytes) { _ = DifferentialCheck.compare($0, final: true) }
    }
    return 0
}

FuzzDriver.run(fuzzDifferential)
