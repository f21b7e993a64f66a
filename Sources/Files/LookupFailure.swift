import Glibc

/// Why a lookup found nothing to serve, grouped by the response it leads to.
public enum LookupFailure: Equatable {
    /// No such file, a path through a non-directory, an escape from the root, a forbidden link,
    /// or a special file: 404.
    case notFound
    /// Permission denied: 403.
    case forbidden
    /// Out of descriptors (EMFILE, ENFILE) or memory: 503.
    case exhausted
    /// The kernel has no `openat2` (or a filter refuses it).
    case unsupported
    /// Anything else: 500.
    case other(Int32)

    public init(errno code: Int32) {
        switch code {
        case ENOENT, ENOTDIR, EXDEV, ELOOP, ENAMETOOLONG, ENXIO, ENODEV: self = .notFound
        case EACCES, EPERM: self = .forbidden
        case EMFILE, ENFILE, ENOMEM: self = .exhausted
        case ENOSYS: self = .unsupported
        default: self = .other(code)
        }
    }
}
