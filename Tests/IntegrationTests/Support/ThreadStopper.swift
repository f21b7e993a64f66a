import Glibc

/// Stops one thread of another process with `ptrace(2)`, leaving its other threads running:
/// how a test wedges a single event loop. `PTRACE_SEIZE` attaches to that thread alone without
/// stopping it, `PTRACE_INTERRUPT` stops it, `PTRACE_DETACH` lets it run again.
///
/// glibc's `ptrace` is variadic, which Swift does not import; it is looked up by name and called
/// with its four arguments spelled out (as glibc reads them: the request and three words).
/// Every ptrace request after the attach must come from the thread that attached, so the whole
/// stop–run–detach sequence is one synchronous call, ``whileStopped(_:of:_:)``.
enum ThreadStopper {
    private typealias Ptrace =
        @convention(c) (Int32, pid_t, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int

    private static let requestSeize: Int32 = 0x4206
    private static let requestInterrupt: Int32 = 0x4207
    private static let requestDetach: Int32 = 17
    /// `__WALL`: wait for any child or tracee, whether thread or process.
    private static let waitAll: Int32 = 0x4000_0000

    /// Stops thread `tid` of process `pid`, runs `body` while it stays stopped, then detaches,
    /// which resumes it. The thread is detached before this returns, whether `body` returns or
    /// throws; should the process die meanwhile, its exit is collected so that the process can
    /// still be reaped by its parent. `body` must not wait for the process to end (e.g. with
    /// `SidecarProcess.kill()`): until this returns, the stopped thread is this thread's
    /// tracee, and a process whose traced thread died cannot be reaped before its tracer
    /// collects that thread — which happens here, after `body`.
    static func whileStopped<R>(_ tid: pid_t, of pid: pid_t, _ body: () throws -> R) throws -> R {
        let ptrace = try function()
        guard ptrace(requestSeize, tid, nil, nil) == 0 else {
            throw SupportError.system("PTRACE_SEIZE thread \(tid) of \(pid)", errno: errno)
        }
        let injected: Int32
        do {
            injected = try stop(tid, ptrace)
        } catch {
            release(tid, ptrace, signal: 0)
            throw error
        }
        defer { release(tid, ptrace, signal: injected) }
        return try body()
    }

    /// What waiting for a traced thread reported.
    private enum Report {
        /// A wait status: a stop (`0x7f` in the low byte) or an exit.
        case status(Int32)
        /// Nothing within the time allowed.
        case nothing
        /// The thread is no longer ours to wait for (ECHILD): gone and collected.
        case gone
    }

    /// Interrupts the thread and waits (bounded) for it to report a stop; returns the signal
    /// to re-inject at detach when the stop it reported was a signal's delivery.
    private static func stop(_ tid: pid_t, _ ptrace: Ptrace) throws -> Int32 {
        guard ptrace(requestInterrupt, tid, nil, nil) == 0 else {
            throw SupportError.system("PTRACE_INTERRUPT thread \(tid)", errno: errno)
        }
        guard case .status(let status) = try waitForReport(tid, within: .seconds(5)) else {
            throw SupportError.timedOut("thread \(tid) did not stop after PTRACE_INTERRUPT")
        }
        guard status & 0xff == 0x7f else {
            throw SupportError.unavailable("thread \(tid) ended instead of stopping (\(status))")
        }
        // Bits 16–23 name a ptrace event (PTRACE_EVENT_STOP for this interrupt); without one,
        // the thread stopped to receive a signal, which it must still get.
        let signal = (status >> 8) & 0xff
        let event = (status >> 16) & 0xff
        return event == 0 && signal != SIGTRAP ? signal : 0
    }

    /// Detaches from the thread. A seized thread can be detached only while stopped, so one
    /// that is not (yet) is interrupted and waited for first; one that has exited is collected
    /// instead. Bounded: twenty attempts.
    private static func release(_ tid: pid_t, _ ptrace: Ptrace, signal: Int32) {
        for _ in 0..<20 {
            let data = UnsafeMutableRawPointer(bitPattern: Int(signal))
            if ptrace(requestDetach, tid, nil, data) == 0 { return }
            _ = ptrace(requestInterrupt, tid, nil, nil)
            switch (try? waitForReport(tid, within: .milliseconds(250))) ?? .gone {
            case .status(let status) where status & 0xff != 0x7f:
                return  // it exited, and that exit has just been collected
            case .gone:
                return
            case .status, .nothing:
                continue
            }
        }
    }

    /// The next wait status of `tid`, bounded by `timeout`.
    private static func waitForReport(_ tid: pid_t, within timeout: Duration) throws -> Report {
        let deadline = Deadline(after: timeout)
        while true {
            var status: Int32 = 0
            let result = waitpid(tid, &status, waitAll | WNOHANG)
            if result == tid { return .status(status) }
            if result == -1 && errno == ECHILD { return .gone }
            if result == -1 && errno != EINTR {
                throw SupportError.system("waitpid thread \(tid)", errno: errno)
            }
            guard !deadline.hasPassed else { return .nothing }
            _ = poll(nil, 0, deadline.pollTimeout(cap: .milliseconds(1)))
        }
    }

    private static func function() throws -> Ptrace {
        guard let address = dlsym(nil, "ptrace") else {
            throw SupportError.unavailable("glibc has no ptrace symbol")
        }
        return unsafeBitCast(address, to: Ptrace.self)
    }
}
