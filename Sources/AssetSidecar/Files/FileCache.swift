import Glibc

/// One loop's cache of open files and their rendered fields, keyed by (root, lookup path).
///
/// A hit is revalidated on every request with one `fstatat` of the path beneath the root:
/// identity (device, inode), size, modification and status-change times and mode must all be
/// unchanged, so a file replaced by rename, rewritten, truncated or made unreadable is looked
/// up afresh by the very next request. The `fstatat` resolves the path without
/// `RESOLVE_BENEATH`, which is safe because a hit also requires the same inode that the
/// confined `openat2` opened: a path that now leads elsewhere is a miss. Representations whose
/// ETag is still weak (modified within the last second) are not cached, so none is served past
/// the moment its strong validator exists. Touched only by its loop's thread.
struct FileCache {
    private var entries: [UInt64: Entry] = [:]
    private let capacity: Int
    /// Lookups answered from the cache, and those that were not.
    private(set) var hits = 0
    private(set) var misses = 0

    /// A cached representation and the exact key it was stored under.
    private struct Entry {
        var root: Int32
        var path: [UInt8]
        var representation: Representation
    }

    init(capacity: Int) {
        self.capacity = capacity
        entries.reserveCapacity(capacity)
    }

    var isEnabled: Bool { capacity > 0 }

    /// The cached representation of the NUL-terminated `path`, if it is still current.
    mutating func lookup(_ path: [UInt8], root: DocumentRoot) -> Representation? {
        guard isEnabled else { return nil }
        let key = Self.hash(path, root: root.descriptor)
        guard let entry = entries[key], entry.root == root.descriptor, entry.path == path else {
            misses += 1
            return nil
        }
        guard let info = Self.stamp(path, root: root),
            Self.unchanged(entry.representation.file.snapshot, info)
        else {
            entries[key] = nil
            misses += 1
            return nil
        }
        hits += 1
        return entry.representation
    }

    /// Stores a freshly opened representation (if its validators are strong).
    mutating func insert(_ representation: Representation, path: [UInt8], root: DocumentRoot) {
        guard isEnabled, !representation.hasWeakValidator else { return }
        if entries.count >= capacity, let victim = entries.keys.first {
            entries[victim] = nil
        }
        entries[Self.hash(path, root: root.descriptor)] = Entry(
            root: root.descriptor, path: path, representation: representation)
    }

    /// Whether the NUL-terminated `path` beneath `root` still has the metadata of `snapshot`
    /// (for variants and directory stamps).
    static func isCurrent(_ path: [UInt8], root: DocumentRoot, _ snapshot: FileSnapshot) -> Bool {
        stamp(path, root: root).map { unchanged(snapshot, $0) } ?? false
    }

    /// `fstatat` of a NUL-terminated path beneath `root`.
    static func stamp(_ path: [UInt8], root: DocumentRoot) -> stat? {
        var info = stat()
        let found = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                fstatat(root.descriptor, $0.baseAddress!, &info, 0)
            }
        }
        return found == 0 ? info : nil
    }

    /// Forgets the entry for `path` (its variants changed).
    mutating func evict(_ path: [UInt8], root: DocumentRoot) {
        entries[Self.hash(path, root: root.descriptor)] = nil
    }

    /// Drops every entry (SIGHUP).
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
    }

    static func unchanged(_ snapshot: FileSnapshot, _ info: stat) -> Bool {
        let now = FileSnapshot(info)
        return now.inode == snapshot.inode && now.device == snapshot.device
            && now.size == snapshot.size && now.modifiedSeconds == snapshot.modifiedSeconds
            && now.modifiedNanoseconds == snapshot.modifiedNanoseconds
            && now.changedSeconds == snapshot.changedSeconds
            && now.changedNanoseconds == snapshot.changedNanoseconds && now.mode == snapshot.mode
    }

    /// FNV-1a over the path, seeded with the root's descriptor.
    private static func hash(_ path: [UInt8], root: Int32) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(UInt32(bitPattern: root))
        for byte in path {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
