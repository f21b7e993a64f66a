import Glibc

/// One `sd_notify` datagram: newline-separated `KEY=VALUE` assignments, and the sender's PID
/// from its `SCM_CREDENTIALS`.
struct NotifyMessage: Sendable, CustomStringConvertible {
    /// The datagram as text.
    let text: String
    /// The PID the kernel vouches for, when credentials came with the datagram.
    let senderPID: pid_t?

    var description: String {
        let sender = senderPID.map(String.init) ?? "?"
        return "\(text.split(separator: "\n").joined(separator: " | ")) (pid \(sender))"
    }

    /// The assignments in order: `READY=1\nSTATUS=x` gives `[("READY", "1"), ("STATUS", "x")]`.
    var assignments: [(key: String, value: String)] {
        text.split(separator: "\n").map { line in
            guard let equals = line.firstIndex(of: "=") else { return (String(line), "") }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }
    }

    /// The last value assigned to `key`, if any.
    subscript(key: String) -> String? {
        assignments.last { $0.key == key }?.value
    }

    /// Whether one of its lines is exactly `assignment` (e.g. `"READY=1"`).
    func contains(_ assignment: String) -> Bool {
        text.split(separator: "\n").contains { $0 == assignment }
    }
}
