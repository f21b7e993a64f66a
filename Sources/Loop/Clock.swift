import Glibc

/// The one clock of the process: a monotonic millisecond count for deadlines and intervals, and
/// the wall-clock second for `Date` fields and validators. Both are vDSO reads (no system call).
public struct Clock: Sendable {
    /// Monotonic milliseconds, for deadlines.
    public private(set) var now: Int64 = 0
    /// Wall-clock seconds since the epoch.
    public private(set) var seconds: Int64 = 0

    public init() {
        update()
    }

    /// Reads both clocks, coarse (a loop turn needs no finer tick).
    public mutating func update() {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &spec)
        now = Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
        clock_gettime(CLOCK_REALTIME_COARSE, &spec)
        seconds = Int64(spec.tv_sec)
    }

    /// Precise monotonic microseconds, for the supervisor's intervals and access-log durations.
    public static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
