import Foundation
import Glibc

/// Programs the lifecycle and limit tests run the sidecar under (`prlimit`, `setpriv`), found
/// by absolute path: `systemd-socket-activate` execs the program after `--` as given.
enum ExternalTool {
    /// The absolute path of `name` in `PATH` (or the usual system directories); throws
    /// `unavailable` when it is not installed.
    static func path(_ name: String) throws -> String {
        let searched =
            (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/bin", "/sbin"]
        for directory in searched where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw SupportError.unavailable("\(name) is not installed (searched \(searched))")
    }
}
