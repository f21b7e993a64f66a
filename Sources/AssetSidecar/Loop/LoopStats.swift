import Atomics

/// Counters one event loop publishes for `STATUS=`, logs and metrics. Only the loop's own thread
/// writes them (relaxed stores of its running totals, no read-modify-write contention); any
/// thread may read them.
final class LoopStats: Sendable {
    let openConnections = ManagedAtomic<Int>(0)
    let requests = ManagedAtomic<Int>(0)
    let bytesSent = ManagedAtomic<Int64>(0)
    let fileBytesSent = ManagedAtomic<Int64>(0)
    let truncations = ManagedAtomic<Int>(0)
    let headerTimeouts = ManagedAtomic<Int>(0)
    let idleTimeouts = ManagedAtomic<Int>(0)
    let sendTimeouts = ManagedAtomic<Int>(0)
    /// Bumped on every turn of the loop: the watchdog pings only while every loop advances.
    let turns = ManagedAtomic<UInt64>(0)

    /// Adds one to a counter owned by this loop's thread.
    @inline(__always)
    static func bump<T: AtomicInteger & AtomicValue>(_ counter: ManagedAtomic<T>, by amount: T = 1)
    where T.AtomicRepresentation.Value == T {
        counter.store(counter.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }
}
