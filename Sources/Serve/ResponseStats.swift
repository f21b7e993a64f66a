import Atomics
import HTTP1

/// Counters one loop's HTTP handler publishes for the metrics page: responses by status and
/// open-file cache lookups. Written only by the loop's thread (relaxed load-and-store), read by
/// any.
public final class ResponseStats: Sendable {
    /// Responses by status, indexed like `Status.allCases`.
    public let responses: [ManagedAtomic<Int>] = Status.allCases.map { _ in ManagedAtomic(0) }
    public let cacheHits = ManagedAtomic<Int>(0)
    public let cacheMisses = ManagedAtomic<Int>(0)

    public init() {}

    /// Responses with `status` so far.
    public func responses(_ status: Status) -> Int {
        responses[status.ordinal].load(ordering: .relaxed)
    }

    /// All responses so far.
    public var requests: Int {
        responses.reduce(0) { $0 + $1.load(ordering: .relaxed) }
    }

    /// Counts one response with `status`.
    func count(_ status: Status) {
        Self.bump(responses[status.ordinal])
    }

    /// Adds one to a counter owned by this loop's thread.
    @inline(__always)
    static func bump(_ counter: ManagedAtomic<Int>) {
        counter.store(counter.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
    }
}
