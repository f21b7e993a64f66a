import Glibc

/// glibc functions that Swift's Glibc module does not declare (they need `_GNU_SOURCE`),
/// looked up by name; Debian 12's glibc 2.36 has both.
enum LinuxCalls {
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    private typealias AddCloseFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `pidfd_open(2)`: a descriptor that polls readable once the process has exited.
    static func pidfdOpen(_ pid: pid_t) throws -> Int32 {
        let function = unsafeBitCast(try symbol("pidfd_open"), to: PidfdOpen.self)
        return try SupportError.check(function(pid, 0), "pidfd_open")
    }

    /// `posix_spawn_file_actions_addclosefrom_np(3)`: the child closes every descriptor from
    /// `lowest` up, so nothing of the test process (other tests' sockets) leaks into it.
    static func addCloseFrom(
        _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32
    ) throws {
        let function = unsafeBitCast(
            try symbol("posix_spawn_file_actions_addclosefrom_np"), to: AddCloseFrom.self)
        let result = function(actions, lowest)
        guard result == 0 else {
            throw SupportError.system("posix_spawn_file_actions_addclosefrom_np", errno: result)
        }
    }

    private static func symbol(_ name: String) throws -> UnsafeMutableRawPointer {
        guard let address = dlsym(nil, name) else {
            throw SupportError.unavailable("glibc has no \(name) (needs glibc 2.34 or later)")
        }
        return address
    }
}
