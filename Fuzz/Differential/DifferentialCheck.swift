import FuzzSupport
import HTTP1
import LLHTTPOracle

/// One comparison of `RequestParser` with llhttp on the same bytes.
enum DifferentialCheck {
    /// Whether a comparison could judge the input, or one parser still wanted more bytes.
    enum Outcome {
        case judged
        case undecided
    }

    /// Compares the two parsers on `input`. When `final` is false and either parser wants more
    /// bytes, returns `.undecided` without judging: the caller extends the input and compares
    /// again with `final` set, when an incomplete result is the last word.
    static func compare(_ input: UnsafeRawBufferPointer, final: Bool) -> Outcome {
        let ours = RequestParser().parse(input)
        let theirs = LLHTTPParser.parse(input)
        if !final {
            if case .incomplete = ours { return .undecided }
            if case .incomplete = theirs { return .undecided }
        }
        switch (ours, theirs) {
        case (.complete(let head), .complete(let other)):
            Agreement.check(head, HeadLines(head, in: input), other, in: input)
        case (.complete(let head), .rejected(let rejection)):
            let lines = HeadLines(head, in: input)
            guard let divergence = Divergence.theirs(rejection, ours: head, lines: lines, in: input)
            else {
                FuzzCheck.fail(
                    "llhttp rejects a head we accept: \(rejection.errno) \(rejection.reason) "
                        + "at \(rejection.offset)")
            }
            divergence.note()
        case (.failed(let error), .complete(let other)):
            explain(error, theirs: other, in: input)
        case (.failed(let error), .incomplete):
            explain(error, theirs: nil, in: input)
        case (.failed, .rejected), (.incomplete, .incomplete):
            break
        case (.incomplete, .complete(let other)):
            FuzzCheck.fail("llhttp ends the head at \(other.length), we want more bytes")
        case (.complete(let head), .incomplete):
            FuzzCheck.fail("we end the head at \(head.length), llhttp wants more bytes")
        case (.incomplete, .rejected(let rejection)):
            FuzzCheck.fail(
                "llhttp rejects a valid prefix: \(rejection.errno) \(rejection.reason) "
                    + "at \(rejection.offset)")
        }
        return .judged
    }

    /// Requires a `Divergence` entry for our rejection of bytes llhttp accepted or had not
    /// finished.
    private static func explain(
        _ error: ParseError, theirs: LLHTTPHead?, in input: UnsafeRawBufferPointer
    ) {
        guard let divergence = Divergence.ours(error, theirs: theirs, in: input) else {
            FuzzCheck.fail(
                "we reject (\(error)) what llhttp "
                    + (theirs == nil ? "has not finished" : "accepts"))
        }
        divergence.note()
    }
}
