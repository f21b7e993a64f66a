import Foundation
import Glibc
import Testing

@testable import Files

/// The open-file cache on a real temporary tree: least-recently-used eviction, inactivity
/// release and invalidation by change notifications, with the clock passed in (no sleeps:
/// inotify queues an event before the call that caused it returns).
@Suite struct FileCacheTests {
    /// A cached value: an open file; `released` learns when the cache let go of it.
    final class Entry: CachedFile {
        let file: OpenFile
        var snapshot: FileSnapshot { file.snapshot }
        init(_ file: OpenFile) { self.file = file }
    }

    /// A temporary document root, removed on deinit.
    final class Tree {
        let path: String
        let root: DocumentRoot

        init() throws {
            path = NSTemporaryDirectory() + "file-cache-\(UUID().uuidString)"
            try FileManager.default.createDirectory(
                atPath: path + "/site", withIntermediateDirectories: true)
            root = try DocumentRoot(path: path + "/site", symlinks: .beneath)
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }

        /// Writes `text` to `name` beneath the root (creating directories).
        func write(_ name: String, _ text: String) throws {
            let url = URL(fileURLWithPath: path + "/site/" + name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        /// Writes `name.tmp` and renames it over `name`, as a deploy does.
        func replace(_ name: String, _ text: String) throws {
            try write(name + ".tmp", text)
            #expect(rename(path + "/site/" + name + ".tmp", path + "/site/" + name) == 0)
        }

        /// Opens `name` beneath the root as the serving stage does.
        func open(_ name: String) throws -> Entry {
            guard case .file(let descriptor, let snapshot) = root.open(name) else {
                throw CocoaError(.fileNoSuchFile)
            }
            return Entry(OpenFile(descriptor: descriptor, snapshot: snapshot))
        }
    }

    /// The NUL-terminated lookup path of `name`.
    static func key(_ name: String) -> [UInt8] { Array(name.utf8) + [0] }

    /// `name`'s own name, as the serving stage registers it.
    static func names(_ name: String) -> [[UInt8]] {
        [Array(name.split(separator: "/").last!.utf8)]
    }

    static func insert(
        _ name: String, into cache: inout FileCache<Entry>, _ tree: Tree, now: Int64
    ) throws {
        cache.insert(
            try tree.open(name), path: key(name), root: tree.root, now: now, names: names(name))
    }

    /// Looks `name` up: nil for a miss, else whether the entry is watched.
    static func lookup(
        _ cache: inout FileCache<Entry>, _ name: String, _ tree: Tree, now: Int64
    ) -> Bool? {
        cache.lookup(key(name), root: tree.root, now: now)?.watched
    }

    /// Applies the queued notifications; true when the root path's entry may have changed.
    static func apply(_ cache: inout FileCache<Entry>) -> Bool {
        cache.applyChanges()
    }

    /// A cache with change notifications holding `names`, all written (each holds its own
    /// name) before any is inserted at time 0: the events of a write queued before an entry
    /// exists would remove it at the first drain.
    static func watchedCache(_ tree: Tree, holding names: [String]) throws -> FileCache<Entry> {
        var cache = FileCache<Entry>(capacity: 8, watcher: try watcher(tree))
        for name in names { try tree.write(name, name) }
        for name in names { try insert(name, into: &cache, tree, now: 0) }
        #expect(cache.revalidatedCount == 0)
        return cache
    }

    static func watcher(_ tree: Tree) throws -> ChangeWatcher {
        let (watcher, mode) = ChangeWatcher.make(for: tree.root, enabled: true)
        #expect(mode == .events)
        return try #require(watcher)
    }

    @Test func hitsWhileUnchanged() throws {
        let tree = try Tree()
        try tree.write("a.txt", "one")
        var cache = FileCache<Entry>(capacity: 4)
        let entry = try tree.open("a.txt")
        cache.insert(entry, path: Self.key("a.txt"), root: tree.root, now: 0, names: [])
        let hit = cache.lookup(Self.key("a.txt"), root: tree.root, now: 1)
        #expect(hit?.value === entry)
        #expect(Self.lookup(&cache, "b.txt", tree, now: 1) == nil)
    }

    @Test func missesOnceRemoved() throws {
        let tree = try Tree()
        try tree.write("a.txt", "one")
        var cache = FileCache<Entry>(capacity: 4)
        try Self.insert("a.txt", into: &cache, tree, now: 0)
        #expect(unlink(tree.path + "/site/a.txt") == 0)
        #expect(Self.lookup(&cache, "a.txt", tree, now: 1) == nil)
    }

    @Test func aDisabledCacheHoldsNothing() throws {
        let tree = try Tree()
        try tree.write("a.txt", "one")
        var cache = FileCache<Entry>(capacity: 0, watcher: try Self.watcher(tree))
        try Self.insert("a.txt", into: &cache, tree, now: 0)
        #expect(!cache.isEnabled)
        #expect(cache.watcher == nil)
        #expect(Self.lookup(&cache, "a.txt", tree, now: 1) == nil)
    }

    @Test func evictsTheLeastRecentlyUsed() throws {
        let tree = try Tree()
        for name in ["a", "b", "c", "d"] { try tree.write(name, name) }
        var cache = FileCache<Entry>(capacity: 3)
        for (time, name) in ["a", "b", "c"].enumerated() {
            try Self.insert(name, into: &cache, tree, now: Int64(time))
        }
        #expect(Self.lookup(&cache, "a", tree, now: 3) != nil)
        #expect(cache.recency == ["b", "c", "a"].map(Self.key))
        try Self.insert("d", into: &cache, tree, now: 4)
        #expect(cache.recency == ["c", "a", "d"].map(Self.key))
        #expect(Self.lookup(&cache, "b", tree, now: 5) == nil)
        #expect(cache.removals[CacheRemoval.evicted.rawValue] == 1)
        #expect(cache.count == 3)
    }

    @Test func closesEntriesUnusedForTheInactivityPeriod() throws {
        let tree = try Tree()
        for name in ["a", "b"] { try tree.write(name, name) }
        var cache = FileCache<Entry>(capacity: 8, inactivity: 1000)
        weak var first: Entry?
        do {
            let entry = try tree.open("a")
            first = entry
            cache.insert(entry, path: Self.key("a"), root: tree.root, now: 0, names: [])
        }
        try Self.insert("b", into: &cache, tree, now: 500)
        #expect(Self.lookup(&cache, "a", tree, now: 600) != nil)
        cache.sweep(now: 1499)
        #expect(cache.count == 2)
        cache.sweep(now: 1500)
        #expect(cache.recency == [Self.key("a")])
        #expect(cache.removals[CacheRemoval.inactive.rawValue] == 1)
        #expect(first != nil)
        cache.sweep(now: 1600)
        #expect(cache.count == 0)
        #expect(first == nil, "the entry's file is still held after its removal")
    }

    @Test func aRenameOverACachedFileRemovesItsEntry() throws {
        let tree = try Tree()
        var cache = try Self.watchedCache(tree, holding: ["app.js", "other.js"])
        #expect(Self.lookup(&cache, "app.js", tree, now: 1) == true)
        #expect(!Self.apply(&cache))
        #expect(cache.count == 2)

        try tree.replace("app.js", "new")
        #expect(!Self.apply(&cache))
        #expect(Self.lookup(&cache, "app.js", tree, now: 2) == nil)
        #expect(Self.lookup(&cache, "other.js", tree, now: 2) != nil)
        #expect(cache.removals[CacheRemoval.changed.rawValue] == 1)
    }

    @Test func writesAndChmodsOfACachedFileRemoveItsEntry() throws {
        let tree = try Tree()
        var cache = try Self.watchedCache(tree, holding: ["data.txt", "mode.txt"])
        let handle = try #require(FileHandle(forWritingAtPath: tree.path + "/site/data.txt"))
        handle.write(Data("3210".utf8))
        try handle.close()
        #expect(chmod(tree.path + "/site/mode.txt", 0o600) == 0)
        _ = cache.applyChanges()
        #expect(cache.count == 0)
    }

    @Test func aDirectoryMovedAwayRemovesTheEntriesBeneathIt() throws {
        let tree = try Tree()
        var cache = try Self.watchedCache(
            tree, holding: ["assets/css/site.css", "assets/js/app.js", "top.txt"])
        let site = tree.path + "/site/"
        #expect(rename(site + "assets", site + "assets.old") == 0)
        _ = cache.applyChanges()
        #expect(cache.recency == [Self.key("top.txt")])
    }

    @Test func entriesThroughSymbolicLinksAreRevalidatedPerRequest() throws {
        let tree = try Tree()
        try tree.write("data/v1/config.json", "v1")
        #expect(symlink("data/v1", tree.path + "/site/current") == 0)
        #expect(symlink("data/v1/config.json", tree.path + "/site/link.json") == 0)
        var cache = FileCache<Entry>(capacity: 8, watcher: try Self.watcher(tree))
        try Self.insert("current/config.json", into: &cache, tree, now: 0)
        try Self.insert("link.json", into: &cache, tree, now: 0)
        #expect(cache.revalidatedCount == 2)
        try tree.replace("data/v1/config.json", "v2")
        #expect(Self.lookup(&cache, "current/config.json", tree, now: 1) == nil)
        #expect(Self.lookup(&cache, "link.json", tree, now: 1) == nil)
        #expect(cache.removals[CacheRemoval.stale.rawValue] == 2)
    }

    @Test func withoutAWatcherEveryHitIsRevalidated() throws {
        let tree = try Tree()
        try tree.write("app.js", "old")
        var cache = FileCache<Entry>(capacity: 8)
        try Self.insert("app.js", into: &cache, tree, now: 0)
        #expect(Self.lookup(&cache, "app.js", tree, now: 1) == false)
        try tree.replace("app.js", "new")
        #expect(Self.lookup(&cache, "app.js", tree, now: 2) == nil)
        #expect(cache.removals[CacheRemoval.stale.rawValue] == 1)
    }

    @Test func removedEntriesGiveUpTheirWatches() throws {
        let tree = try Tree()
        try tree.write("a/b.txt", "b")
        let watcher = try Self.watcher(tree)
        var cache = FileCache<Entry>(capacity: 8, watcher: watcher)
        try Self.insert("a/b.txt", into: &cache, tree, now: 0)
        #expect(watcher.watchCount == 3)
        cache.removeAll(.reload)
        #expect(watcher.watchCount == 0)
    }

    @Test func theRootPathsLinkSwitchIsReported() throws {
        let tree = try Tree()
        try FileManager.default.createDirectory(
            atPath: tree.path + "/v2", withIntermediateDirectories: true)
        #expect(symlink("site", tree.path + "/current") == 0)
        let root = try DocumentRoot(path: tree.path + "/current", symlinks: .beneath)
        let (made, _) = ChangeWatcher.make(for: root, enabled: true)
        let watcher = try #require(made)
        #expect(watcher.watchRootPath(root))
        var cache = FileCache<Entry>(capacity: 8, watcher: watcher)
        #expect(!Self.apply(&cache))
        #expect(root.pathStillLeadsHere())
        #expect(symlink("v2", tree.path + "/current.tmp") == 0)
        #expect(rename(tree.path + "/current.tmp", tree.path + "/current") == 0)
        #expect(Self.apply(&cache))
        #expect(!root.pathStillLeadsHere())
    }

    @Test func notificationsCanBeTurnedOff() throws {
        let tree = try Tree()
        let (watcher, mode) = ChangeWatcher.make(for: tree.root, enabled: false)
        #expect(watcher == nil)
        #expect(mode != .events)
    }
}
