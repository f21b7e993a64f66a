import Glibc

/// The lifecycle signals (SIGTERM, SIGINT, SIGHUP), blocked in every thread and taken
/// synchronously by the main thread with `sigtimedwait`, so no handler runs on a loop thread.
enum SignalSet {
    private static func lifecycle() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGHUP)
        return set
    }

    /// Blocks the lifecycle signals (threads started later inherit the mask) and ignores
    /// SIGPIPE, which `sendfile` would otherwise raise on a closed peer.
    static func blockLifecycleSignals() throws {
        var set = lifecycle()
        guard pthread_sigmask(SIG_BLOCK, &set, nil) == 0 else {
            throw StartupError("pthread_sigmask failed")
        }
        signal(SIGPIPE, SIG_IGN)
    }

    /// Waits up to `microseconds` for a lifecycle signal; returns it, or 0 on timeout.
    static func wait(microseconds: UInt64) -> Int32 {
        var set = lifecycle()
        var timeout = timespec(
            tv_sec: Int(microseconds / 1_000_000), tv_nsec: Int(microseconds % 1_000_000) * 1000)
        let signal = sigtimedwait(&set, nil, &timeout)
        return signal > 0 ? signal : 0
    }
}
