import HTTP1
import Loop

/// One loop's response clock: the `Date` value of the current second and a counter that makes
/// each response's multipart boundary unique.
struct ResponseClock {
    private var date = DateField()
    private var sequence = UInt64.random(in: 0...UInt64.max)

    /// The context of a response at `moment`, for a request of `version` that allows
    /// keep-alive when `keepAlive` (never while the loop drains).
    mutating func context(_ moment: LoopMoment, keepAlive: Bool, version: HTTPVersion)
        -> ResponseContext
    {
        sequence &+= 1
        return ResponseContext(
            seconds: moment.seconds, date: date.value(at: moment.seconds),
            keepAlive: keepAlive && !moment.draining, version: version, sequence: sequence)
    }
}
