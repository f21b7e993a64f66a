import ArgumentParser

/// Which symbolic links a lookup may follow (SPEC §3.1).
enum SymlinkPolicy: String, ExpressibleByArgument, Sendable, CaseIterable {
    /// Follow links whose target stays beneath the document root.
    case beneath
    /// Follow no symbolic link at all.
    case deny
}

/// Whether names with a segment beginning with `.` are served (SPEC §3.2).
enum DotfilePolicy: String, ExpressibleByArgument, Sendable, CaseIterable {
    /// 404 for every dot segment except the leading `/.well-known/`.
    case deny
    /// Serve them like any other name.
    case allow
}
