import Atomics
import CLinux
import Glibc
import SystemPackage

/// A document root: an open directory that every lookup is resolved beneath with `openat2(2)`
/// (behaviour §3.1), or with `BeneathWalk` where `openat2` is unavailable. Confinement is the
/// kernel's `RESOLVE_BENEATH` or the walk's descriptor stack, never a prefix check on strings.
public final class DocumentRoot: Sendable {
    /// The root directory, opened once at startup.
    public let descriptor: Int32
    /// The path given on the command line, for logs only (never in responses).
    public let path: String
    /// The `RESOLVE_*` flags every lookup uses.
    private let resolve: UInt64
    /// Set once `openat2` has failed with `ENOSYS` (a kernel before 5.6, or valgrind): later
    /// lookups go straight to `BeneathWalk`. `EPERM` (a seccomp filter, or a security module
    /// refusing one file) sends only that lookup to the walk and is never remembered: the walk
    /// confines just as strictly, so no answer from `openat2` can ever mean "look up without
    /// confinement".
    public let lacksOpenat2 = ManagedAtomic<Bool>(false)

    /// The flags of every lookup's final open: read-only, never a controlling terminal, and
    /// never blocking (a FIFO opens at once, behaviour §3.3).
    public static let openFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK

    /// How often a lookup is retried when `openat2` reports `EAGAIN` (a concurrent rename
    /// raced the path walk); the kernel asks for a retry, so a few attempts suffice.
    private static let retries = 8

    public init(path: String, symlinks: SymlinkPolicy) throws {
        let descriptor = Glibc.open(path, CLINUX_O_PATH | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw DocumentRootError("document root \(path): \(Errno(rawValue: errno).description)")
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
        default: throw DocumentRootError("document root \(path) cannot be opened beneath itself")
        }
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Opens `relative` (NUL-terminated, relative to the root; "." is the root itself) for
    /// reading without blocking, and classifies it from one `fstat` of the opened descriptor.
    public func open(_ relative: UnsafePointer<CChar>) -> LookupOutcome {
        var attempts = 0
        var opened: (descriptor: Int32, errno: Int32)
        repeat {
            opened = attempt(relative)
            attempts += 1
        } while opened.descriptor < 0 && (opened.errno == EAGAIN || opened.errno == EINTR)
            && attempts < Self.retries
        let file = opened.descriptor
        guard file >= 0 else { return .failure(LookupFailure(errno: opened.errno)) }
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
            return .failure(.refused)
        }
    }

    /// One attempt at opening `relative`: `openat2`, or `BeneathWalk` when `openat2` is missing
    /// (`ENOSYS`) or refused (`EPERM`).
    private func attempt(_ relative: UnsafePointer<CChar>) -> (descriptor: Int32, errno: Int32) {
        if !lacksOpenat2.load(ordering: .relaxed) {
            let file = clinux_openat2(descriptor, relative, UInt64(Self.openFlags), resolve)
            guard file < 0 else { return (file, 0) }
            let code = errno
            guard code == ENOSYS || code == EPERM else { return (-1, code) }
            if code == ENOSYS { lacksOpenat2.store(true, ordering: .relaxed) }
        }
        let path = UnsafeRawBufferPointer(start: relative, count: strlen(relative))
        let follow = resolve & CLINUX_RESOLVE_NO_SYMLINKS == 0
        return BeneathWalk.open(path, beneath: descriptor, followSymlinks: follow)
    }
}
