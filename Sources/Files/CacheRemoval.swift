/// Why an entry left the open-file cache (a label of the invalidation metric).
public enum CacheRemoval: Int, CaseIterable, Sendable {
    /// A change notification named the file, a directory on its path or a variant's name.
    case changed
    /// Per-request revalidation found the file changed (the fallback mode).
    case stale
    /// Unused for the inactivity period.
    case inactive
    /// The least recently used entry made room for a new one.
    case evicted
    /// SIGHUP.
    case reload
    /// The root path's link (or directory) was replaced: the old tree is no longer served.
    case rootSwitched

    /// The metric label.
    public var label: String {
        switch self {
        case .changed: "changed"
        case .stale: "stale"
        case .inactive: "inactive"
        case .evicted: "evicted"
        case .reload: "reload"
        case .rootSwitched: "root_switched"
        }
    }
}
