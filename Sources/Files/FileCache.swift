import Glibc

/// A file the cache can hold: what the serving stage made of an opened file (its rendered
/// fields, say), and the snapshot a hit is revalidated against.
public protocol CachedFile: AnyObject {
    /// The metadata of the open file when it was opened.
    var snapshot: FileSnapshot { get }
}

/// One loop's cache of open files and what was made of them, keyed by (root, lookup path),
/// least recently used first out, an entry unused for `inactivity` closed.
///
/// Freshness: with a ``ChangeWatcher`` an entry is registered for change notifications when
/// inserted, and ``applyChanges()`` — run by the loop before the requests of each turn —
/// removes every entry an event names, so a hit costs no system call. An entry that cannot be
/// watched soundly, and every entry when there is no watcher, is revalidated on every hit with
/// one `fstatat` of its path beneath the root: identity (device, inode), size, modification
/// and status-change times and mode must all be unchanged. That `fstatat` resolves the path
/// without `RESOLVE_BENEATH`, which is safe because a hit also requires the same inode that
/// the confined `openat2` opened: a path that now leads elsewhere is a miss. Representations
/// whose ETag is still weak (modified within the last second) are not cached, so none is
/// served past the moment its strong validator exists.
///
/// Lifecycle: a removed entry lets go of its value, and so of its descriptors, at once (a
/// response still sending from it keeps its own reference until it ends); ``sweep(now:)``
/// removes entries unused for `inactivity` milliseconds, oldest first. Times are the caller's
/// monotonic milliseconds (the loop's clock), so tests drive them. Touched only by its loop's
/// thread.
public struct FileCache<Value: CachedFile> {
    /// Slot of each key.
    @usableFromInline var index: [UInt64: Int] = [:]
    @usableFromInline var slots: [Slot] = []
    @usableFromInline var freeSlots: [Int] = []
    /// The most and least recently used slots (-1: empty); `older`/`newer` link the rest.
    @usableFromInline var newest = -1
    @usableFromInline var oldest = -1
    @usableFromInline let capacity: Int
    /// Milliseconds an entry may stay unused (0: forever).
    public let inactivity: Int64
    /// The change notifications entries are registered with, if they are in force.
    public let watcher: ChangeWatcher?
    /// Entries removed, by ``CacheRemoval`` raw value.
    public private(set) var removals = [Int](repeating: 0, count: CacheRemoval.allCases.count)
    /// Entries revalidated per request (not watched).
    public private(set) var revalidatedCount = 0
    /// Bumped whenever the entry count or the removal counters change (for cheap publishing).
    public private(set) var version = 0

    /// An entry and its place in the recency order.
    @usableFromInline struct Slot {
        @usableFromInline var key: UInt64
        @usableFromInline var root: Int32
        @usableFromInline var path: [UInt8]
        @usableFromInline var value: Value?
        /// Checked with `fstatat` on every hit (not watched).
        @usableFromInline var revalidate: Bool
        @usableFromInline var lastUsed: Int64
        @usableFromInline var older: Int
        @usableFromInline var newer: Int
    }

    /// A cache of at most `capacity` entries (0: off), closing entries unused for `inactivity`
    /// milliseconds, invalidated by `watcher` when there is one.
    public init(capacity: Int, inactivity: Int64 = 0, watcher: ChangeWatcher? = nil) {
        self.capacity = capacity
        self.inactivity = inactivity
        self.watcher = capacity > 0 ? watcher : nil
        index.reserveCapacity(capacity)
    }

    @inlinable
    public var isEnabled: Bool { capacity > 0 }

    /// The number of entries.
    public var count: Int { index.count }

    /// The cached value of the NUL-terminated `path` if its file is still current, and whether
    /// the entry is watched (its variants need no revalidation either); marks it used at `now`.
    @inlinable
    public mutating func lookup(_ path: [UInt8], root: DocumentRoot, now: Int64) -> (
        value: Value, watched: Bool
    )? {
        guard isEnabled else { return nil }
        let key = Self.hash(path, root: root.descriptor)
        guard let slot = index[key], slots[slot].root == root.descriptor, slots[slot].path == path,
            let value = slots[slot].value
        else { return nil }
        let watched = !slots[slot].revalidate
        if !watched {
            guard FileStamp.isCurrent(path, root: root, value.snapshot) else {
                remove(slot, .stale)
                return nil
            }
        }
        touch(slot, now)
        return (value, watched)
    }

    /// Stores the value made of a freshly opened file at `now`, the least recently used entry
    /// making room; with a watcher, registers it for changes of its path and of `names` in its
    /// directory (the file's own name and its siblings').
    public mutating func insert(
        _ value: Value, path: [UInt8], root: DocumentRoot, now: Int64, names: [[UInt8]]
    ) {
        guard isEnabled else { return }
        let key = Self.hash(path, root: root.descriptor)
        if let existing = index[key] { remove(existing, .evicted) }
        while index.count >= capacity && oldest >= 0 { remove(oldest, .evicted) }
        let watched =
            watcher?.watch(key, path: path, names: names, root: root, snapshot: value.snapshot)
            ?? false
        let entry = Slot(
            key: key, root: root.descriptor, path: path, value: value, revalidate: !watched,
            lastUsed: now, older: newest, newer: -1)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = entry
        } else {
            slot = slots.count
            slots.append(entry)
        }
        if newest >= 0 { slots[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
        index[key] = slot
        if !watched { revalidatedCount += 1 }
        version &+= 1
    }

    /// Forgets the entry for `path` (its variants changed).
    public mutating func evict(_ path: [UInt8], root: DocumentRoot) {
        if let slot = index[Self.hash(path, root: root.descriptor)] { remove(slot, .stale) }
    }

    /// Removes every entry the queued change notifications name; true when the root path's
    /// own entry may have changed (an event named it, or events were lost).
    public mutating func applyChanges() -> Bool {
        guard let watcher else { return false }
        let (keys, overflowed) = watcher.drain()
        if overflowed {
            removeAll(.changed)
            return true
        }
        var rootPath = false
        for key in keys {
            if key == ChangeWatcher.rootPathKey {
                rootPath = true
            } else if let slot = index[key] {
                remove(slot, .changed)
            }
        }
        return rootPath
    }

    /// Removes the entries unused for the inactivity period as of `now`, oldest first.
    @inlinable
    public mutating func sweep(now: Int64) {
        guard inactivity > 0 else { return }
        while oldest >= 0 && now - slots[oldest].lastUsed >= inactivity {
            remove(oldest, .inactive)
        }
    }

    /// Drops every entry (SIGHUP, a switched root).
    public mutating func removeAll(_ cause: CacheRemoval) {
        while oldest >= 0 { remove(oldest, cause) }
    }

    /// The cached paths from least to most recently used (for tests and diagnostics).
    public var recency: [[UInt8]] {
        var paths: [[UInt8]] = []
        var slot = oldest
        while slot >= 0 {
            paths.append(slots[slot].path)
            slot = slots[slot].newer
        }
        return paths
    }

    /// Makes `slot` the most recently used, used at `now`.
    @inlinable
    mutating func touch(_ slot: Int, _ now: Int64) {
        slots[slot].lastUsed = now
        guard slot != newest else { return }
        unlink(slot)
        slots[slot].older = newest
        slots[slot].newer = -1
        if newest >= 0 { slots[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    /// Takes `slot` out of the recency order.
    @inlinable
    mutating func unlink(_ slot: Int) {
        let older = slots[slot].older
        let newer = slots[slot].newer
        if older >= 0 { slots[older].newer = newer } else { oldest = newer }
        if newer >= 0 { slots[newer].older = older } else { newest = older }
    }

    /// Removes the entry in `slot`, letting go of its value and its watches.
    @usableFromInline
    mutating func remove(_ slot: Int, _ cause: CacheRemoval) {
        unlink(slot)
        let key = slots[slot].key
        index[key] = nil
        if slots[slot].revalidate {
            revalidatedCount -= 1
        } else {
            watcher?.forget(key)
        }
        slots[slot].value = nil
        slots[slot].path = []
        freeSlots.append(slot)
        removals[cause.rawValue] += 1
        version &+= 1
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
