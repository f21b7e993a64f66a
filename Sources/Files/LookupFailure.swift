import Glibc

/// Why a lookup found nothing to serve, grouped by the response it leads to.
public enum LookupFailure: Equatable {
    /// No such file, or a path through a non-directory (or too long to exist): 404.
    case notFound
    /// Confinement said no — an escape from the root (`EXDEV`), a link the policy forbids or
    /// too many links (`ELOOP`) — or a special file: 404 as well, but a refusal, not an absence
    /// (`--fallback` answers only absences).
    case refused
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
        case ENOENT, ENOTDIR, ENAMETOOLONG: self = .notFound
        case EXDEV, ELOOP, ENXIO, ENODEV: self = .refused
        case EACCES, EPERM: self = .forbidden
        case EMFILE, ENFILE, ENOMEM: self = .exhausted
        case ENOSYS: self = .unsupported
        default: self = .other(code)
        }
    }
}
