import Atomics

/// Counters one event loop publishes for `STATUS=`, logs and metrics: transport only (what a
/// session serves counts itself). Only the loop's own thread writes them, with relaxed
/// load-and-store (no read-modify-write, no contention); any thread may read them.
public final class LoopStats: Sendable {
    public let openConnections = ManagedAtomic<Int>(0)
    public let acceptedConnections = ManagedAtomic<Int>(0)
    /// Bytes written with `sendmsg` (copied) and with `sendfile` (zero-copy).
    public let bytesCopied = ManagedAtomic<Int64>(0)
    public let bytesSendfile = ManagedAtomic<Int64>(0)
    /// Responses cut short because their file shrank.
    public let truncations = ManagedAtomic<Int>(0)
    /// Accepting paused for lack of descriptors or memory.
    public let acceptPauses = ManagedAtomic<Int>(0)
    /// Connections closed, by reason (indexed like `CloseReason.allCases`).
    public let closes: [ManagedAtomic<Int>] = CloseReason.allCases.map { _ in ManagedAtomic(0) }
    /// Bumped on every turn of the loop: the watchdog pings only while every loop advances.
    public let turns = ManagedAtomic<UInt64>(0)
    /// The monotonic millisecond (``Clock/now``) at which the latest turn began: `/healthz`
    /// compares it with the heartbeat.
    public let lastTurn = ManagedAtomic<Int64>(0)

    public init() {}

    /// Adds `amount` to a counter owned by this loop's thread (inlinable, so every module's
    /// counters get a specialised relaxed load and store).
    @inlinable @inline(__always)
    public static func bump<T: AtomicInteger & AtomicValue>(
        _ counter: ManagedAtomic<T>, by amount: T = 1
    ) where T.AtomicRepresentation.Value == T {
        counter.store(counter.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// Connections closed for `reason` so far.
    public func closes(_ reason: CloseReason) -> Int {
        closes[Self.index[reason]!].load(ordering: .relaxed)
    }

    /// Counts one close.
    func countClose(_ reason: CloseReason) {
        Self.bump(closes[Self.index[reason]!])
    }

    public var bytesSent: Int64 {
        bytesCopied.load(ordering: .relaxed) + bytesSendfile.load(ordering: .relaxed)
    }

    private static let index: [CloseReason: Int] = Dictionary(
        uniqueKeysWithValues: CloseReason.allCases.enumerated().map { ($1, $0) })
}
