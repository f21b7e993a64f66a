import CLinux
import Glibc

/// Starts a POSIX thread that runs a closure; the closure owns everything it creates, so an
/// event loop and its connections live on that thread alone.
public enum LoopThread {
    /// The closure handed through `pthread_create`'s context pointer.
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a new detached thread named `name` (visible in `/proc/PID/task/*/comm`,
    /// top and debuggers; at most 15 bytes).
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) throws {
        let context = Unmanaged.passRetained(
            Box {
                _ = clinux_set_thread_name(String(name.prefix(15)))
                body()
            }
        ).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, context)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            throw LoopSetupError("pthread_create", errno: result)
        }
        pthread_detach(thread)
    }
}
