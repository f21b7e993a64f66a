import Glibc

/// A failure of the test harness itself or of its environment, as opposed to a wrong answer
/// from the server under test.
enum SupportError: Error, CustomStringConvertible {
    /// A system call failed.
    case system(String, errno: Int32)
    /// A bounded wait ran out.
    case timedOut(String)
    /// Something the harness needs is missing or not as expected.
    case unavailable(String)

    var description: String {
        switch self {
        case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
        case .timedOut(let what): "timed out: \(what)"
        case .unavailable(let what): what
        }
    }

    /// Returns `result`, or throws `.system(call, errno)` when it is -1.
    @discardableResult
    static func check<T: BinaryInteger>(_ result: T, _ call: @autoclosure () -> String) throws -> T
    {
        guard result == -1 else { return result }
        throw SupportError.system(call(), errno: errno)
    }
}
