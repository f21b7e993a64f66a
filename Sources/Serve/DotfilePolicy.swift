/// Whether names with a segment beginning with `.` are served (behaviour §3.2).
public enum DotfilePolicy: String, Sendable, CaseIterable {
    /// 404 for every dot segment except the leading `/.well-known/`.
    case deny
    /// Serve them like any other name.
    case allow
}
