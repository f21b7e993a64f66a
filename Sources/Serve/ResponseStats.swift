import Atomics
import Files
import HTTP1
import Loop

/// Counters one loop's HTTP handler publishes for the metrics page: responses by status and
/// open-file cache lookups. Written only by the loop's thread (relaxed load-and-store), read by
/// any.
public final class ResponseStats: Sendable {
    /// Responses by status, indexed like `Status.allCases`.
    public let responses: [ManagedAtomic<Int>] = Status.allCases.map { _ in ManagedAtomic(0) }
    public let cacheHits = ManagedAtomic<Int>(0)
    public let cacheMisses = ManagedAtomic<Int>(0)
    /// Open-file cache entries now, and those of them revalidated per request.
    public let cacheEntries = ManagedAtomic<Int>(0)
    public let cacheEntriesRevalidated = ManagedAtomic<Int>(0)
    /// Entries removed, indexed by `CacheRemoval` raw value.
    public let cacheRemovals: [ManagedAtomic<Int>] = CacheRemoval.allCases.map { _ in
        ManagedAtomic(0)
    }
    /// This loop's file caches that learn of changes from notifications, and those that
    /// revalidate every request.
    public let cachesNotified = ManagedAtomic<Int>(0)
    public let cachesRevalidating = ManagedAtomic<Int>(0)

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
        LoopStats.bump(responses[status.ordinal])
    }

    /// Adds what changed in a cache since `published` (its figures when last published) to
    /// the gauge and removal counters, which every site of the loop shares.
    func publish<Value>(_ cache: FileCache<Value>, since published: inout CacheFigures) {
        let now = CacheFigures(cache)
        // Most turns change nothing: store only what moved.
        func add(_ counter: ManagedAtomic<Int>, _ amount: Int) {
            if amount != 0 { LoopStats.bump(counter, by: amount) }
        }
        add(cacheEntries, now.entries - published.entries)
        add(cacheEntriesRevalidated, now.revalidated - published.revalidated)
        for (index, counter) in cacheRemovals.enumerated() {
            add(counter, now.removals[index] - published.removals[index])
        }
        published = now
    }
}
