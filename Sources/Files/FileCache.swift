import Glibc

/// A file the cache can hold: what the serving stage made of an opened file (its rendered
/// fields, say), and the snapshot a hit is revalidated against.
public protocol CachedFile: AnyObject {
    /// The metadata of the open file when it was opened.
    var snapshot: FileSnapshot { get }
}

/// One loop's cache of open files and what was made of them, keyed by (root, lookup path).
///
/// A hit is revalidated on every request with one `fstatat` of the path beneath the root:
/// identity (device, inode), size, modification and status-change times and mode must all be
/// unchanged, so a file replaced by rename, rewritten, truncated or made unreadable is looked
/// up afresh by the very next request. The `fstatat` resolves the path without
/// `RESOLVE_BENEATH`, which is safe because a hit also requires the same inode that the
/// confined `openat2` opened: a path that now leads elsewhere is a miss. Representations whose
/// ETag is still weak (modified within the last second) are not cached, so none is served past
/// the moment its strong validator exists. Touched only by its loop's thread.
public struct FileCache<Value: CachedFile> {
    @usableFromInline var entries: [UInt64: Entry] = [:]
    @usableFromInline let capacity: Int

    /// A cached representation and the exact key it was stored under.
    @usableFromInline struct Entry {
        @usableFromInline var root: Int32
        @usableFromInline var path: [UInt8]
        @usableFromInline var value: Value

        @usableFromInline init(root: Int32, path: [UInt8], value: Value) {
            self.root = root
            self.path = path
            self.value = value
        }
    }

    @inlinable
    public init(capacity: Int) {
        self.capacity = capacity
        entries.reserveCapacity(capacity)
    }

    @inlinable
    public var isEnabled: Bool { capacity > 0 }

    /// The cached value of the NUL-terminated `path`, if its file is still current.
    @inlinable
    public mutating func lookup(_ path: [UInt8], root: DocumentRoot) -> Value? {
        guard isEnabled else { return nil }
        let key = Self.hash(path, root: root.descriptor)
        guard let entry = entries[key], entry.root == root.descriptor, entry.path == path else {
            return nil
        }
        guard FileStamp.isCurrent(path, root: root, entry.value.snapshot) else {
            entries[key] = nil
            return nil
        }
        return entry.value
    }

    /// Stores the value made of a freshly opened file.
    @inlinable
    public mutating func insert(_ value: Value, path: [UInt8], root: DocumentRoot) {
        guard isEnabled else { return }
        if entries.count >= capacity, let victim = entries.keys.first {
            entries[victim] = nil
        }
        entries[Self.hash(path, root: root.descriptor)] = Entry(
            root: root.descriptor, path: path, value: value)
    }

    /// Forgets the entry for `path` (its variants changed).
    @inlinable
    public mutating func evict(_ path: [UInt8], root: DocumentRoot) {
        entries[Self.hash(path, root: root.descriptor)] = nil
    }

    /// Drops every entry (SIGHUP).
    public mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
    }

    /// FNV-1a over the path, seeded with the root's descriptor.
    @inlinable
    static func hash(_ path: [UInt8], root: Int32) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(UInt32(bitPattern: root))
        for byte in path {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
