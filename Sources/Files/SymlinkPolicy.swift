/// Which symbolic links a lookup may follow (behaviour §3.1).
public enum SymlinkPolicy: String, Sendable, CaseIterable {
    /// Follow links whose target stays beneath the document root.
    case beneath
    /// Follow no symbolic link at all.
    case deny
}
