import Atomics

/// The request-duration histogram of one listener on one loop (behaviour §7.2): each response's
/// time from its request head being complete to its last byte sent (or the send ending
/// otherwise), in fixed buckets. Only the owning loop writes (relaxed load-and-store, no
/// allocation, no lock); the metrics page sums every loop's at scrape time.
public final class RequestDurations: Sendable {
    /// Upper bounds of the buckets, in microseconds (0.5 ms to 60 s); one more counts the rest.
    public static let bounds: [UInt64] = [
        500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
        2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000,
    ]

    /// Responses per bucket, not cumulative: index `i` counts durations in
    /// (`bounds[i-1]`, `bounds[i]`], the last index those above every bound.
    public let buckets: [ManagedAtomic<UInt64>] = (0...bounds.count).map { _ in ManagedAtomic(0) }
    /// The sum of every duration, in microseconds.
    public let sumMicroseconds = ManagedAtomic<UInt64>(0)

    public init() {}

    /// Counts one response that took `microseconds`.
    @inline(__always)
    func record(_ microseconds: UInt64) {
        var index = 0
        while index < Self.bounds.count && microseconds > Self.bounds[index] { index += 1 }
        let bucket = buckets[index]
        bucket.store(bucket.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        sumMicroseconds.store(
            sumMicroseconds.load(ordering: .relaxed) &+ microseconds, ordering: .relaxed)
    }
}
