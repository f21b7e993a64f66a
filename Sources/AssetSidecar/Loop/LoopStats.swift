import Atomics

/// Counters one event loop publishes for `STATUS=`, logs and metrics. Only the loop's own thread
/// writes them, with relaxed load-and-store (no read-modify-write, no contention); any thread
/// may read them.
final class LoopStats: Sendable {
    let openConnections = ManagedAtomic<Int>(0)
    let acceptedConnections = ManagedAtomic<Int>(0)
    /// Responses by status, indexed like `Status.allCases`.
    let responses: [ManagedAtomic<Int>] = Status.allCases.map { _ in ManagedAtomic<Int>(0) }
    /// Body and head bytes written with `sendmsg` (copied) and with `sendfile` (zero-copy).
    let bytesCopied = ManagedAtomic<Int64>(0)
    let bytesSendfile = ManagedAtomic<Int64>(0)
    let cacheHits = ManagedAtomic<Int>(0)
    let cacheMisses = ManagedAtomic<Int>(0)
    let truncations = ManagedAtomic<Int>(0)
    let headerTimeouts = ManagedAtomic<Int>(0)
    let idleTimeouts = ManagedAtomic<Int>(0)
    let sendTimeouts = ManagedAtomic<Int>(0)
    let peerResets = ManagedAtomic<Int>(0)
    let acceptPauses = ManagedAtomic<Int>(0)
    /// Bumped on every turn of the loop: the watchdog pings only while every loop advances.
    let turns = ManagedAtomic<UInt64>(0)

    /// Adds `amount` to a counter owned by this loop's thread.
    @inline(__always)
    static func bump<T: AtomicInteger & AtomicValue>(_ counter: ManagedAtomic<T>, by amount: T = 1)
    where T.AtomicRepresentation.Value == T {
        counter.store(counter.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// Counts one response with `status`.
    @inline(__always)
    func count(_ status: Status) {
        Self.bump(responses[Status.index(of: status)])
    }

    /// All responses so far.
    var requests: Int {
        responses.reduce(0) { $0 + $1.load(ordering: .relaxed) }
    }

    var bytesSent: Int64 {
        bytesCopied.load(ordering: .relaxed) + bytesSendfile.load(ordering: .relaxed)
    }
}
