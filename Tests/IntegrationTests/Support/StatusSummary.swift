/// The sidecar's `STATUS=` text, `N connections, M requests, B bytes sent` (behaviour §1.6), parsed.
struct StatusSummary: Sendable, Equatable {
    var connections: Int
    var requests: Int
    var bytesSent: Int64

    /// Parses the text of a `STATUS=` assignment; nil when it does not have that form.
    init?(_ text: String) {
        let words = text.split(separator: " ")
        guard words.count == 7, words[1] == "connections,", words[3] == "requests,",
            words[5] == "bytes", words[6] == "sent",
            let connections = Int(words[0]), let requests = Int(words[2]),
            let bytes = Int64(words[4])
        else { return nil }
        self.connections = connections
        self.requests = requests
        self.bytesSent = bytes
    }

    /// The summary in `message`'s `STATUS=` assignment, if it has one of that form.
    init?(_ message: NotifyMessage) {
        guard let text = message["STATUS"] else { return nil }
        self.init(text)
    }
}

extension NotifySink {
    /// Messages until a `STATUS=` summary satisfies `condition`, which it returns; throws,
    /// listing what arrived, if none does within `timeout`.
    func waitForStatus(
        timeout: Duration, where condition: (StatusSummary) -> Bool
    ) throws -> StatusSummary {
        let deadline = Deadline(after: timeout)
        var seen: [String] = []
        while !deadline.hasPassed {
            guard let message = try receive(timeout: deadline.instant - .now) else { break }
            seen.append(message.description)
            if let summary = StatusSummary(message), condition(summary) { return summary }
        }
        throw SupportError.timedOut("no matching STATUS= on \(address) (received: \(seen))")
    }

    /// Counts `assignment` (e.g. `WATCHDOG=1`) in the messages that arrive until `count` of
    /// them have, returning those messages; throws if that takes longer than `timeout`.
    func waitForCount(_ count: Int, of assignment: String, timeout: Duration) throws
        -> [NotifyMessage]
    {
        var found: [NotifyMessage] = []
        let deadline = Deadline(after: timeout)
        while found.count < count {
            let left = deadline.instant - .now
            guard left > .zero else {
                throw SupportError.timedOut(
                    "only \(found.count) of \(count) \(assignment) on \(address)")
            }
            found.append(try waitFor(assignment, timeout: left))
        }
        return found
    }

    /// Receives for `window` after the last `assignment` seen, restarting the window whenever
    /// another arrives: returns how many arrived before a whole window passed without one, or
    /// nil if more than `limit` arrived (the window never fell quiet).
    func arrivalsBeforeQuiet(of assignment: String, window: Duration, limit: Int) throws -> Int? {
        var arrivals = 0
        var quietUntil = Deadline(after: window)
        while !quietUntil.hasPassed {
            guard let message = try receive(timeout: quietUntil.instant - .now) else { break }
            if message.contains(assignment) {
                arrivals += 1
                if arrivals > limit { return nil }
                quietUntil = Deadline(after: window)
            }
        }
        return arrivals
    }
}
