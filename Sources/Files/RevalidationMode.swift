/// How one loop's open-file cache learns that a cached file changed.
public enum RevalidationMode: Equatable, Sendable {
    /// inotify events, read before the requests of each loop turn: no system call on a hit.
    /// Entries whose path cannot be watched soundly (a symbolic link or a mount point on it,
    /// the watch limit) are still revalidated per request.
    case events
    /// One `fstatat` per hit, for the reason given: notifications unavailable, refused by
    /// `--revalidate always`, or not trustworthy on the root's filesystem.
    case perRequest(reason: String)

    /// The metric label.
    public var label: String {
        switch self {
        case .events: "events"
        case .perRequest: "per_request"
        }
    }
}
