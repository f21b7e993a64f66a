import CLinux
import Glibc

/// inotify(7) for one loop's open-file cache: which cached entries a change invalidates.
///
/// An entry for `a/b/f` is registered under a watch of every directory on its path — the root
/// (for the name `a`), `a` (for `b`), `a/b` (for `f` and the names of its precompressed
/// siblings, present or not) — and of the file itself. So a rename over the file, an unlink, a
/// write, a truncate or a chmod of it (also through another hard link), a variant added or
/// removed, and a rename, chmod or removal of any directory on the path all queue an event
/// naming the entry. Watches are placed from the root down, each directory's before the name
/// in it is resolved for the next one, and the file is checked against the snapshot it was
/// opened with once every watch is in place: a change at any point after the open either
/// fails that check or queues an event. A directory on the path that is a symbolic link
/// (`IN_DONT_FOLLOW | IN_ONLYDIR` refuses it), a file that is one, a file on another device
/// than the root (a mount point on the path), and a full watch table (`ENOSPC`, the
/// `max_user_watches` limit) make the entry fall back to per-request revalidation: a link's
/// target is resolved through paths no watch covers. Touched only by its loop's thread.
public final class ChangeWatcher {
    /// The inotify instance (nonblocking), for the loop's epoll set.
    public let descriptor: Int32
    /// The cache keys that depend on each name in a watched directory, by watch; the empty
    /// name stands for the watched inode itself.
    private var dependents: [Int32: [[UInt8]: Set<UInt64>]] = [:]
    /// The watches and names each key was registered under, to undo them.
    private var registrations: [UInt64: [(watch: Int32, name: [UInt8])]] = [:]
    /// Registrations refused because the watch table is full.
    public private(set) var watchLimitHits = 0
    private let buffer: UnsafeMutableRawPointer

    /// The key under which a change of the root path's own entry (the release symlink being
    /// switched, the directory being replaced) is reported.
    public static let rootPathKey = UInt64.max
    private static let bufferSize = 64 << 10
    /// Most reads of one drain (each up to `bufferSize`): the rest waits for the next turn.
    private static let maxReads = 64

    private static let directoryMask =
        CLINUX_IN_CREATE | CLINUX_IN_DELETE | CLINUX_IN_MOVED_FROM | CLINUX_IN_MOVED_TO
        | CLINUX_IN_MODIFY | CLINUX_IN_ATTRIB | CLINUX_IN_DELETE_SELF | CLINUX_IN_MOVE_SELF
    private static let fileMask =
        CLINUX_IN_MODIFY | CLINUX_IN_ATTRIB | CLINUX_IN_DELETE_SELF | CLINUX_IN_MOVE_SELF

    /// Filesystems whose changes can happen where this kernel does not see them (other
    /// clients of a network filesystem, a FUSE daemon), by `statfs` magic (statfs(2)).
    private static let untrusted: [Int64: String] = [
        0x6969: "nfs", 0x517B: "smb", 0xFF53_4D42: "cifs", 0xFE53_4D42: "smb2",
        0x6573_5546: "fuse", 0x00C3_6400: "ceph", 0x0102_1997: "9p", 0x5346_414F: "afs",
        0x6B41_4653: "afs", 0x7375_7245: "coda", 0x564C: "ncp", 0x0116_1970: "gfs2",
        0x7461_636F: "ocfs2", 0x0BD0_0BD0: "lustre",
    ]

    private init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.bufferSize, alignment: 8)
    }

    deinit {
        buffer.deallocate()
        close(descriptor)
    }

    /// A watcher for files beneath `root`, or nil and the reason why changes must be found by
    /// revalidating every request: `enabled` is false (`--revalidate always`), inotify is
    /// unavailable, or the root's filesystem is one whose events cannot be trusted.
    public static func make(for root: DocumentRoot, enabled: Bool)
        -> (watcher: ChangeWatcher?, mode: RevalidationMode)
    {
        guard enabled else { return (nil, .perRequest(reason: "disabled by --revalidate always")) }
        let type = clinux_filesystem_type(root.descriptor)
        if type < 0 {
            return (nil, .perRequest(reason: "statfs: \(String(cString: strerror(errno)))"))
        }
        if let name = untrusted[Int64(type)] {
            return (nil, .perRequest(reason: "\(name) filesystem: changes may bypass inotify"))
        }
        let descriptor = clinux_inotify_init()
        guard descriptor >= 0 else {
            return (nil, .perRequest(reason: "inotify: \(String(cString: strerror(errno)))"))
        }
        return (ChangeWatcher(descriptor: descriptor), .events)
    }

    /// Registers `key` for the NUL-terminated `path` beneath `root` (directories down to the
    /// file, the file, and `names` in its directory: the file's own and its siblings'), then
    /// checks the file is still the one of `snapshot`. False when the entry cannot be watched
    /// soundly (see the type's comment); nothing stays registered then.
    public func watch(
        _ key: UInt64, path: [UInt8], names: [[UInt8]], root: DocumentRoot, snapshot: FileSnapshot
    ) -> Bool {
        let components = path.dropLast().split(separator: UInt8(ascii: "/"))
        guard !components.isEmpty else { return false }
        var location = Array("/proc/self/fd/\(root.descriptor)".utf8)
        for depth in 0..<components.count {
            if depth > 0 {
                location.append(UInt8(ascii: "/"))
                location.append(contentsOf: components[depth - 1])
            }
            // The root is reached through its /proc magic link; below it no link is followed.
            let mask =
                Self.directoryMask | CLINUX_IN_ONLYDIR | (depth > 0 ? CLINUX_IN_DONT_FOLLOW : 0)
            guard let watch = add(location, mask) else { return abandon(key) }
            let inside = depth == components.count - 1 ? names : [Array(components[depth])]
            for name in inside { register(key, watch, name) }
        }
        location.append(UInt8(ascii: "/"))
        location.append(contentsOf: components[components.count - 1])
        guard let watch = add(location, Self.fileMask | CLINUX_IN_DONT_FOLLOW) else {
            return abandon(key)
        }
        register(key, watch, [])
        var info = stat()
        let found = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                fstatat(root.descriptor, $0.baseAddress!, &info, AT_SYMLINK_NOFOLLOW)
            }
        }
        guard found == 0, info.st_mode & S_IFMT == S_IFREG, UInt64(info.st_dev) == root.device,
            FileStamp.unchanged(snapshot, info)
        else { return abandon(key) }
        return true
    }

    /// Watches the directory holding the root path for the root path's own name, so that a
    /// switched release link (`ln -sfn v2 current.tmp && mv -T current.tmp current`) or a
    /// replaced root directory is reported under ``rootPathKey``. False when it cannot be.
    public func watchRootPath(_ root: DocumentRoot) -> Bool {
        var path = Array(root.path.utf8)
        while path.count > 1 && path.last == UInt8(ascii: "/") { path.removeLast() }
        let name: [UInt8]
        let parent: [UInt8]
        if let slash = path.lastIndex(of: UInt8(ascii: "/")) {
            name = Array(path[(slash + 1)...])
            parent = slash == 0 ? [UInt8(ascii: "/")] : Array(path[..<slash])
        } else {
            name = path
            parent = [UInt8(ascii: ".")]
        }
        guard !name.isEmpty, name != [UInt8(ascii: ".")], name != Array("..".utf8),
            let watch = add(parent, Self.directoryMask | CLINUX_IN_ONLYDIR)
        else { return false }
        register(Self.rootPathKey, watch, name)
        return true
    }

    /// Undoes the registrations of `key`, removing watches nothing depends on any more.
    public func forget(_ key: UInt64) {
        guard let undone = registrations.removeValue(forKey: key) else { return }
        for (watch, name) in undone {
            guard var names = dependents[watch] else { continue }
            names[name]?.remove(key)
            if names[name]?.isEmpty == true { names[name] = nil }
            if names.isEmpty {
                dependents[watch] = nil
                _ = clinux_inotify_rm_watch(descriptor, watch)
            } else {
                dependents[watch] = names
            }
        }
    }

    /// Reads every queued event: the keys they invalidate, and whether the queue overflowed
    /// (events were lost: everything must be considered changed).
    public func drain() -> (keys: [UInt64], overflowed: Bool) {
        var keys: [UInt64] = []
        var overflowed = false
        for _ in 0..<Self.maxReads {
            let count = read(descriptor, buffer, Self.bufferSize)
            if count < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN { overflowed = true }
                break
            }
            if count == 0 { break }
            parse(count, into: &keys, overflowed: &overflowed)
        }
        return (keys, overflowed)
    }

    /// The number of watches held.
    public var watchCount: Int { dependents.count }

    /// Parses `count` bytes of `struct inotify_event` records (inotify(7)).
    private func parse(_ count: Int, into keys: inout [UInt64], overflowed: inout Bool) {
        let header = 16
        var offset = 0
        while offset + header <= count {
            let record = buffer + offset
            let watch = record.loadUnaligned(as: Int32.self)
            let mask = record.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            let length = Int(record.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
            offset += header + length
            if mask & CLINUX_IN_Q_OVERFLOW != 0 { overflowed = true }
            guard let names = dependents[watch] else { continue }
            let raw = UnsafeRawBufferPointer(start: record + header, count: length)
            let name = Array(raw.prefix { $0 != 0 })
            if name.isEmpty || mask & CLINUX_IN_IGNORED != 0 {
                for set in names.values { keys.append(contentsOf: set) }
            } else if let set = names[name] {
                keys.append(contentsOf: set)
            }
            if mask & CLINUX_IN_IGNORED != 0 { dependents[watch] = nil }
        }
    }

    /// `inotify_add_watch` of `path`; nil when refused (a full table is counted).
    private func add(_ path: [UInt8], _ mask: UInt32) -> Int32? {
        let watch = (path + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                clinux_inotify_add_watch(descriptor, $0.baseAddress!, mask)
            }
        }
        if watch < 0 && errno == ENOSPC { watchLimitHits += 1 }
        return watch < 0 ? nil : watch
    }

    private func register(_ key: UInt64, _ watch: Int32, _ name: [UInt8]) {
        dependents[watch, default: [:]][name, default: []].insert(key)
        registrations[key, default: []].append((watch, name))
    }

    /// Drops what `key` registered so far; always false (the entry is not watched).
    private func abandon(_ key: UInt64) -> Bool {
        forget(key)
        return false
    }
}
