import Glibc

/// The time as one event loop sees it: a monotonic millisecond clock for deadlines, and the
/// wall-clock second with its `Date` field value, formatted once per second.
struct Clock {
    /// Monotonic milliseconds, for deadlines.
    private(set) var now: Int64 = 0
    /// Wall-clock seconds since the epoch.
    private(set) var seconds: Int64 = -1
    /// IMF-fixdate of `seconds`.
    private(set) var date: [UInt8] = []

    init() {
        update()
    }

    /// Reads both clocks (vDSO calls, no system call) and reformats the date when the second
    /// changed.
    mutating func update() {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &spec)
        now = Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
        clock_gettime(CLOCK_REALTIME_COARSE, &spec)
        let wall = Int64(spec.tv_sec)
        if wall != seconds {
            seconds = wall
            date.removeAll(keepingCapacity: true)
            HTTPDate.format(wall, into: &date)
        }
    }
}
