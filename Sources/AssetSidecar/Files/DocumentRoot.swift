import CLinux
import Glibc
import SystemPackage

/// A document root: an open directory that every lookup is resolved beneath with `openat2(2)`
/// (SPEC §3.1). Confinement is the kernel's `RESOLVE_BENEATH`, never a prefix check on strings.
final class DocumentRoot: Sendable {
    /// The root directory, opened once at startup.
    let descriptor: Int32
    /// The path given on the command line, for logs only (never in responses).
    let path: String
    /// The `RESOLVE_*` flags every lookup uses.
    private let resolve: UInt64

    /// How often a lookup is retried when `openat2` reports `EAGAIN` (a concurrent rename
    /// raced the path walk); the kernel asks for a retry, so a few attempts suffice.
    private static let retries = 8

    init(path: String, symlinks: SymlinkPolicy) throws {
        let descriptor = Glibc.open(path, CLINUX_O_PATH | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StartupError("document root \(path): \(ErrorText.describe(errno))")
        }
        self.descriptor = descriptor
        self.path = path
        var resolve = CLINUX_RESOLVE_BENEATH | CLINUX_RESOLVE_NO_MAGICLINKS
        if symlinks == .deny { resolve |= CLINUX_RESOLVE_NO_SYMLINKS }
        self.resolve = resolve
        var probe = LookupOutcome.failure(.notFound)
        ".".withCString { probe = open($0) }
        switch probe {
        case .directory: break
        case .failure(.unsupported):
            throw StartupError("openat2(2) is not available: Linux 5.6 or later is required")
        default: throw StartupError("document root \(path) cannot be opened beneath itself")
        }
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Opens `relative` (NUL-terminated, relative to the root; "." is the root itself) for
    /// reading without blocking, and classifies it from one `fstat` of the opened descriptor.
    func open(_ relative: UnsafePointer<CChar>) -> LookupOutcome {
        let flags = UInt64(O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        var attempts = 0
        var file: Int32
        repeat {
            file = clinux_openat2(descriptor, relative, flags, resolve)
            attempts += 1
        } while file < 0 && (errno == EAGAIN || errno == EINTR) && attempts < Self.retries
        guard file >= 0 else { return .failure(LookupFailure(errno: errno)) }
        var info = stat()
        guard fstat(file, &info) == 0 else {
            let code = errno
            Glibc.close(file)
            return .failure(LookupFailure(errno: code))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return .file(FileDescriptor(rawValue: file), FileSnapshot(info))
        case S_IFDIR:
            Glibc.close(file)
            return .directory
        default:
            Glibc.close(file)
            return .failure(.notFound)
        }
    }
}
