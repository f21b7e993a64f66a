@testable import HTTP1

/// What a parse came to, in a form tests can compare.
enum HeadOutcome: Equatable, CustomStringConvertible {
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
