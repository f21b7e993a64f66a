import Glibc

/// Runs lookups with the permission checks an ordinary user gets, so that an unreadable file is
/// `EACCES` even when the tests run as root.
enum Unprivileged {
    private typealias SetFSUID = @convention(c) (UInt32) -> Int32

    /// The `nobody` user.
    private static let nobody: UInt32 = 65534

    /// Runs `body` on the calling thread with its filesystem user set to `nobody` when running as
    /// root: `setfsuid(2)` (which Swift's Glibc module lacks, hence `dlsym`) changes only the
    /// calling thread and clears its DAC-override capabilities (capabilities(7)). `body` must
    /// not suspend. Returns nil if the switch did not take effect.
    static func run<Result>(_ body: () -> Result) -> Result? {
        guard geteuid() == 0 else { return body() }
        guard let address = dlsym(nil, "setfsuid") else { return nil }
        let setfsuid = unsafeBitCast(address, to: SetFSUID.self)
        _ = setfsuid(nobody)
        defer { _ = setfsuid(0) }
        // An invalid ID changes nothing and returns the current one.
        guard setfsuid(UInt32.max) == Int32(nobody) else { return nil }
        return body()
    }
}
