/// The end of a bounded wait: every wait in the harness counts down to one of these.
struct Deadline: Sendable {
    /// When the wait ends.
    let instant: ContinuousClock.Instant

    /// A deadline `timeout` from now.
    init(after timeout: Duration) {
        instant = .now + timeout
    }

    /// Whether the deadline is behind us.
    var hasPassed: Bool { ContinuousClock.now >= instant }

    /// The time left as a `poll(2)` timeout in milliseconds, rounded up, at most `cap`; 0 once
    /// the deadline has passed.
    func pollTimeout(cap: Duration = .seconds(3600)) -> Int32 {
        let left = min(instant - .now, cap)
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: millis)
    }
}
