import Atomics
import CLinux
import Glibc

/// How other threads steer one event loop: a wake-up eventfd the loop polls, and the requests
/// it finds when woken.
final class LoopControl: Sendable {
    /// The eventfd registered in the loop's epoll.
    let wakeDescriptor: Int32
    /// Set by the main thread on SIGTERM/SIGINT or idle exit: stop accepting, finish, return.
    let draining = ManagedAtomic<Bool>(false)
    /// Set once the loop has registered its listeners (for READY=1).
    let started = ManagedAtomic<Bool>(false)
    /// Set when the loop has returned.
    let finished = ManagedAtomic<Bool>(false)

    init() throws {
        wakeDescriptor = clinux_eventfd()
        guard wakeDescriptor >= 0 else {
            throw StartupError("eventfd: \(ErrorText.describe(errno))")
        }
    }

    deinit {
        close(wakeDescriptor)
    }

    /// Asks the loop to drain and exit.
    func drain() {
        draining.store(true, ordering: .releasing)
        wake()
    }

    /// Interrupts the loop's `epoll_wait`.
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }
}
