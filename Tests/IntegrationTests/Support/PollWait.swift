import Glibc

/// Bounded waiting for one descriptor with `poll(2)`: the harness never sleeps and hopes.
enum PollWait {
    /// Waits until `fd` reports one of `events` (or an error or hang-up) and returns what it
    /// reported, or returns nil when `deadline` passes first.
    static func ready(_ fd: Int32, for events: Int32, until deadline: Deadline) throws -> Int16? {
        var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            let count = poll(&entry, 1, deadline.pollTimeout())
            if count > 0 { return entry.revents }
            if count == 0 { return nil }
            if errno != EINTR { throw SupportError.system("poll", errno: errno) }
        }
    }
}
