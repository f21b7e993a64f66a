/// A configuration or environment problem found before serving: printed as one line on stderr,
/// and the process exits with status 78 (EX_CONFIG) so systemd does not restart it in a loop.
struct StartupError: Error, CustomStringConvertible {
    /// The one-line explanation.
    var description: String

    init(_ description: String) {
        self.description = description
    }

    /// EX_CONFIG from sysexits.h.
    static let exitStatus: Int32 = 78
}
