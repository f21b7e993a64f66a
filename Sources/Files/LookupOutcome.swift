import SystemPackage

/// What a lookup beneath a document root found.
public enum LookupOutcome {
    /// An open regular file (the caller closes it) and its metadata from the same descriptor.
    case file(FileDescriptor, FileSnapshot)
    /// A directory (already closed: the caller redirects or looks up its index).
    case directory
    case failure(LookupFailure)
}
