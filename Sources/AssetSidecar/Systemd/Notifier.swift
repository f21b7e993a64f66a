import CSystemd

/// The `sd_notify` protocol (behaviour §1.6). Sending is a no-op when `NOTIFY_SOCKET` is unset.
enum Notifier {
    /// One `KEY=VALUE` assignment of a notification.
    struct Field: Sendable, Equatable {
        var key: String
        var value: String
    }

    /// Renders fields as the newline-separated datagram systemd expects; newlines inside a value
    /// (which would start a new assignment) become spaces.
    static func format(_ fields: [Field]) -> String {
        fields.map { field in
            field.key + "=" + String(field.value.map { $0.isNewline ? " " : $0 })
        }.joined(separator: "\n")
    }

    /// Sends `fields`; returns sd_notify's result (positive sent, 0 no socket, negative errno).
    @discardableResult
    static func send(_ fields: [Field]) -> Int32 {
        sd_notify(0, format(fields))
    }

    static func ready() { send([Field(key: "READY", value: "1")]) }
    static func stopping() { send([Field(key: "STOPPING", value: "1")]) }
    static func reloading(monotonicMicroseconds: UInt64) {
        send([
            Field(key: "RELOADING", value: "1"),
            Field(key: "MONOTONIC_USEC", value: "\(monotonicMicroseconds)"),
        ])
    }
    static func status(_ text: String) { send([Field(key: "STATUS", value: text)]) }
    static func watchdog() { send([Field(key: "WATCHDOG", value: "1")]) }

    /// The watchdog interval in microseconds when the manager asked for pings, else nil.
    static func watchdogInterval() -> UInt64? {
        var usec: UInt64 = 0
        return sd_watchdog_enabled(0, &usec) > 0 && usec > 0 ? usec : nil
    }
}
