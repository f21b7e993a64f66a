import Glibc

/// Waiting for a condition that the test cannot be told about (a file appears, a descriptor
/// count drops): re-checks it every few milliseconds and returns as soon as it holds. The
/// timeout only stops a broken server from hanging the suite; it is never what passes a test.
enum BoundedWait {
    /// Returns once `condition` holds; throws `timedOut` naming `what` if it still does not
    /// after `timeout`.
    static func until(
        _ what: String, timeout: Duration = .seconds(10), _ condition: () throws -> Bool
    ) throws {
        let deadline = Deadline(after: timeout)
        while try !condition() {
            guard !deadline.hasPassed else { throw SupportError.timedOut(what) }
            _ = poll(nil, 0, deadline.pollTimeout(cap: .milliseconds(5)))
        }
    }

    /// Lets `duration` pass (for sampling a rate, e.g. CPU time, over an interval).
    static func pause(_ duration: Duration) {
        let deadline = Deadline(after: duration)
        while !deadline.hasPassed {
            _ = poll(nil, 0, deadline.pollTimeout())
        }
    }
}
