import Atomics
import CLinux
import Glibc

/// How the main thread steers one event loop: a wake-up eventfd the loop polls, and the
/// requests it finds when woken, each acknowledged through an atomic the main thread reads.
public final class LoopControl: Sendable {
    /// The eventfd registered in the loop's epoll.
    public let wakeDescriptor: Int32
    /// Set on SIGTERM/SIGINT or idle exit: stop accepting, finish in-flight work, return.
    public let draining = ManagedAtomic<Bool>(false)
    /// Set by the loop once its listeners are out of its epoll set (after `drain`), so the
    /// main thread may close its copies of the listening sockets.
    public let listenersReleased = ManagedAtomic<Bool>(false)
    /// Bumped by the main thread on SIGHUP; the loop drops its caches and echoes the value.
    public let reloadRequested = ManagedAtomic<Int>(0)
    public let reloadDone = ManagedAtomic<Int>(0)
    /// Set when the loop has returned.
    public let finished = ManagedAtomic<Bool>(false)

    public init() throws {
        wakeDescriptor = clinux_eventfd()
        guard wakeDescriptor >= 0 else {
            throw LoopSetupError("eventfd", errno: errno)
        }
    }

    deinit {
        close(wakeDescriptor)
    }

    /// Asks the loop to drain and exit.
    public func drain() {
        draining.store(true, ordering: .releasing)
        wake()
    }

    /// Asks the loop to drop its caches.
    public func reload() {
        reloadRequested.wrappingIncrement(ordering: .releasing)
        wake()
    }

    /// Interrupts the loop's `epoll_wait`.
    public func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }
}
